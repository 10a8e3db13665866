//! Which pairs of regions traffic crosses on each CEN. An inter-region connection is billed
//! bandwidth, and seed 004 connects two regions because a flow's ends are in them (F40): the
//! plan connects exactly the pairs that flows (and the user's own routes) cross, no full mesh.

use super::path::FlowPath;
use super::sites::TargetSite;
use crate::model::*;
use std::collections::BTreeSet;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// A pair of regions, the smaller id first.
pub type RegionPair = (String, String);

/// The region pairs crossed on each CEN.
pub fn cen_crossings(m: &Model, paths: &[FlowPath]) -> HashMap<ConnectionId, BTreeSet<RegionPair>> {
    let mut out: HashMap<ConnectionId, BTreeSet<RegionPair>> = HashMap::default();
    let mut add = |cen: ConnectionId, a: &str, b: &str| {
        if a != b {
            let pair = if a < b { (a, b) } else { (b, a) };
            out.entry(cen)
                .or_default()
                .insert((pair.0.to_string(), pair.1.to_string()));
        }
    };
    let is_cen =
        |c: ConnectionId| matches!(m.connections[c.index()].kind, ConnectionKind::Cen { .. });
    for path in paths {
        let (Some(c), Some(from), TargetSite::Vpc(to)) =
            (path.connection, path.source.vpc, path.site)
        else {
            continue;
        };
        if is_cen(c) {
            add(
                c,
                &m.vpcs[from.index()].region.node,
                &m.vpcs[to.index()].region.node,
            );
        }
    }
    // The user's own routes over a CEN: from the table's region to each attached VPC whose block
    // meets the destination. Attached blocks do not overlap (NL2005), so sorted by start their
    // ends are sorted too, and the blocks meeting a destination are a run found by bisection.
    let mut blocks: HashMap<ConnectionId, Vec<(u32, u32, &str)>> = HashMap::default();
    for r in &m.routes {
        let NextHop::Connection(c) = r.next_hop.node else {
            continue;
        };
        let ConnectionKind::Cen { attachments, .. } = &m.connections[c.index()].kind else {
            continue;
        };
        let from = match r.table.node {
            RouteTable::Vpc(v) => m.vpcs[v.index()].region.node.as_str(),
            RouteTable::ResourceGroup(rg) => match &m.computes[rg.index()].kind {
                ComputeKind::ResourceGroup { vswitch, .. } => {
                    m.vpc_of_vswitch(vswitch.node).region.node.as_str()
                }
                _ => continue,
            },
            RouteTable::TransitRouter(tr) => m.transit_routers[tr.index()].region.node.as_str(),
        };
        let sorted = blocks.entry(c).or_insert_with(|| {
            let mut v: Vec<(u32, u32, &str)> = attachments
                .iter()
                .map(|a| {
                    let vpc = &m.vpcs[m.attachments[a.index()].vpc.node.index()];
                    let net = vpc.cidr.node;
                    (
                        u32::from(net.network()),
                        u32::from(net.broadcast()),
                        vpc.region.node.as_str(),
                    )
                })
                .collect();
            v.sort_unstable();
            v
        });
        let (ds, de) = (
            u32::from(r.destination.node.network()),
            u32::from(r.destination.node.broadcast()),
        );
        let upto = sorted.partition_point(|(start, _, _)| *start <= de);
        for &(_, end, region) in sorted[..upto].iter().rev() {
            if end < ds {
                break;
            }
            add(c, from, region);
        }
    }
    out
}
