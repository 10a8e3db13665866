//! `netlink graph`: the step graph (clusters per account, waves as ranks, a cycle in red) and the
//! topology (accounts, regions, VPCs, vSwitches, targets and what joins them), as Graphviz dot.

use super::names::by_account;
use crate::model::*;
use crate::plan::Plan;
use crate::text;
use std::fmt::Write;

/// A quoted dot id or label, every user string escaped ([`text::dot`]).
fn q(s: &str) -> String {
    text::dot(s)
}

/// The step graph. `cycle` holds step ids to draw in red (from a cycle diagnostic).
pub fn steps_dot(m: &Model, plan: &Plan) -> String {
    let mut out = String::from("digraph plan {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for (g, group) in by_account(m, plan).iter().enumerate() {
        let label = match group.account {
            Some(a) => format!("account {} ({})", a.name.node, a.uid.node),
            None => "outside Alibaba Cloud".to_string(),
        };
        let _ = writeln!(
            out,
            "  subgraph cluster_{g} {{\n    label={};\n    style=dashed;",
            q(&label)
        );
        for &(number, i) in &group.steps {
            let s = &plan.steps[i];
            let style = if s.manual.is_some() {
                ", color=orange, penwidth=2"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    {} [label={}{style}];",
                q(&s.id),
                text::dot_lines(&[
                    &format!("{number}. {}", text::title_bare(&s.title)),
                    &format!("wave {}", plan.waves[i]),
                ])
            );
        }
        out.push_str("  }\n");
    }
    let mut edges: Vec<(usize, usize, &str)> = plan
        .edges
        .iter()
        .map(|e| (e.before, e.after, &*e.reason))
        .collect();
    edges.sort_by_key(|(b, a, _)| (plan.position[*b], plan.position[*a]));
    edges.dedup_by_key(|(b, a, _)| (*b, *a));
    for (b, a, why) in edges {
        let _ = writeln!(
            out,
            "  {} -> {} [tooltip={}];",
            q(&plan.steps[b].id),
            q(&plan.steps[a].id),
            q(why)
        );
    }
    out.push_str("}\n");
    out
}

/// The `after` orderings between blocks, those on a cycle in red: what `graph` draws when the
/// plan cannot be ordered.
pub fn after_dot(m: &Model) -> String {
    use petgraph::graph::DiGraph;
    use std::collections::BTreeMap;
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
    let name = |b: BlockRef| format!("{} {}", b.kind, super::names::block_name(m, b));
    let mut out = String::from("digraph after {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    for b in nodes.keys() {
        let color = if red.contains(b) {
            ", color=red, fontcolor=red"
        } else {
            ""
        };
        let _ = writeln!(out, "  {} [label={}{color}];", q(&name(*b)), q(&name(*b)));
    }
    let mut edges: Vec<(BlockRef, BlockRef)> = g
        .edge_indices()
        .filter_map(|e| g.edge_endpoints(e))
        .map(|(a, b)| (g[a], g[b]))
        .collect();
    edges.sort();
    for (a, b) in edges {
        let color = if red.contains(&a) && red.contains(&b) {
            " [color=red, label=\"after\"]"
        } else {
            " [label=\"after\"]"
        };
        let _ = writeln!(out, "  {} -> {}{color};", q(&name(a)), q(&name(b)));
    }
    out.push_str("}\n");
    out
}

/// The topology: accounts → regions → VPCs (with vSwitches) and targets; peerings, CEN,
/// Express Connect and VPN as edges; compute bound to its vSwitch; flows dashed.
pub fn topology_dot(m: &Model) -> String {
    let mut out =
        String::from("graph topology {\n  compound=true;\n  node [fontname=\"Helvetica\"];\n");
    for (a, acc) in m.accounts.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_account_{a} {{\n    label={};",
            q(&format!("account {} ({})", acc.name.node, acc.uid.node))
        );
        let mut regions: Vec<&str> = m
            .vpcs
            .iter()
            .filter(|v| v.account.node.index() == a)
            .map(|v| v.region.node.as_str())
            .collect();
        regions.sort_unstable();
        regions.dedup();
        for (r, region) in regions.iter().enumerate() {
            let _ = writeln!(out, "    subgraph cluster_account_{a}_region_{r} {{\n      label={};\n      style=dashed;", q(region));
            for (v, vpc) in m
                .vpcs
                .iter()
                .enumerate()
                .filter(|(_, v)| v.account.node.index() == a && v.region.node == *region)
            {
                let _ = writeln!(
                    out,
                    "      subgraph cluster_vpc_{v} {{\n        label={};\n        style=rounded;",
                    q(&format!("vpc {} {}", vpc.name.node, vpc.cidr.node))
                );
                let _ = writeln!(
                    out,
                    "        {} [shape=point, style=invis];",
                    q(&format!("vpc:{}", vpc.name.node))
                );
                for vs in &vpc.vswitches {
                    let s = &m.vswitches[vs.index()];
                    let _ = writeln!(
                        out,
                        "        {} [shape=box, label={}];",
                        q(&format!("vsw:{}", s.qualified)),
                        text::dot_lines(&[
                            &s.name.node,
                            &format!("{} {}", s.cidr.node, s.zone.node)
                        ])
                    );
                }
                out.push_str("      }\n");
            }
            out.push_str("    }\n");
        }
        out.push_str("  }\n");
    }
    let vpc_node = |v: VpcId| q(&format!("vpc:{}", m.vpcs[v.index()].name.node));
    for t in &m.targets {
        let _ = writeln!(
            out,
            "  {} [shape=cylinder, label={}];",
            q(&format!("target:{}", t.name.node)),
            q(&format!("{} {}", t.kind, t.name.node))
        );
        if let Placement::Vpc(vs) = &t.placement {
            let _ = writeln!(
                out,
                "  {} -- {};",
                q(&format!("target:{}", t.name.node)),
                q(&format!("vsw:{}", m.vswitches[vs.node.index()].qualified))
            );
        }
    }
    for c in &m.computes {
        let _ = writeln!(
            out,
            "  {} [shape=component, label={}];",
            q(&format!("compute:{}", c.name.node)),
            q(&c.name.node)
        );
        if let ComputeKind::ResourceGroup { vswitch, .. } | ComputeKind::Client { vswitch, .. } =
            &c.kind
        {
            let _ = writeln!(
                out,
                "  {} -- {};",
                q(&format!("compute:{}", c.name.node)),
                q(&format!(
                    "vsw:{}",
                    m.vswitches[vswitch.node.index()].qualified
                ))
            );
        }
    }
    for l in &m.network_links {
        let _ = writeln!(
            out,
            "  {} -- {} [label={}];",
            q(&format!(
                "compute:{}",
                m.computes[l.maxcompute.node.index()].name.node
            )),
            q(&format!(
                "vsw:{}",
                m.vswitches[l.vswitch.node.index()].qualified
            )),
            q(&format!("network link {}", l.name.node))
        );
    }
    for c in &m.connections {
        match &c.kind {
            ConnectionKind::Peering {
                requester,
                accepter,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "  {} -- {} [label={}, penwidth=2];",
                    vpc_node(requester.node),
                    vpc_node(accepter.node),
                    q(&format!("peering {}", c.name.node))
                );
            }
            ConnectionKind::Cen { attachments, .. } => {
                let _ = writeln!(
                    out,
                    "  {} [shape=doublecircle, label={}];",
                    q(&format!("cen:{}", c.name.node)),
                    q(&format!("CEN {}", c.name.node))
                );
                for a in attachments {
                    let _ = writeln!(
                        out,
                        "  {} -- {};",
                        q(&format!("cen:{}", c.name.node)),
                        vpc_node(m.attachments[a.index()].vpc.node)
                    );
                }
            }
            ConnectionKind::ExpressConnect { idc, vpc } | ConnectionKind::Vpn { idc, vpc } => {
                let _ = writeln!(
                    out,
                    "  {} -- {} [label={}, penwidth=2];",
                    q(&format!("target:{}", m.targets[idc.node.index()].name.node)),
                    vpc_node(vpc.node),
                    q(&c.name.node)
                );
            }
        }
    }
    for f in &m.flows {
        let _ = writeln!(
            out,
            "  {} -- {} [style=dashed, color=blue, label={}];",
            q(&format!(
                "compute:{}",
                m.computes[f.from.node.index()].name.node
            )),
            q(&format!(
                "target:{}",
                m.targets[f.to.node.index()].name.node
            )),
            q(&format!("flow {}", f.name.node))
        );
    }
    out.push_str("}\n");
    out
}
