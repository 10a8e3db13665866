//! Stage 6, `verify`: prove every flow against the network as it will stand once the plan is
//! applied, in both directions, hop by hop.
//!
//! The model is static: per-VPC route tables (the VPC's own block, then the plan's route rows by
//! longest prefix), peering, CEN transit routers (with their propagated and written routes),
//! Express Connect and VPN to data centres, NAT gateways for the internet, the resource groups'
//! custom routes, security groups (the plan's rule rows, declared and derived) and whitelists.
//! Source addresses are the seeds': the resource group's vSwitch block, the network link's
//! vSwitch block (its ENIs), the NAT gateway's EIP. See `docs/verification.md`.

mod filters;
mod net;
mod render;

pub use render::{trace_json, trace_text};

use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::plan::{Origin, Plan};
use crate::source::Span;
use ipnet::Ipv4Net;

/// What is traced: a flow, or an ad-hoc `--from X --to Y:PORT`.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The flow's name (or `from → to`).
    pub name: String,
    /// The flow, when the probe is one.
    pub flow: Option<FlowId>,
    /// Who connects.
    pub from: ComputeId,
    /// To what.
    pub to: TargetId,
    /// Ports (empty: the target's).
    pub ports: Vec<PortRange>,
    /// Connections, links or lists the probe names.
    pub via: Vec<Via>,
    /// Where it is written.
    pub span: Span,
}

impl Probe {
    /// The probe of a flow.
    pub fn of_flow(m: &Model, id: FlowId) -> Probe {
        let f = &m.flows[id.index()];
        Probe {
            name: f.name.node.clone(),
            flow: Some(id),
            from: f.from.node,
            to: f.to.node,
            ports: f.ports.iter().map(|p| p.node).collect(),
            via: f.via.iter().map(|v| v.node).collect(),
            span: f.name.span,
        }
    }
}

/// Which way a trace goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the compute to the target.
    Forward,
    /// The reply, back to the compute.
    Return,
}

/// One hop: where the packet is, what was consulted, what it decided.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hop {
    /// Where (`vpc `hz_vpc``, `transit router `corp` (cn-hangzhou)`).
    pub at: String,
    /// What was consulted (`route table`, `security group `x` (ingress)`, `whitelist`).
    pub consulted: String,
    /// What it decided.
    pub decision: String,
}

/// How a trace ends, in the spirit of Batfish's dispositions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The packet gets there.
    Delivered,
    /// No route at a hop.
    NoRoute {
        /// Where.
        at: String,
        /// To what.
        destination: String,
        /// What to add.
        help: String,
    },
    /// The source side drops it (its security group, MaxCompute's access list).
    DeniedOut {
        /// What denied it.
        by: String,
        /// What would admit it.
        help: String,
    },
    /// The target side drops it (its security group or whitelist).
    DeniedIn {
        /// What denied it.
        by: String,
        /// What would admit it.
        help: String,
    },
    /// The packet comes back to a hop it passed.
    Loop {
        /// Where.
        at: String,
    },
    /// Two routes of the same length point different ways.
    Ambiguous {
        /// Where.
        at: String,
        /// To what.
        destination: String,
    },
}

impl Outcome {
    /// Did it get there?
    pub fn delivered(&self) -> bool {
        matches!(self, Outcome::Delivered)
    }

    /// A short line for messages.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Delivered => "delivered".to_string(),
            Outcome::NoRoute {
                at, destination, ..
            } => format!("no route in {at} to {destination}"),
            Outcome::DeniedOut { by, .. } => format!("denied out by {by}"),
            Outcome::DeniedIn { by, .. } => format!("denied in by {by}"),
            Outcome::Loop { at } => format!("loops at {at}"),
            Outcome::Ambiguous { at, destination } => {
                format!("ambiguous routes in {at} to {destination}")
            }
        }
    }

    /// What to add or change.
    pub fn help(&self) -> Option<String> {
        match self {
            Outcome::NoRoute { help, .. } | Outcome::DeniedOut { help, .. } | Outcome::DeniedIn { help, .. } => Some(help.clone()),
            Outcome::Ambiguous { destination, .. } => Some(format!("routes in this table send parts of {destination} different ways: remove the narrower route, or send it the same way")),
            Outcome::Loop { .. } => Some("routes send the packet back where it came from: check the written routes on this path".to_string()),
            Outcome::Delivered => None,
        }
    }
}

/// One direction of a probe.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Trace {
    /// Which way.
    pub direction: Direction,
    /// The hops, in order.
    pub hops: Vec<Hop>,
    /// How it ends.
    pub outcome: Outcome,
}

/// Both directions of a probe, and what it waits on.
#[derive(Debug, Clone)]
pub struct Proof {
    /// What was traced.
    pub probe: Probe,
    /// From the compute to the target.
    pub forward: Trace,
    /// Back (only when the forward trace is delivered).
    pub back: Option<Trace>,
    /// Manual steps (tickets, applications, acceptances) the path waits on: delivered once done.
    pub pending: Vec<String>,
    /// Route rows the traces used.
    pub routes_used: Vec<usize>,
    /// Whitelist rows the traces used.
    pub whitelists_used: Vec<usize>,
}

impl Proof {
    /// Both ways delivered.
    pub fn proven(&self) -> bool {
        self.forward.outcome.delivered()
            && self.back.as_ref().is_some_and(|b| b.outcome.delivered())
    }
}

/// Trace one probe.
pub fn trace(m: &Model, plan: &Plan, probe: &Probe) -> Proof {
    let network = crate::net::Network::build(m);
    net::Net::new(m, &network, plan).prove(probe)
}

/// Prove every flow; diagnostics for the unproven ones and for written routes and whitelist
/// entries no flow uses.
pub fn verify(
    m: &Model,
    network: &crate::net::Network,
    plan: &Plan,
) -> (Vec<Proof>, Vec<Diagnostic>) {
    let net = net::Net::new(m, network, plan);
    let proofs: Vec<Proof> = (0..m.flows.len())
        .map(|i| net.prove(&Probe::of_flow(m, FlowId(i as u32))))
        .collect();
    let mut out = Vec::new();
    for p in &proofs {
        let f = &m.flows[p.probe.flow.map(|f| f.index()).unwrap_or(0)];
        let (code, trace) = if !p.forward.outcome.delivered() {
            (Code::FLOW_UNPROVEN, &p.forward)
        } else if let Some(b) = p.back.as_ref().filter(|b| !b.outcome.delivered()) {
            (Code::FLOW_NO_RETURN, b)
        } else {
            continue;
        };
        let way = if trace.direction == Direction::Forward {
            "does not reach"
        } else {
            "gets no reply from"
        };
        let mut d = Diagnostic::new(
            code,
            format!(
                "flow `{}` {way} `{}`: {}",
                f.name.node,
                m.targets[f.to.node.index()].name.node,
                trace.outcome.summary()
            ),
        )
        .primary(f.name.span, "this flow is not proven")
        .help(
            trace
                .outcome
                .help()
                .unwrap_or_else(|| "see `netlink trace` for the hops".to_string()),
        );
        if let Some(last) = trace.hops.last() {
            d = d.note(format!(
                "last hop: {} — {}: {}",
                last.at, last.consulted, last.decision
            ));
        }
        out.push(d);
    }
    dead_configuration(m, plan, &proofs, &mut out);
    (proofs, out)
}

/// NL5003/NL5004: written routes and whitelist entries that no flow's trace uses.
fn dead_configuration(m: &Model, plan: &Plan, proofs: &[Proof], out: &mut Vec<Diagnostic>) {
    let mut route_used = vec![false; plan.routes.len()];
    let mut wl_used = vec![false; plan.whitelists.len()];
    for p in proofs {
        p.routes_used.iter().for_each(|&r| route_used[r] = true);
        p.whitelists_used.iter().for_each(|&w| wl_used[w] = true);
    }
    for (i, r) in plan.routes.iter().enumerate() {
        if route_used[i] {
            continue;
        }
        for o in &r.origins {
            if let Origin::Explicit(b) = o {
                if b.kind != crate::resolve::SymbolKind::Route {
                    continue;
                }
                let route = &m.routes[b.index as usize];
                out.push(
                    Diagnostic::new(
                        Code::UNUSED_ROUTE,
                        format!("route `{}` carries no flow", route.name.node),
                    )
                    .primary(route.name.span, "no flow's trace uses this route")
                    .help("remove it, or declare the flow it is for"),
                );
            }
        }
    }
    for (i, w) in plan.whitelists.iter().enumerate() {
        if wl_used[i] || w.warning == Some("open-to-all") {
            continue;
        }
        for o in &w.origins {
            if let Origin::Explicit(b) = o {
                if b.kind != crate::resolve::SymbolKind::Whitelist {
                    continue;
                }
                let wl = &m.whitelists[b.index as usize];
                let Some(entry) = wl
                    .entries
                    .iter()
                    .find(|e| crate::plan::WhitelistItem::Cidr(e.net) == w.item)
                else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        Code::UNUSED_WHITELIST,
                        format!(
                            "whitelist entry {} on `{}` admits no flow",
                            entry.net,
                            m.targets[w.target.index()].name.node
                        ),
                    )
                    .primary(entry.span, "no flow comes from this address")
                    .help("remove it, or declare the flow it is for"),
                );
            }
        }
    }
}

/// A net's text for traces.
pub(crate) fn show(net: &Ipv4Net) -> String {
    if net.prefix_len() == 32 {
        net.addr().to_string()
    } else {
        net.to_string()
    }
}
