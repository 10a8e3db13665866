//! Stage 4, `check`: the cloud's rules over the complete model, one file per family.
//!
//! | family | file | codes |
//! |---|---|---|
//! | addresses, zones, overlaps | `addresses.rs` | NL2003-NL2010 |
//! | MaxCompute (seeds 000/001) | `maxcompute.rs` | NL30xx |
//! | DataWorks and paths (seeds 003/004) | `dataworks.rs`, `paths.rs` | NL31xx |
//! | explicit routes | `routes.rs` | NL3111 |
//! | CEN, peering, EMR (seeds 002/004) | `joins.rs`, `emr.rs` | NL32xx |
//!
//! [`Index`] is built once (maps, no scans per rule) and shared by every family.

pub(crate) mod addresses;
mod dataworks;
mod emr;
mod index;
mod joins;
pub(crate) mod maxcompute;
mod order;
pub(crate) mod paths;
mod routes;
pub(crate) mod security;

pub use index::Index;

use crate::diagnostics::Diagnostic;
use crate::model::Model;

/// Run every rule family; diagnostics come back in family order (the caller sorts).
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let index = Index::build(model);
    let mut out = Vec::new();
    addresses::check(model, &index, &mut out);
    maxcompute::check(model, &index, &mut out);
    dataworks::check(model, &index, &mut out);
    joins::check(model, &index, &mut out);
    emr::check(model, &index, &mut out);
    routes::check(model, &index, &mut out);
    order::check(model, &index, &mut out);
    out
}
