//! Stage 4, `check`: the cloud's rules over the complete model, one file per family.
//!
//! | family | file | codes |
//! |---|---|---|
//! | addresses, zones, overlaps | `addresses.rs` | NL2003-NL2010 |
//! | MaxCompute (seeds 000/001) | `maxcompute.rs` | NL30xx |
//! | DataWorks (seeds 003/004) | `dataworks.rs`, `classic.rs`, `security.rs` | NL31xx |
//! | explicit routes | `routes.rs` | NL3111 |
//! | CEN, peering, EMR (seeds 002/004) | `joins.rs`, `emr.rs` | NL32xx |
//!
//! The joins and each flow's path come from [`crate::net`], built once before any family runs.

mod addresses;
mod blocks;
mod classic;
mod dataworks;
mod emr;
mod joins;
mod maxcompute;
mod order;
mod routes;
mod security;

use crate::diagnostics::Diagnostic;
use crate::model::Model;
use crate::net::Network;

/// Run every rule family over the model and its paths; diagnostics come back in family order
/// (the caller sorts).
pub fn check(model: &Model, net: &Network) -> Vec<Diagnostic> {
    let index = &net.index;
    let mut out = Vec::new();
    addresses::check(model, index, &mut out);
    maxcompute::check(model, net, &mut out);
    dataworks::check(model, net, &mut out);
    joins::check(model, net, &mut out);
    emr::check(model, index, &mut out);
    routes::check(model, index, &mut out);
    order::check(model, index, &mut out);
    out
}
