//! A flow's path, worked out once: where its traffic leaves from, which network link, connection
//! or NAT gateway it takes, the blocks it is addressed to and the ports it uses. `check` reports
//! the parts that are missing, `plan` adds the routes and entries along it, `verify` walks it.

use super::crossings::{cen_crossings, RegionPair};
use super::hops::{hop_of, Hop, TableRef};
use super::index::Index;
use super::sites::{access_lists, joins_to, ports_of, target_nets, target_site, TargetSite};
use crate::model::*;
use ipnet::Ipv4Net;
use std::collections::BTreeSet;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Where a flow's traffic starts, as the network sees it.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The VPC the traffic leaves from (none for MaxCompute without a network link).
    pub vpc: Option<VpcId>,
    /// The vSwitch it leaves from.
    pub vswitch: Option<VSwitchId>,
    /// The source address block (the vSwitch's), whitelisted on the target.
    pub net: Option<Ipv4Net>,
    /// The source's security group (a network link's, or the compute's own).
    pub group: Option<SgId>,
    /// The resource group, whose custom routes the traffic consults first.
    pub rg: Option<ComputeId>,
    /// The network link MaxCompute's traffic enters the VPC by.
    pub link: Option<NetworkLinkId>,
}

/// What a path is asked for: a flow, or a probe of `netlink trace`.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who connects.
    pub from: ComputeId,
    /// To what.
    pub to: TargetId,
    /// What the request names in `via`.
    pub via: &'a [Via],
    /// Its own ports (empty: the target's).
    pub ports: &'a [PortRange],
}

/// A route entry a flow needs, in either direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRoute {
    /// The table it goes in: the source's VPC, the resource group's custom routes, the target's
    /// VPC (the return route) or the data centre's router.
    pub table: TableRef,
    /// The block it sends through the connection.
    pub destination: Ipv4Net,
    /// The next hop: the flow's connection.
    pub hop: Hop,
}

/// One flow's way through the network.
#[derive(Debug, Clone)]
pub struct FlowPath {
    /// Where the target sits.
    pub site: TargetSite,
    /// Where the traffic starts. For MaxCompute, from the chosen network link or, when none
    /// reaches the target, the first candidate (so a trace can show where it stops).
    pub source: Source,
    /// The network links the flow may use: those it names in `via`, else its project's.
    pub links: Vec<NetworkLinkId>,
    /// The candidate link that reaches the target (and agrees with `via`).
    pub link: Option<NetworkLinkId>,
    /// What joins the source's VPC to the target's site: `None` when nothing does, empty when
    /// nothing needs to (same VPC, the internet, a service endpoint).
    pub joins: Option<Vec<ConnectionId>>,
    /// The connection the flow travels: the one it names in `via`, else the first that joins.
    pub connection: Option<ConnectionId>,
    /// The NAT gateway a VPC compute reaches the internet by: one in its VPC with an SNAT entry
    /// for the source's vSwitch (and an EIP, if any has one), among those named in `via`, else
    /// its VPC's.
    pub nat: Option<NatId>,
    /// The NAT gateways the flow may use (named in `via`, else its VPC's).
    pub nats: Vec<NatId>,
    /// The address blocks the target answers on.
    pub dests: Vec<Ipv4Net>,
    /// The ports: the flow's own, else the target's, else all.
    pub ports: Vec<PortRange>,
    /// The internet access lists a MaxCompute flow may use (named in `via`, else its project's).
    pub access: Vec<InternetAccessId>,
    /// The route entries the flow needs over its connection, both ways: for each destination
    /// block the source VPC's entry (then the resource group's custom route), then the return
    /// entry to the source's block. Empty when nothing is crossed.
    pub routes: Vec<PathRoute>,
}

/// The reachability layer built once from a model: the joins, and every flow's path.
#[derive(Debug)]
pub struct Network {
    /// The joins.
    pub index: Index,
    /// Each flow's path, by [`FlowId`].
    pub paths: Vec<FlowPath>,
    /// The region pairs traffic crosses on each CEN.
    pub cen_crossings: HashMap<ConnectionId, BTreeSet<RegionPair>>,
}

impl Network {
    /// Build the joins, then the path of every flow.
    pub fn build(m: &Model) -> Network {
        let index = Index::build(m);
        let mut via = Vec::new();
        let mut ports = Vec::new();
        let paths: Vec<FlowPath> = m
            .flows
            .iter()
            .map(|f| {
                via.clear();
                via.extend(f.via.iter().map(|v| v.node));
                ports.clear();
                ports.extend(f.ports.iter().map(|p| p.node));
                FlowPath::find(
                    m,
                    &index,
                    Request {
                        from: f.from.node,
                        to: f.to.node,
                        via: &via,
                        ports: &ports,
                    },
                )
            })
            .collect();
        let cen_crossings = cen_crossings(m, &paths);
        Network {
            index,
            paths,
            cen_crossings,
        }
    }

    /// The region pairs crossed on CEN `c` (none: no flow or route crosses regions on it).
    pub fn crossings(&self, c: ConnectionId) -> impl Iterator<Item = &RegionPair> {
        self.cen_crossings.get(&c).into_iter().flatten()
    }

    /// A flow's path.
    pub fn path(&self, f: FlowId) -> &FlowPath {
        &self.paths[f.index()]
    }
}

impl FlowPath {
    /// Work out the path of a request.
    pub fn find(m: &Model, ix: &Index, r: Request<'_>) -> FlowPath {
        let site = target_site(m, r.to);
        let named_links: Vec<NetworkLinkId> = r
            .via
            .iter()
            .filter_map(|v| match v {
                Via::NetworkLink(l) => Some(*l),
                _ => None,
            })
            .collect();
        let via_conns: Vec<ConnectionId> = r
            .via
            .iter()
            .filter_map(|v| match v {
                Via::Connection(c) => Some(*c),
                _ => None,
            })
            .collect();
        let mut path = FlowPath {
            site,
            source: Source::default(),
            links: Vec::new(),
            link: None,
            joins: None,
            connection: None,
            nat: None,
            nats: Vec::new(),
            dests: target_nets(m, r.to),
            ports: ports_of(m, r.to, r.ports),
            access: access_lists(ix, r.from, r.via.iter().copied()),
            routes: Vec::new(),
        };
        let compute = &m.computes[r.from.index()];
        match &compute.kind {
            ComputeKind::ResourceGroup {
                vswitch,
                security_group,
                ..
            }
            | ComputeKind::Client {
                vswitch,
                security_group,
                ..
            } => {
                let vs = &m.vswitches[vswitch.node.index()];
                path.source = Source {
                    vpc: Some(vs.vpc),
                    vswitch: Some(vswitch.node),
                    net: Some(vs.cidr.node),
                    group: security_group.as_ref().map(|g| g.node),
                    // Only a resource group has custom routes of its own.
                    rg: matches!(compute.kind, ComputeKind::ResourceGroup { .. }).then_some(r.from),
                    link: None,
                };
            }
            ComputeKind::MaxCompute { .. } => {
                path.links = if named_links.is_empty() {
                    ix.links_of_project
                        .get(&r.from)
                        .cloned()
                        .unwrap_or_default()
                } else {
                    named_links
                };
                // Only a link whose VPC is joined to the target (by a connection `via` accepts)
                // carries the flow.
                path.link = path.links.iter().copied().find(|l| {
                    let v = m.vswitches[m.network_links[l.index()].vswitch.node.index()].vpc;
                    match joins_to(ix, v, site) {
                        Some(joins) => {
                            joins.is_empty()
                                || via_conns.is_empty()
                                || joins.iter().any(|c| via_conns.contains(c))
                        }
                        None => false,
                    }
                });
                if let Some(l) = path.link.or_else(|| path.links.first().copied()) {
                    let link = &m.network_links[l.index()];
                    let vs = &m.vswitches[link.vswitch.node.index()];
                    path.source = Source {
                        vpc: Some(vs.vpc),
                        vswitch: Some(link.vswitch.node),
                        net: Some(vs.cidr.node),
                        group: Some(link.security_group.node),
                        rg: None,
                        link: Some(l),
                    };
                }
            }
        }
        if let Some(vpc) = path.source.vpc {
            path.joins = joins_to(ix, vpc, site);
            path.connection = path.joins.as_ref().and_then(|joins| {
                joins
                    .iter()
                    .copied()
                    .find(|c| via_conns.contains(c))
                    .or_else(|| joins.first().copied())
            });
            if site == TargetSite::Internet && path.source.link.is_none() {
                let named: Vec<NatId> = r
                    .via
                    .iter()
                    .filter_map(|v| match v {
                        Via::Nat(n) => Some(*n),
                        _ => None,
                    })
                    .collect();
                path.nats = if named.is_empty() {
                    ix.nats_of_vpc.get(&vpc).cloned().unwrap_or_default()
                } else {
                    named
                };
                // Of those, the first with an EIP (a NAT gateway without one reaches nothing).
                path.nat = path
                    .nats
                    .iter()
                    .copied()
                    .filter(|n| {
                        let nat = &m.nat_gateways[n.index()];
                        m.vswitches[nat.vswitch.node.index()].vpc == vpc
                            && nat.snat.iter().any(|s| Some(s.node) == path.source.vswitch)
                    })
                    .min_by_key(|n| m.nat_gateways[n.index()].eip.is_none());
            }
        }
        path.routes = routes(m, &path);
        path
    }
}

/// The route entries over the path's connection (seed 002 step 2, seed 004 step 3, N4).
fn routes(m: &Model, path: &FlowPath) -> Vec<PathRoute> {
    let (Some(conn), Some(vpc), Some(net)) = (path.connection, path.source.vpc, path.source.net)
    else {
        return Vec::new();
    };
    let hop = hop_of(m, conn);
    let mut out = Vec::with_capacity(path.dests.len() * 2 + 1);
    for &destination in &path.dests {
        out.push(PathRoute {
            table: TableRef::Vpc(vpc),
            destination,
            hop,
        });
        if let Some(rg) = path.source.rg {
            out.push(PathRoute {
                table: TableRef::ResourceGroup(rg),
                destination,
                hop,
            });
        }
    }
    let back = match path.site {
        TargetSite::Vpc(v) => Some(TableRef::Vpc(v)),
        TargetSite::Idc(t) => Some(TableRef::Idc(t)),
        TargetSite::Internet | TargetSite::Service => None,
    };
    out.extend(back.map(|table| PathRoute {
        table,
        destination: net,
        hop,
    }));
    out
}
