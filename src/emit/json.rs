//! The JSON artifacts: serde types of their own (never the internal model), sorted.

use super::names::{account_name, origins, source_ref, OriginOut, SourceRef};
use crate::model::*;
use crate::names::{hop_name, table_name};
use crate::plan::{Plan, Val, WhitelistItem};
use crate::source::SourceMap;
use serde::Serialize;

pub use crate::names::FORMAT_VERSION;

#[derive(Serialize)]
struct AccountOut<'a> {
    name: &'a str,
    uid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ValueOut<'a> {
    Text {
        name: &'a str,
        value: &'a str,
    },
    List {
        name: &'a str,
        values: &'a [String],
    },
    Later {
        name: &'a str,
        known_after: KnownAfter<'a>,
    },
}

#[derive(Serialize)]
struct KnownAfter<'a> {
    step: &'a str,
    output: &'static str,
}

#[derive(Serialize)]
struct DependencyOut<'a> {
    step: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct ManualOut {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lead_time: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<&'static str>,
}

#[derive(Serialize)]
struct StepOut<'a> {
    number: usize,
    id: &'a str,
    title: std::borrow::Cow<'a, str>,
    action: &'static str,
    account: Option<&'a str>,
    region: Option<&'a str>,
    console: &'static str,
    path: std::borrow::Cow<'a, str>,
    values: Vec<ValueOut<'a>>,
    depends_on: Vec<DependencyOut<'a>>,
    wave: u32,
    manual: Option<ManualOut>,
    source: SourceRef<'a>,
}

#[derive(Serialize)]
struct SummaryOut {
    steps: usize,
    waves: u32,
    manual_steps: usize,
    accounts: usize,
    flows: usize,
}

#[derive(Serialize)]
struct PlanOut<'a> {
    format_version: &'static str,
    summary: SummaryOut,
    accounts: Vec<AccountOut<'a>>,
    steps: StepsOut<'a>,
    flows: Vec<FlowOut<'a>>,
    vpcs: Vec<super::inventory::VpcOut<'a>>,
    targets: Vec<super::inventory::TargetOut<'a>>,
    computes: Vec<super::inventory::ComputeOut<'a>>,
}

/// A flow as the plan leaves it: its ends, ports and jobs, the places its packets pass each
/// way and the verdict, so `netlink diff` sees any change to what a flow does.
#[derive(Serialize)]
struct FlowOut<'a> {
    name: &'a str,
    from: &'a str,
    to: &'a str,
    /// The ports the flow uses (its own, else the target's; `1-65535` for any).
    ports: Vec<String>,
    /// The ports the target serves (empty: any).
    target_ports: Vec<String>,
    mode: &'static str,
    jobs: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ram_role: Option<&'a str>,
    via: Vec<String>,
    /// `proven`, `proven once the manual steps are done` or `not proven`.
    verdict: &'static str,
    /// The manual steps the path waits on.
    waits_on: &'a [String],
    /// Where the packet is, hop by hop, forward and back (consecutive repeats merged).
    path: Vec<&'a str>,
    return_path: Vec<&'a str>,
    source: SourceRef<'a>,
}

fn places(trace: Option<&crate::verify::Trace>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for h in trace.into_iter().flat_map(|t| &t.hops) {
        if out.last() != Some(&h.at.as_str()) {
            out.push(&h.at);
        }
    }
    out
}

fn flows_out<'a>(
    m: &'a Model,
    proofs: &'a [crate::verify::Proof],
    sources: &'a SourceMap,
) -> Vec<FlowOut<'a>> {
    let mut out: Vec<FlowOut<'a>> = m
        .flows
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let t = &m.targets[f.to.node.index()];
            let proof = proofs
                .get(i)
                .filter(|p| p.probe.flow.map(|x| x.index()) == Some(i));
            let target_ports: Vec<String> = t.ports.iter().map(|p| p.node.to_string()).collect();
            let ports = if !f.ports.is_empty() {
                f.ports.iter().map(|p| p.node.to_string()).collect()
            } else if !target_ports.is_empty() {
                target_ports.clone()
            } else {
                vec![PortRange::ALL.to_string()]
            };
            let verdict = match proof {
                Some(p) if p.proven() && p.pending.is_empty() => "proven",
                Some(p) if p.proven() => "proven once the manual steps are done",
                _ => "not proven",
            };
            FlowOut {
                name: &f.name.node,
                from: &m.computes[f.from.node.index()].name.node,
                to: &t.name.node,
                ports,
                target_ports,
                mode: f.mode.node.word(),
                jobs: f.job_kinds(m).into_iter().map(|j| j.word()).collect(),
                ram_role: f.ram_role.as_ref().map(|r| r.node.as_str()),
                via: f.via.iter().map(|v| via_name(m, v.node)).collect(),
                verdict,
                waits_on: proof.map(|p| p.pending.as_slice()).unwrap_or(&[]),
                path: places(proof.map(|p| &p.forward)),
                return_path: places(proof.and_then(|p| p.back.as_ref())),
                source: source_ref(sources, f.span),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(b.name));
    out
}

/// The steps in execution order, each made only as it is serialized (a plan can hold a
/// hundred thousand steps; no second copy of them is built).
struct StepsOut<'a> {
    m: &'a Model,
    plan: &'a Plan,
    sources: &'a SourceMap,
}

impl Serialize for StepsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (m, plan) = (self.m, self.plan);
        ser.collect_seq(plan.order.iter().enumerate().map(|(n, &i)| {
            let s = &plan.steps[i];
            StepOut {
                number: n + 1,
                id: &s.id,
                title: crate::text::plain(&s.title),
                action: s.action,
                account: s.account.map(|a| m.accounts[a.index()].name.node.as_str()),
                region: s.region.as_deref(),
                console: s.console.as_str(),
                path: crate::text::plain(&s.path),
                values: s.values.iter().map(|(k, v)| value(k, v)).collect(),
                depends_on: plan
                    .depends_on(i)
                    .into_iter()
                    .map(|(d, r)| DependencyOut {
                        step: &plan.steps[d].id,
                        reason: r,
                    })
                    .collect(),
                wave: plan.waves[i],
                manual: s.manual.as_ref().map(|x| ManualOut {
                    kind: x.kind,
                    lead_time: x.lead_time,
                    deadline: x.deadline,
                }),
                source: source_ref(self.sources, s.span),
            }
        }))
    }
}

fn value<'a>(name: &'a str, v: &'a Val) -> ValueOut<'a> {
    match v {
        Val::Text(t) => ValueOut::Text { name, value: t },
        Val::List(l) => ValueOut::List { name, values: l },
        Val::Output { step, output } => ValueOut::Later {
            name,
            known_after: KnownAfter { step, output },
        },
    }
}

fn to_writer(w: &mut dyn std::io::Write, v: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, v).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

/// `plan.json`, written to `w` as it is serialized.
pub fn write_plan_json(
    m: &Model,
    plan: &Plan,
    proofs: &[crate::verify::Proof],
    sources: &SourceMap,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let out = PlanOut {
        format_version: FORMAT_VERSION,
        summary: SummaryOut {
            steps: plan.steps.len(),
            waves: plan.waves.iter().copied().max().unwrap_or(0),
            manual_steps: plan.steps.iter().filter(|s| s.manual.is_some()).count(),
            accounts: m.accounts.len(),
            flows: m.flows.len(),
        },
        accounts: m
            .accounts
            .iter()
            .map(|a| AccountOut {
                name: &a.name.node,
                uid: &a.uid.node,
                label: a.label.as_deref(),
            })
            .collect(),
        steps: StepsOut { m, plan, sources },
        flows: flows_out(m, proofs, sources),
        vpcs: super::inventory::vpcs(m),
        targets: super::inventory::targets(m),
        computes: super::inventory::computes(m),
    };
    to_writer(w, &out)
}

#[derive(Serialize)]
struct RouteEntryOut {
    destination: String,
    next_hop: NamedOut,
    origin: Vec<OriginOut>,
    step: Option<String>,
}

#[derive(Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct NamedOut {
    kind: &'static str,
    name: String,
}

#[derive(Serialize)]
struct RouteTableOut {
    table: NamedOut,
    entries: Vec<RouteEntryOut>,
}

#[derive(Serialize)]
struct RoutesOut {
    format_version: &'static str,
    tables: Vec<RouteTableOut>,
}

/// `routes.json`: per VPC, resource group, transit router and data centre.
fn routes_out(m: &Model, plan: &Plan) -> RoutesOut {
    let mut tables: Vec<RouteTableOut> = Vec::new();
    let mut rows: Vec<(NamedOut, &crate::plan::RouteRow)> = plan
        .routes
        .iter()
        .map(|r| {
            let (kind, name) = table_name(m, &r.table);
            (NamedOut { kind, name }, r)
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, a.1.destination).cmp(&(&b.0, b.1.destination)));
    for (table, r) in rows {
        let (kind, name) = hop_name(m, &r.hop);
        let entry = RouteEntryOut {
            destination: r.destination.to_string(),
            next_hop: NamedOut { kind, name },
            origin: origins(m, &r.origins),
            step: r.step.map(|i| plan.steps[i].id.clone()),
        };
        match tables.last_mut() {
            Some(t) if t.table == table => t.entries.push(entry),
            _ => tables.push(RouteTableOut {
                table,
                entries: vec![entry],
            }),
        }
    }
    RoutesOut {
        format_version: FORMAT_VERSION,
        tables,
    }
}

#[derive(Serialize)]
struct WhitelistEntryOut {
    entry: String,
    kind: &'static str,
    why: String,
    warning: Option<&'static str>,
    origin: Vec<OriginOut>,
    step: String,
}

#[derive(Serialize)]
struct WhitelistTargetOut {
    target: String,
    kind: &'static str,
    entries: Vec<WhitelistEntryOut>,
}

#[derive(Serialize)]
struct WhitelistsOut {
    format_version: &'static str,
    targets: Vec<WhitelistTargetOut>,
}

/// `whitelists.json`.
fn whitelists_out(m: &Model, plan: &Plan) -> WhitelistsOut {
    let mut rows: Vec<&crate::plan::WhitelistRow> = plan.whitelists.iter().collect();
    rows.sort_by(|a, b| {
        (&m.targets[a.target.index()].name.node, &a.item)
            .cmp(&(&m.targets[b.target.index()].name.node, &b.item))
    });
    let mut targets: Vec<WhitelistTargetOut> = Vec::new();
    for r in rows {
        let t = &m.targets[r.target.index()];
        let (entry, kind) = match &r.item {
            WhitelistItem::Cidr(c) if c.prefix_len() == 32 => (c.addr().to_string(), "ip"),
            WhitelistItem::Cidr(c) => (c.to_string(), "cidr"),
            WhitelistItem::Pending(p) => (p.clone(), "pending"),
        };
        let e = WhitelistEntryOut {
            entry,
            kind,
            why: r.why.clone(),
            warning: r.warning,
            origin: origins(m, &r.origins),
            step: plan.steps[r.step].id.clone(),
        };
        match targets.last_mut() {
            Some(x) if x.target == t.name.node => x.entries.push(e),
            _ => targets.push(WhitelistTargetOut {
                target: t.name.node.clone(),
                kind: t.kind.keyword(),
                entries: vec![e],
            }),
        }
    }
    WhitelistsOut {
        format_version: FORMAT_VERSION,
        targets,
    }
}

#[derive(Serialize)]
struct RuleOut {
    direction: String,
    protocol: String,
    ports: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<NamedOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination: Option<NamedOut>,
    priority: u8,
    action: String,
    why: String,
    origin: Vec<OriginOut>,
    step: Option<String>,
}

#[derive(Serialize)]
struct GroupOut {
    group: String,
    vpc: String,
    account: String,
    #[serde(rename = "type")]
    kind: String,
    managed: bool,
    rules: Vec<RuleOut>,
}

#[derive(Serialize)]
struct GroupsOut {
    format_version: &'static str,
    groups: Vec<GroupOut>,
}

/// `security-groups.json`.
fn security_groups_out(m: &Model, plan: &Plan) -> GroupsOut {
    let mut groups: Vec<GroupOut> = Vec::new();
    // Rules by group name, in plan order within a group: one sort, no scan per group.
    let mut order: Vec<usize> = (0..plan.sg_rules.len()).collect();
    order.sort_by(|&a, &b| {
        let name = |i: usize| &m.security_groups[plan.sg_rules[i].group.index()].qualified;
        name(a).cmp(name(b)).then(a.cmp(&b))
    });
    for run in order.chunk_by(|&a, &b| plan.sg_rules[a].group == plan.sg_rules[b].group) {
        let g = plan.sg_rules[run[0]].group;
        let sg = &m.security_groups[g.index()];
        let vpc = &m.vpcs[sg.vpc.index()];
        let rules = run
            .iter()
            .map(|&i| {
                let r = &plan.sg_rules[i];
                let peer = match r.peer {
                    RulePeer::Cidr(c) => NamedOut {
                        kind: "cidr",
                        name: c.to_string(),
                    },
                    RulePeer::Group(x) => NamedOut {
                        kind: "security_group",
                        name: m.security_groups[x.index()].qualified.clone(),
                    },
                };
                let ingress = r.direction == Direction::Ingress;
                RuleOut {
                    direction: r.direction.to_string(),
                    protocol: r.protocol.to_string(),
                    ports: crate::names::port_range(r.protocol, r.ports),
                    source: ingress.then(|| peer.clone()),
                    destination: (!ingress).then_some(peer),
                    priority: r.priority,
                    action: r.action.to_string(),
                    why: r.why.clone(),
                    origin: origins(m, &r.origins),
                    step: r.step.map(|i| plan.steps[i].id.clone()),
                }
            })
            .collect();
        groups.push(GroupOut {
            group: sg.qualified.clone(),
            vpc: vpc.name.node.clone(),
            account: account_name(m, vpc.account.node),
            kind: sg.kind.node.to_string(),
            managed: sg.managed,
            rules,
        });
    }
    GroupsOut {
        format_version: FORMAT_VERSION,
        groups,
    }
}

#[derive(Serialize)]
struct EndpointOut {
    #[serde(rename = "type")]
    kind: String,
    host: String,
}

#[derive(Serialize)]
struct JobOut {
    job: String,
    scheme: &'static str,
    settings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<EndpointOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
}

#[derive(Serialize)]
struct FlowJobsOut {
    flow: String,
    from: String,
    to: String,
    jobs: Vec<JobOut>,
}

#[derive(Serialize)]
struct JobsOut {
    format_version: &'static str,
    flows: Vec<FlowJobsOut>,
}

/// `jobs.json`: per flow and job kind, the exact settings.
fn jobs_out(m: &Model, plan: &Plan) -> JobsOut {
    let mut flows: Vec<FlowJobsOut> = Vec::new();
    // Job rows by flow, in plan order within a flow: one sort, no scan per flow.
    let mut order: Vec<usize> = (0..plan.jobs.len()).collect();
    order.sort_by_key(|&j| (plan.jobs[j].flow.index(), j));
    for run in order.chunk_by(|&a, &b| plan.jobs[a].flow == plan.jobs[b].flow) {
        let f = &m.flows[plan.jobs[run[0]].flow.index()];
        let jobs: Vec<JobOut> = run
            .iter()
            .map(|&j| &plan.jobs[j])
            .map(|j| JobOut {
                job: j.job.to_string(),
                scheme: j.scheme,
                settings: j.settings.clone(),
                endpoint: j.endpoint.as_ref().map(|(t, h)| EndpointOut {
                    kind: t.to_string(),
                    host: h.clone(),
                }),
                notes: j.notes.clone(),
            })
            .collect();
        flows.push(FlowJobsOut {
            flow: f.name.node.clone(),
            from: m.computes[f.from.node.index()].name.node.clone(),
            to: m.targets[f.to.node.index()].name.node.clone(),
            jobs,
        });
    }
    JobsOut {
        format_version: FORMAT_VERSION,
        flows,
    }
}

/// `routes.json`, written to `w`.
pub fn write_routes_json(
    m: &Model,
    plan: &Plan,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    to_writer(w, &routes_out(m, plan))
}

/// `whitelists.json`, written to `w`.
pub fn write_whitelists_json(
    m: &Model,
    plan: &Plan,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    to_writer(w, &whitelists_out(m, plan))
}

/// `security-groups.json`, written to `w`.
pub fn write_security_groups_json(
    m: &Model,
    plan: &Plan,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    to_writer(w, &security_groups_out(m, plan))
}

/// `jobs.json`, written to `w`.
pub fn write_jobs_json(m: &Model, plan: &Plan, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    to_writer(w, &jobs_out(m, plan))
}

/// What a flow's `via` names, as it is written.
fn via_name(m: &Model, v: Via) -> String {
    match v {
        Via::Connection(c) => m.connections[c.index()].name.node.clone(),
        Via::NetworkLink(l) => m.network_links[l.index()].name.node.clone(),
        Via::InternetAccess(a) => m.internet_accesses[a.index()].name.node.clone(),
        Via::Nat(n) => m.nat_gateways[n.index()].name.node.clone(),
    }
}
