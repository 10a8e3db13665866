//! EMR node endpoints (seed 002): endpoint format, and the PrivateZone association that only a
//! ticket to EMR can make for another VPC.

use super::blocks::Blocks;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::net::sites::{target_site, TargetSite};
use crate::net::Index;

/// NL3213 (seed 002): node addresses change on auto scaling or node failure, so a whitelist entry
/// or a rule naming one address of a cluster's vSwitch will stop matching; name the block.
fn node_addresses(m: &Model, out: &mut Vec<Diagnostic>) {
    let clusters = Blocks::new(
        m.targets
            .iter()
            .filter_map(|t| match (&t.detail, &t.placement) {
                (TargetDetail::Hadoop { .. }, Placement::Vpc(vs)) => {
                    Some((m.vswitches[vs.node.index()].cidr.node, t))
                }
                _ => None,
            }),
    );
    let mut report = |addr: std::net::Ipv4Addr, span: crate::source::Span, what: &str| {
        if let Some((t, block)) = clusters.holding(addr) {
            out.push(
                Diagnostic::new(
                    Code::EMR_NODE_ADDRESS,
                    format!("{what} `{addr}` is one address of EMR cluster `{}`'s vSwitch", t.name.node),
                )
                .primary(span, "a node address")
                .help(format!("name the vSwitch block `{block}` instead"))
                .note("EMR node addresses change on auto scaling or node failure (seed 002); reach nodes by their endpoints"),
            );
        }
    };
    for w in &m.whitelists {
        for e in w.entries.iter().filter(|e| e.net.prefix_len() == 32) {
            report(e.net.addr(), e.span, "whitelist entry");
        }
    }
    for g in &m.security_groups {
        for r in &g.rules {
            if let RulePeer::Cidr(c) = r.peer {
                if c.prefix_len() == 32 {
                    report(c.addr(), r.span, "rule peer");
                }
            }
        }
    }
}

/// Run the family.
pub fn check(m: &Model, _ix: &Index, out: &mut Vec<Diagnostic>) {
    node_addresses(m, out);
    for t in &m.targets {
        let (
            TargetDetail::Hadoop {
                cluster_id, nodes, ..
            },
            Placement::Vpc(vs),
        ) = (&t.detail, &t.placement)
        else {
            continue;
        };
        let region = &m.vpc_of_vswitch(vs.node).region.node;
        for node in nodes {
            let parts: Vec<&str> = node.node.split('.').collect();
            let ok = parts.len() == 6
                && !parts[0].is_empty()
                && parts[1] == cluster_id.node
                && parts[2] == region
                && parts[3..] == ["emr", "aliyuncs", "com"];
            if !ok {
                // Keep the node name (`core-1-1`) when it looks like one; an address has none.
                let host = parts
                    .first()
                    .copied()
                    .filter(|p| !p.is_empty() && p.starts_with(|c: char| c.is_ascii_alphabetic()))
                    .unwrap_or("master-1-1");
                out.push(
                    Diagnostic::new(
                        Code::EMR_ENDPOINT,
                        format!(
                            "`{}` is not an endpoint of cluster `{}`",
                            node.node, cluster_id.node
                        ),
                    )
                    .primary(
                        node.span,
                        format!(
                            "expected `<node>.{}.{region}.emr.aliyuncs.com`",
                            cluster_id.node
                        ),
                    )
                    .secondary(cluster_id.span, "the cluster id")
                    .help(format!(
                        "write `\"{host}.{}.{region}.emr.aliyuncs.com\"`",
                        cluster_id.node
                    )),
                );
            }
        }
    }
    for f in &m.flows {
        let t = &m.targets[f.to.node.index()];
        if t.kind != crate::resolve::SymbolKind::Hadoop {
            continue;
        }
        let from_vpc = match &m.computes[f.from.node.index()].kind {
            ComputeKind::Client { vswitch, .. } | ComputeKind::ResourceGroup { vswitch, .. } => {
                m.vswitches[vswitch.node.index()].vpc
            }
            ComputeKind::MaxCompute { .. } => continue,
        };
        if let TargetSite::Vpc(v) = target_site(m, f.to.node) {
            if v != from_vpc {
                let cluster = match &t.detail {
                    TargetDetail::Hadoop { cluster_id, .. } => cluster_id.node.clone(),
                    _ => String::new(),
                };
                out.push(
                    Diagnostic::new(Code::EMR_PRIVATEZONE, format!("EMR endpoints of `{}` do not resolve from `{}` without a PrivateZone association", t.name.node, m.vpcs[from_vpc.index()].name.node))
                        .primary(f.to.span, "the cluster is in another VPC")
                        .help(format!("submit a ticket to EMR asking to associate cluster `{cluster}`'s PrivateZone with `{}`", m.vpcs[from_vpc.index()].name.node))
                        .note("in the cluster's own VPC PrivateZone resolves the endpoints by itself; the client's resolv.conf must list 100.100.2.136 and 100.100.2.138"),
                );
            }
        }
    }
}
