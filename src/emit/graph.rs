//! `netlink graph`: the step graph (clusters per account, waves as ranks, a cycle in red) and the
//! topology (accounts, regions, VPCs, vSwitches, targets and what joins them), drawn as a
//! [`Picture`] and rendered as Graphviz dot or Mermaid.

use super::names::by_account;
use super::picture::{Cluster, Edge, End, Line, Node, Picture, Shape};
use crate::model::*;
use crate::plan::Plan;
use crate::text;
use std::collections::BTreeMap;

/// The step graph: a cluster per account, a node per step (manual ones in orange) labelled with
/// its number, title and wave, an arrow per dependency; the steps of one wave share a rank
/// across accounts.
pub fn steps_picture(m: &Model, plan: &Plan) -> Picture {
    let mut pic = Picture::new("plan");
    let mut node_of = vec![usize::MAX; plan.steps.len()];
    for group in by_account(m, plan) {
        let label = match group.account {
            Some(a) => format!("account {} ({})", a.name.node, a.uid.node),
            None => "outside Alibaba Cloud".to_string(),
        };
        let c = pic.cluster(
            None,
            Cluster {
                label,
                dashed: true,
                ..Cluster::default()
            },
        );
        for &(number, i) in &group.steps {
            let s = &plan.steps[i];
            node_of[i] = pic.node(
                Some(c),
                Node {
                    label: vec![
                        format!("{number}. {}", text::title_bare(&s.title)),
                        format!("wave {}", plan.waves[i]),
                    ],
                    shape: Shape::Box,
                    color: s.manual.is_some().then_some("orange"),
                    names: vec![crate::names::block_name(m, s.origin), s.id.clone()],
                },
            );
        }
    }
    let mut edges: Vec<(usize, usize, &str)> = plan
        .edges
        .iter()
        .map(|e| (e.before, e.after, &*e.reason))
        .collect();
    edges.sort_by_key(|(b, a, _)| (plan.position[*b], plan.position[*a]));
    edges.dedup_by_key(|(b, a, _)| (*b, *a));
    for (b, a, _) in edges {
        pic.edges.push(Edge {
            from: End::Node(node_of[b]),
            to: End::Node(node_of[a]),
            directed: true,
            label: None,
            line: Line::Solid,
            color: None,
            names: Vec::new(),
        });
    }
    let waves = plan.waves.iter().copied().max().unwrap_or(0) as usize;
    let mut ranks = vec![Vec::new(); waves];
    for &i in &plan.order {
        if let Some(r) = ranks.get_mut((plan.waves[i] as usize).saturating_sub(1)) {
            r.push(node_of[i]);
        }
    }
    pic.ranks = ranks.into_iter().filter(|r| r.len() > 1).collect();
    pic
}

/// The step graph as dot.
pub fn steps_dot(m: &Model, plan: &Plan) -> String {
    steps_picture(m, plan).dot(true, "LR")
}

/// The `after` orderings between blocks, those on a cycle in red: what `graph` draws when the
/// plan cannot be ordered.
pub fn after_picture(m: &Model) -> Picture {
    use petgraph::graph::DiGraph;
    let mut g: DiGraph<BlockRef, ()> = DiGraph::new();
    let mut nodes: BTreeMap<BlockRef, petgraph::graph::NodeIndex> = BTreeMap::new();
    for a in &m.after {
        for b in std::iter::once(a.block).chain(a.on.iter().map(|o| o.node)) {
            nodes.entry(b).or_insert_with(|| g.add_node(b));
        }
        for on in &a.on {
            g.add_edge(nodes[&on.node], nodes[&a.block], ());
        }
    }
    let mut red = std::collections::BTreeSet::new();
    for scc in petgraph::algo::tarjan_scc(&g) {
        if scc.len() > 1 || g.find_edge(scc[0], scc[0]).is_some() {
            red.extend(scc.iter().map(|n| g[*n]));
        }
    }
    let mut pic = Picture::new("after");
    let mut id: BTreeMap<BlockRef, usize> = BTreeMap::new();
    for b in nodes.keys() {
        let name = crate::names::block_name(m, *b);
        let n = pic.node(
            None,
            Node {
                label: vec![format!("{} {name}", b.kind)],
                shape: Shape::Box,
                color: red.contains(b).then_some("red"),
                names: vec![name],
            },
        );
        id.insert(*b, n);
    }
    let mut edges: Vec<(BlockRef, BlockRef)> = g
        .edge_indices()
        .filter_map(|e| g.edge_endpoints(e))
        .map(|(a, b)| (g[a], g[b]))
        .collect();
    edges.sort();
    for (a, b) in edges {
        pic.edges.push(Edge {
            from: End::Node(id[&a]),
            to: End::Node(id[&b]),
            directed: true,
            label: Some("after".into()),
            line: Line::Solid,
            color: (red.contains(&a) && red.contains(&b)).then_some("red"),
            names: Vec::new(),
        });
    }
    pic
}

/// The `after` graph as dot.
pub fn after_dot(m: &Model) -> String {
    after_picture(m).dot(true, "LR")
}

/// The topology: accounts → regions → VPCs → vSwitches, each compute and data source inside
/// its vSwitch (MaxCompute projects in their account and region; data centres, internet hosts
/// and services outside); peerings, Express Connect and VPN as thick lines between VPC boxes, a
/// CEN as a hub joined to each attached VPC, a network link from its project to its vSwitch;
/// flows as dashed arrows from source to target, labelled with their ports.
pub fn topology_picture(m: &Model) -> Picture {
    let mut pic = Picture::new("topology");
    let mut vpc_cluster = vec![usize::MAX; m.vpcs.len()];
    let mut vsw_cluster = vec![usize::MAX; m.vswitches.len()];
    // Regions per account, in name order; MaxCompute projects count too.
    let mut regions: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); m.accounts.len()];
    let mut account_cluster = Vec::with_capacity(m.accounts.len());
    for acc in &m.accounts {
        account_cluster.push(pic.cluster(
            None,
            Cluster {
                label: format!("account {} ({})", acc.name.node, acc.uid.node),
                names: vec![acc.name.node.clone()],
                ..Cluster::default()
            },
        ));
    }
    let mut wanted: Vec<(usize, &str)> = m
        .vpcs
        .iter()
        .map(|v| (v.account.node.index(), v.region.node.as_str()))
        .chain(m.computes.iter().filter_map(|c| match &c.kind {
            ComputeKind::MaxCompute {
                account, region, ..
            } => Some((account.node.index(), region.node.as_str())),
            _ => None,
        }))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    for (a, r) in wanted {
        let c = pic.cluster(
            Some(account_cluster[a]),
            Cluster {
                label: r.to_string(),
                dashed: true,
                ..Cluster::default()
            },
        );
        regions[a].insert(r, c);
    }
    for (v, vpc) in m.vpcs.iter().enumerate() {
        let parent = regions[vpc.account.node.index()][vpc.region.node.as_str()];
        vpc_cluster[v] = pic.cluster(
            Some(parent),
            Cluster {
                label: format!("vpc {} {}", vpc.name.node, vpc.cidr.node),
                names: vec![vpc.name.node.clone()],
                ..Cluster::default()
            },
        );
        for vs in &vpc.vswitches {
            let s = &m.vswitches[vs.index()];
            vsw_cluster[vs.index()] = pic.cluster(
                Some(vpc_cluster[v]),
                Cluster {
                    label: format!("vswitch {} {} {}", s.name.node, s.cidr.node, s.zone.node),
                    dashed: true,
                    names: vec![s.qualified.clone()],
                    ..Cluster::default()
                },
            );
        }
    }
    let mut target_node = Vec::with_capacity(m.targets.len());
    for t in &m.targets {
        let place = match &t.placement {
            Placement::Vpc(vs) => Some(vsw_cluster[vs.node.index()]),
            _ => None,
        };
        target_node.push(pic.node(
            place,
            Node {
                label: vec![format!("{} {}", t.kind, t.name.node)],
                shape: Shape::Cylinder,
                color: None,
                names: vec![t.name.node.clone()],
            },
        ));
    }
    let mut compute_node = Vec::with_capacity(m.computes.len());
    for c in &m.computes {
        let (place, kind) = match &c.kind {
            ComputeKind::MaxCompute {
                account, region, ..
            } => (
                Some(regions[account.node.index()][region.node.as_str()]),
                "maxcompute",
            ),
            ComputeKind::ResourceGroup { vswitch, .. } => {
                (Some(vsw_cluster[vswitch.node.index()]), "resource_group")
            }
            ComputeKind::Client { vswitch, .. } => {
                (Some(vsw_cluster[vswitch.node.index()]), "client")
            }
        };
        compute_node.push(pic.node(
            place,
            Node {
                label: vec![format!("{kind} {}", c.name.node)],
                shape: Shape::Component,
                color: None,
                names: vec![c.name.node.clone()],
            },
        ));
    }
    let line = |from: End, to: End, label: String, name: &str| Edge {
        from,
        to,
        directed: false,
        label: Some(label),
        line: Line::Thick,
        color: None,
        names: vec![name.to_string()],
    };
    for l in &m.network_links {
        pic.edges.push(line(
            End::Node(compute_node[l.maxcompute.node.index()]),
            End::Cluster(vsw_cluster[l.vswitch.node.index()]),
            format!("network link {}", l.name.node),
            &l.name.node,
        ));
    }
    for c in &m.connections {
        match &c.kind {
            ConnectionKind::Peering {
                requester,
                accepter,
                ..
            } => pic.edges.push(line(
                End::Cluster(vpc_cluster[requester.node.index()]),
                End::Cluster(vpc_cluster[accepter.node.index()]),
                format!("peering {}", c.name.node),
                &c.name.node,
            )),
            ConnectionKind::Cen { attachments, .. } => {
                let hub = pic.node(
                    None,
                    Node {
                        label: vec![format!("CEN {}", c.name.node)],
                        shape: Shape::Circle,
                        color: None,
                        names: vec![c.name.node.clone()],
                    },
                );
                for a in attachments {
                    let vpc = m.attachments[a.index()].vpc.node;
                    pic.edges.push(Edge {
                        label: None,
                        ..line(
                            End::Node(hub),
                            End::Cluster(vpc_cluster[vpc.index()]),
                            String::new(),
                            &c.name.node,
                        )
                    });
                }
            }
            ConnectionKind::VpnVpcs { vpc, peer_vpc } => pic.edges.push(line(
                End::Cluster(vpc_cluster[vpc.node.index()]),
                End::Cluster(vpc_cluster[peer_vpc.node.index()]),
                format!("vpn_gateway {}", c.name.node),
                &c.name.node,
            )),
            ConnectionKind::ExpressConnect { idc, vpc } | ConnectionKind::Vpn { idc, vpc } => {
                let kind = if matches!(c.kind, ConnectionKind::Vpn { .. }) {
                    "vpn_gateway"
                } else {
                    "express_connect"
                };
                pic.edges.push(line(
                    End::Node(target_node[idc.node.index()]),
                    End::Cluster(vpc_cluster[vpc.node.index()]),
                    format!("{kind} {}", c.name.node),
                    &c.name.node,
                ));
            }
        }
    }
    for f in &m.flows {
        let t = &m.targets[f.to.node.index()];
        let ports: Vec<String> = if f.ports.is_empty() {
            t.ports.iter().map(|p| p.node.to_string()).collect()
        } else {
            f.ports.iter().map(|p| p.node.to_string()).collect()
        };
        let on = if ports.is_empty() {
            "any port".to_string()
        } else {
            ports.join(", ")
        };
        pic.edges.push(Edge {
            from: End::Node(compute_node[f.from.node.index()]),
            to: End::Node(target_node[f.to.node.index()]),
            directed: true,
            label: Some(format!("{} :{on}", f.name.node)),
            line: Line::Dashed,
            color: Some("blue"),
            names: vec![f.name.node.clone()],
        });
    }
    pic
}

/// The topology as dot.
pub fn topology_dot(m: &Model) -> String {
    topology_picture(m).dot(false, "LR")
}
