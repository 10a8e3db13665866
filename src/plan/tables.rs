//! What the plan derives besides steps: route entries, whitelist entries, security-group rules
//! and job settings. Each row says where it came from; rows that two flows (or a flow and an
//! explicit block) both need are merged, not doubled.

use crate::model::*;
pub use crate::net::{Hop, TableRef};
use ipnet::Ipv4Net;

/// Why a row exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Derived from a flow.
    Flow(FlowId),
    /// Written by the user.
    Explicit(BlockRef),
    /// Derived from a link or connection itself (a network link's own group rule).
    Link(BlockRef),
    /// Learned automatically (transit router propagation); no step needed.
    Propagated,
}

/// One route entry.
#[derive(Clone, Debug)]
pub struct RouteRow {
    /// The table.
    pub table: TableRef,
    /// Destination.
    pub destination: Ipv4Net,
    /// Next hop.
    pub hop: Hop,
    /// Why.
    pub origins: Vec<Origin>,
    /// The step that adds it, as an index into `Plan::steps` (none for propagated entries).
    pub step: Option<usize>,
}

/// What a whitelist entry admits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WhitelistItem {
    /// An address block (a /32 for one address).
    Cidr(Ipv4Net),
    /// A value known only later (an EIP to be allocated, MaxCompute's outbound address).
    Pending(String),
}

/// One whitelist entry on a target.
#[derive(Clone, Debug)]
pub struct WhitelistRow {
    /// The target.
    pub target: TargetId,
    /// The entry.
    pub item: WhitelistItem,
    /// Why it is there.
    pub why: String,
    /// A caution that applies (`eip-may-change`, `maxcompute-ip-may-change`, `open-to-all`).
    pub warning: Option<&'static str>,
    /// Where it came from.
    pub origins: Vec<Origin>,
    /// The step that adds it, as an index into `Plan::steps`.
    pub step: usize,
}

/// One security-group rule netlink adds (or, for explicit rules, that exists).
#[derive(Clone, Debug)]
pub struct SgRuleRow {
    /// The group.
    pub group: SgId,
    /// Direction.
    pub direction: Direction,
    /// Protocol.
    pub protocol: Protocol,
    /// Ports.
    pub ports: PortRange,
    /// Source (ingress) or destination (egress).
    pub peer: RulePeer,
    /// Priority (1 highest).
    pub priority: u8,
    /// Allow or deny.
    pub action: Action,
    /// Why.
    pub why: String,
    /// Where it came from.
    pub origins: Vec<Origin>,
    /// The step that adds it, as an index into `Plan::steps` (none for rules the group already
    /// has).
    pub step: Option<usize>,
}

/// Settings a job kind needs for one flow.
#[derive(Clone, Debug)]
pub struct JobRow {
    /// The flow.
    pub flow: FlowId,
    /// The job kind.
    pub job: JobKind,
    /// `network_link`, `internet`, `endpoint`, `data_integration`.
    pub scheme: &'static str,
    /// Exact lines to use, in order.
    pub settings: Vec<String>,
    /// The endpoint to use, for Alibaba Cloud services: (type, host).
    pub endpoint: Option<(EndpointType, String)>,
    /// Cautions.
    pub notes: Vec<String>,
}
