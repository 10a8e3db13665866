//! `plan.json`'s inventory: every VPC (with its vSwitches and security groups), data source and
//! compute as the project declares them, so a change to one that no step shows yet (a zone, a
//! CIDR, a target nothing connects to) is still a change to the artifacts that `diff` sees.

use crate::model::*;
use serde::Serialize;

/// A VPC.
#[derive(Serialize)]
pub struct VpcOut<'a> {
    name: &'a str,
    account: &'a str,
    region: &'a str,
    cidr: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    vswitches: Vec<VSwitchOut<'a>>,
    security_groups: Vec<GroupOut<'a>>,
}

#[derive(Serialize)]
struct VSwitchOut<'a> {
    name: &'a str,
    zone: &'a str,
    cidr: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    managed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    rules: usize,
}

/// A data source or other target.
#[derive(Serialize)]
pub struct TargetOut<'a> {
    name: &'a str,
    kind: String,
    /// `vswitch <qualified>`, `idc <cidrs>`, `internet <host>` or `service <region>`.
    placement: String,
    ports: Vec<String>,
    network: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    /// Kind-specific facts (`engine mysql`, `cluster c-…`, node endpoints).
    details: Vec<String>,
}

/// A MaxCompute project, DataWorks resource group or client.
#[derive(Serialize)]
pub struct ComputeOut<'a> {
    name: &'a str,
    kind: &'static str,
    /// `region <r>` for MaxCompute, `vswitch <qualified>` otherwise.
    placement: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    details: Vec<String>,
}

fn account(m: &Model, a: AccountId) -> &str {
    &m.accounts[a.index()].name.node
}

/// Every VPC, sorted by name.
pub fn vpcs(m: &Model) -> Vec<VpcOut<'_>> {
    let mut out: Vec<VpcOut> = m
        .vpcs
        .iter()
        .map(|v| VpcOut {
            name: &v.name.node,
            account: account(m, v.account.node),
            region: &v.region.node,
            cidr: v.cidr.node.to_string(),
            id: v.id.as_ref().map(|i| i.node.as_str()),
            vswitches: v
                .vswitches
                .iter()
                .map(|s| {
                    let s = &m.vswitches[s.index()];
                    VSwitchOut {
                        name: &s.name.node,
                        zone: &s.zone.node,
                        cidr: s.cidr.node.to_string(),
                        id: s.id.as_ref().map(|i| i.node.as_str()),
                    }
                })
                .collect(),
            security_groups: v
                .security_groups
                .iter()
                .map(|g| {
                    let g = &m.security_groups[g.index()];
                    GroupOut {
                        name: &g.name.node,
                        kind: g.kind.node.word(),
                        managed: g.managed,
                        id: g.id.as_ref().map(|i| i.node.as_str()),
                        rules: g.rules.len(),
                    }
                })
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(b.name));
    out
}

/// Every target, sorted by name.
pub fn targets(m: &Model) -> Vec<TargetOut<'_>> {
    let mut out: Vec<TargetOut> = m
        .targets
        .iter()
        .map(|t| {
            let placement = match &t.placement {
                Placement::Vpc(vs) => format!("vswitch {}", m.vswitches[vs.node.index()].qualified),
                Placement::Idc(cidrs) => format!(
                    "idc {}",
                    cidrs
                        .iter()
                        .map(|c| c.node.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Placement::Internet(h) => format!("internet {}", h.node),
                Placement::Service { region, endpoint } => match endpoint {
                    Some(e) => format!("service {} ({})", region.node, e.node),
                    None => format!("service {}", region.node),
                },
            };
            let details = match &t.detail {
                TargetDetail::None => Vec::new(),
                TargetDetail::Rds { engine } => vec![format!("engine {}", engine.node)],
                TargetDetail::Hadoop {
                    cluster_id,
                    nodes,
                    services,
                } => std::iter::once(format!("cluster {}", cluster_id.node))
                    .chain(nodes.iter().map(|n| format!("node {}", n.node)))
                    .chain(services.iter().map(|(s, p)| format!("service {s} {p}")))
                    .collect(),
                TargetDetail::Instance { instance } => instance
                    .iter()
                    .map(|i| format!("instance {}", i.node))
                    .collect(),
            };
            TargetOut {
                name: &t.name.node,
                kind: t.kind.to_string(),
                placement,
                ports: t.ports.iter().map(|p| p.node.to_string()).collect(),
                network: t.network.node.word(),
                account: t.account.as_ref().map(|a| account(m, a.node)),
                id: t.id.as_ref().map(|i| i.node.as_str()),
                details: details
                    .into_iter()
                    .chain(t.security_group.iter().map(|g| {
                        format!(
                            "security group {}",
                            m.security_groups[g.node.index()].qualified
                        )
                    }))
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(b.name));
    out
}

/// Every compute, sorted by name.
pub fn computes(m: &Model) -> Vec<ComputeOut<'_>> {
    let mut out: Vec<ComputeOut> = m
        .computes
        .iter()
        .map(|c| match &c.kind {
            ComputeKind::MaxCompute {
                account: a,
                region,
                project,
            } => ComputeOut {
                name: &c.name.node,
                kind: "maxcompute",
                placement: format!("region {}", region.node),
                account: Some(account(m, a.node)),
                details: project
                    .iter()
                    .map(|p| format!("project {}", p.node))
                    .collect(),
            },
            ComputeKind::ResourceGroup {
                account: a,
                kind,
                vswitch,
                security_group,
                eip,
            } => ComputeOut {
                name: &c.name.node,
                kind: "resource_group",
                placement: format!("vswitch {}", m.vswitches[vswitch.node.index()].qualified),
                account: Some(account(m, a.node)),
                details: std::iter::once(format!("kind {}", kind.node))
                    .chain(security_group.iter().map(|g| {
                        format!(
                            "security group {}",
                            m.security_groups[g.node.index()].qualified
                        )
                    }))
                    .chain(eip.iter().map(|e| format!("eip {}", e.node)))
                    .collect(),
            },
            ComputeKind::Client {
                runtime,
                vswitch,
                security_group,
            } => ComputeOut {
                name: &c.name.node,
                kind: "client",
                placement: format!("vswitch {}", m.vswitches[vswitch.node.index()].qualified),
                account: None,
                details: std::iter::once(format!("runtime {}", runtime.node))
                    .chain(security_group.iter().map(|g| {
                        format!(
                            "security group {}",
                            m.security_groups[g.node.index()].qualified
                        )
                    }))
                    .collect(),
            },
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(b.name));
    out
}
