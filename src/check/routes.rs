//! Explicit routes: the next hop must be attached to the network whose table the route is in.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::net::Index;
use ipnet::Ipv4Net;
use rustc_hash::FxHashMap;

/// Does connection `c` reach VPC `v`?
fn touches(m: &Model, c: ConnectionId, v: VpcId) -> bool {
    match &m.connections[c.index()].kind {
        ConnectionKind::Peering {
            requester,
            accepter,
            ..
        } => requester.node == v || accepter.node == v,
        ConnectionKind::Cen { attachments, .. } => attachments
            .iter()
            .any(|a| m.attachments[a.index()].vpc.node == v),
        ConnectionKind::ExpressConnect { vpc, .. } | ConnectionKind::Vpn { vpc, .. } => {
            vpc.node == v
        }
        ConnectionKind::VpnVpcs { vpc, peer_vpc } => vpc.node == v || peer_vpc.node == v,
    }
}

/// Run the family.
pub fn check(m: &Model, _ix: &Index, out: &mut Vec<Diagnostic>) {
    written_twice(m, out);
    for r in &m.routes {
        let (vpc, what) = match r.table.node {
            RouteTable::Vpc(v) => (Some(v), format!("`{}`", m.vpcs[v.index()].name.node)),
            RouteTable::ResourceGroup(c) => match &m.computes[c.index()].kind {
                ComputeKind::ResourceGroup { vswitch, .. } => (
                    Some(m.vswitches[vswitch.node.index()].vpc),
                    format!("resource group `{}`", m.computes[c.index()].name.node),
                ),
                _ => (None, String::new()),
            },
            RouteTable::TransitRouter(t) => {
                let tr = &m.transit_routers[t.index()];
                if r.next_hop.node != NextHop::Connection(tr.cen) {
                    out.push(
                        Diagnostic::new(Code::ROUTE_NEXT_HOP, format!("route `{}` in a transit router of `{}` points elsewhere", r.name.node, m.connections[tr.cen.index()].name.node))
                            .primary(r.next_hop.span, "not this CEN")
                            .secondary(r.table.span, "the transit router's table")
                            .help(format!("a transit router's routes go through its own CEN: write `next_hop = {}`", m.connections[tr.cen.index()].name.node)),
                    );
                }
                continue;
            }
        };
        let Some(vpc) = vpc else { continue };
        let (ok, hop_name) = match r.next_hop.node {
            NextHop::Connection(c) => (
                touches(m, c, vpc),
                m.connections[c.index()].name.node.clone(),
            ),
            NextHop::Nat(n) => {
                let nat = &m.nat_gateways[n.index()];
                (
                    m.vswitches[nat.vswitch.node.index()].vpc == vpc,
                    nat.name.node.clone(),
                )
            }
        };
        if !ok {
            let vpc_name = &m.vpcs[vpc.index()].name.node;
            out.push(
                Diagnostic::new(Code::ROUTE_NEXT_HOP, format!("route `{}` sends traffic from {what} to `{hop_name}`, which does not reach `{vpc_name}`", r.name.node))
                    .primary(r.next_hop.span, format!("`{hop_name}` is not attached to `{vpc_name}`"))
                    .secondary(r.table.span, "the route table")
                    .help(format!("name a peering, CEN, Express Connect, VPN gateway or NAT gateway attached to `{vpc_name}`")),
            );
        }
    }
}

/// NL3112: a second `route` block writing an entry (table, destination, next hop) that an earlier
/// one writes. The plan adds the entry once; the copy only misleads. (The same destination
/// through another next hop is a conflict, NL4002.)
fn written_twice(m: &Model, out: &mut Vec<Diagnostic>) {
    let mut first: FxHashMap<(RouteTable, Ipv4Net, NextHop), &Route> = FxHashMap::default();
    for r in &m.routes {
        let key = (r.table.node, r.destination.node, r.next_hop.node);
        match first.get(&key) {
            None => {
                first.insert(key, r);
            }
            Some(earlier) => out.push(
                Diagnostic::new(
                    Code::ROUTE_TWICE,
                    format!(
                        "route `{}` writes the same entry as route `{}`",
                        r.name.node, earlier.name.node
                    ),
                )
                .primary(r.name.span, format!("{} again", r.destination.node))
                .secondary(earlier.name.span, "first written here")
                .help(format!(
                    "remove `{}`; an `after` naming it can name `{}`",
                    r.name.node, earlier.name.node
                )),
            ),
        }
    }
}
