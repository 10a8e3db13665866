//! The reachability layer, between `model` and the stages that read it (`check`, `plan`,
//! `verify`): what joins which networks, and for each flow the way it travels.
//!
//! | file | what |
//! |---|---|
//! | `index.rs` | the joins, built once: peerings, CENs per VPC, circuits and gateways, links, lists, NATs |
//! | `sites.rs` | where a target sits, the blocks it answers on, the ports a flow uses |
//! | `path.rs` | a flow's path: source, network link, connection, NAT gateway, destinations, ports, access lists, and the route entries it needs both ways |
//! | `crossings.rs` | the region pairs traffic crosses on each CEN (what inter-region connections it needs) |
//! | `hops.rs` | route tables and next hops |
//! | `filters.rs` | which security-group rule decides a packet |
//! | `hosts.rs` | internet hosts MaxCompute approves at once |
//!
//! `check` reports the flows whose path cannot work, `plan` derives routes, whitelists and rules
//! along each path, `verify` simulates the planned tables along it. A new way to join networks is
//! taught here once (and given its plan steps).

pub mod crossings;
pub mod filters;
pub mod hops;
pub mod hosts;
mod index;
pub mod path;
pub mod sites;

pub use hops::{hop_of, Hop, TableRef};
pub use index::{pair, Index};
pub use path::{FlowPath, Network};
pub use sites::TargetSite;
