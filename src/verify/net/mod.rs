//! The forwarding simulation: from a source, table by table, to the target and back.

mod admit;
mod back;
mod forward;
mod tables;

use super::filters::{Admission, Filters};
use super::{show, Direction as Way, Hop, Outcome, Probe, Proof, Trace};
use crate::model::*;
use crate::net::filters::PeerEnd;
use crate::net::path::{FlowPath, Request, Source};
use crate::net::{Network, TargetSite};
use crate::plan::{Hop as NextHop, Plan, TableRef};
use ipnet::Ipv4Net;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Where a packet is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Loc {
    Vpc(VpcId),
    TransitRouter(ConnectionId, String),
    Idc(TargetId),
    Internet,
}

/// Hops a trace may take before it is called a loop.
const MAX_HOPS: usize = 32;

/// The network as the plan leaves it.
pub struct Net<'m> {
    m: &'m Model,
    plan: &'m Plan,
    network: &'m Network,
    tables: HashMap<TableRef, Vec<usize>>,
    filters: Filters<'m>,
    step_index: HashMap<&'m str, usize>,
}

impl<'m> Net<'m> {
    /// Index the plan's tables.
    pub fn new(m: &'m Model, network: &'m Network, plan: &'m Plan) -> Net<'m> {
        let mut tables: HashMap<TableRef, Vec<usize>> = HashMap::default();
        for (i, r) in plan.routes.iter().enumerate() {
            tables.entry(r.table.clone()).or_default().push(i);
        }
        let step_index = plan
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        Net {
            m,
            plan,
            network,
            tables,
            filters: Filters::new(plan),
            step_index,
        }
    }

    fn loc_name(&self, l: &Loc) -> String {
        match l {
            Loc::Vpc(v) => format!("vpc `{}`", self.m.vpcs[v.index()].name.node),
            Loc::TransitRouter(c, r) => format!(
                "transit router of `{}` ({r})",
                self.m.connections[c.index()].name.node
            ),
            Loc::Idc(t) => format!("data centre `{}`", self.m.targets[t.index()].name.node),
            Loc::Internet => "the internet".to_string(),
        }
    }

    /// Trace a probe both ways, along the path the reachability layer found for it (a flow's
    /// own, or one found for the probe).
    pub fn prove(&self, p: &Probe) -> Proof {
        let found;
        let path = match p.flow {
            Some(f) => self.network.path(f),
            None => {
                found = FlowPath::find(
                    self.m,
                    &self.network.index,
                    Request {
                        from: p.from,
                        to: p.to,
                        via: &p.via,
                        ports: &p.ports,
                    },
                );
                &found
            }
        };
        let mut used = Vec::new();
        let mut wl_used = Vec::new();
        let mut hops = Vec::new();
        let outcome = self.forward(p, path, &mut hops, &mut used, &mut wl_used);
        let forward = Trace {
            direction: Way::Forward,
            hops,
            outcome,
        };
        let back = forward.outcome.delivered().then(|| {
            let mut hops = Vec::new();
            let outcome = self.back(p, path, &mut hops, &mut used);
            Trace {
                direction: Way::Return,
                hops,
                outcome,
            }
        });
        Proof {
            probe: p.clone(),
            forward,
            back,
            pending: self.pending(p),
            routes_used: used,
            whitelists_used: wl_used,
        }
    }

    /// Manual steps the flow's test step waits on, directly or not.
    fn pending(&self, p: &Probe) -> Vec<String> {
        let Some(f) = p.flow else { return Vec::new() };
        let name = &self.m.flows[f.index()].name.node;
        let Some(&test) = self.step_index.get(format!("flow.{name}.test").as_str()) else {
            return Vec::new();
        };
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![test];
        let mut out = Vec::new();
        while let Some(s) = stack.pop() {
            if !seen.insert(s) {
                continue;
            }
            if self.plan.steps[s].manual.is_some() {
                out.push(s);
            }
            for &e in &self.plan.incoming[s] {
                stack.push(self.plan.edges[e].before);
            }
        }
        out.sort_by_key(|&s| self.plan.position[s]);
        out.into_iter()
            .map(|s| self.plan.steps[s].id.clone())
            .collect()
    }
}

/// RFC 1918 and shared address space: never reached through a NAT gateway.
fn is_private(net: &Ipv4Net) -> bool {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ]
    .iter()
    .filter_map(|p| p.parse::<Ipv4Net>().ok())
    .any(|p| p.contains(net))
}
