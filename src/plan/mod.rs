//! Stage 5, `plan`: the checked model → every console step the cloud needs, as a dependency
//! graph (petgraph), ordered topologically with a stable tie-break and grouped into waves; plus
//! the route, whitelist, security-group and job tables those steps fill in.

mod derive;
mod graph;
mod step;
mod tables;

pub use step::{Console, Manual, Step, Val};
pub use tables::{Hop, JobRow, Origin, RouteRow, SgRuleRow, TableRef, WhitelistItem, WhitelistRow};

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::source::Span;
use ipnet::Ipv4Net;
use std::collections::HashMap;

/// Why one step waits for another.
#[derive(Clone, Debug)]
pub struct Edge {
    /// The step that must come first.
    pub before: usize,
    /// The step that waits.
    pub after: usize,
    /// Why, in words.
    pub reason: String,
    /// For user-written `after`: where it is written.
    pub span: Option<Span>,
}

/// The compiled plan.
#[derive(Debug, Default)]
pub struct Plan {
    /// Every step, in creation (source) order; `order` gives the execution order.
    pub steps: Vec<Step>,
    /// Every dependency.
    pub edges: Vec<Edge>,
    /// Step indices in execution order.
    pub order: Vec<usize>,
    /// The wave of each step (indexed like `steps`); steps of one wave can run in parallel.
    pub waves: Vec<u32>,
    /// The position of each step in `order` (indexed like `steps`).
    pub position: Vec<usize>,
    /// The edges into each step (indexed like `steps`), as indices into `edges`.
    pub incoming: Vec<Vec<usize>>,
    /// Route entries.
    pub routes: Vec<RouteRow>,
    /// Whitelist entries.
    pub whitelists: Vec<WhitelistRow>,
    /// Security-group rules.
    pub sg_rules: Vec<SgRuleRow>,
    /// Job settings.
    pub jobs: Vec<JobRow>,
}

impl Plan {
    /// The steps (indices) a step depends on, with reasons, in execution order.
    pub fn depends_on(&self, step: usize) -> Vec<(usize, &str)> {
        let mut deps: Vec<(usize, &str)> = self.incoming[step]
            .iter()
            .map(|&e| (self.edges[e].before, self.edges[e].reason.as_str()))
            .collect();
        deps.sort_by_key(|(s, _)| self.position[*s]);
        deps.dedup_by_key(|(s, _)| *s);
        deps
    }

    /// The 1-based number of a step in execution order.
    pub fn number(&self, step: usize) -> usize {
        self.position[step] + 1
    }
}

/// Builds a plan: steps deduplicated by id, rows merged by key.
pub(crate) struct Planner<'m> {
    pub(crate) m: &'m Model,
    plan: Plan,
    by_id: HashMap<String, usize>,
    route_keys: HashMap<(TableRef, Ipv4Net, Hop), usize>,
    whitelist_keys: HashMap<(TargetId, WhitelistItem), usize>,
    rule_keys: HashMap<(SgId, Direction, Protocol, PortRange, RulePeerKey), usize>,
    /// Steps of each block, for `after`.
    by_block: HashMap<BlockRef, Vec<usize>>,
}

/// A hashable form of a rule peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum RulePeerKey {
    Cidr(Ipv4Net),
    Group(SgId),
}

impl From<RulePeer> for RulePeerKey {
    fn from(p: RulePeer) -> Self {
        match p {
            RulePeer::Cidr(c) => RulePeerKey::Cidr(c),
            RulePeer::Group(g) => RulePeerKey::Group(g),
        }
    }
}

/// Text made safe for a step id: letters, digits, `.`, `-` and `_` kept, anything else `_`.
pub(crate) fn slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `192.168.6.0/24` → `192.168.6.0_24`, for step ids.
pub(crate) fn cidr_id(net: &Ipv4Net) -> String {
    net.to_string().replace('/', "_")
}

impl<'m> Planner<'m> {
    fn new(m: &'m Model) -> Planner<'m> {
        Planner {
            m,
            plan: Plan::default(),
            by_id: HashMap::new(),
            route_keys: HashMap::new(),
            whitelist_keys: HashMap::new(),
            rule_keys: HashMap::new(),
            by_block: HashMap::new(),
        }
    }

    /// Add a step (or find the one with the same id) and return its index.
    pub(crate) fn step(&mut self, step: Step) -> usize {
        if let Some(&i) = self.by_id.get(&step.id) {
            return i;
        }
        let i = self.plan.steps.len();
        self.by_id.insert(step.id.clone(), i);
        self.by_block.entry(step.origin).or_default().push(i);
        self.plan.steps.push(step);
        i
    }

    /// The index of a step by id.
    pub(crate) fn find(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The id of a step.
    pub(crate) fn id(&self, i: usize) -> String {
        self.plan.steps[i].id.clone()
    }

    /// `after` waits for `before`.
    pub(crate) fn dep(&mut self, after: usize, before: usize, reason: impl Into<String>) {
        if after == before {
            return;
        }
        let reason = reason.into();
        if self
            .plan
            .edges
            .iter()
            .rev()
            .take(16)
            .any(|e| e.after == after && e.before == before)
        {
            return;
        }
        self.plan.edges.push(Edge {
            before,
            after,
            reason,
            span: None,
        });
    }

    /// Add a route row and, unless it is propagated, its step. A row equal to one already there
    /// (same table, destination and next hop) only adds its origin: merged, not doubled.
    pub(crate) fn route(
        &mut self,
        table: TableRef,
        destination: Ipv4Net,
        hop: Hop,
        origin: Origin,
        step: Option<Step>,
    ) -> Option<usize> {
        let key = (table.clone(), destination, hop);
        if let Some(&r) = self.route_keys.get(&key) {
            let row = &mut self.plan.routes[r];
            if !row.origins.contains(&origin) {
                row.origins.push(origin);
            }
            return row.step.clone().and_then(|s| self.by_id.get(&s).copied());
        }
        let step_idx = step.map(|s| self.step(s));
        self.route_keys.insert(key, self.plan.routes.len());
        let step = step_idx.map(|i| self.id(i));
        self.plan.routes.push(RouteRow {
            table,
            destination,
            hop,
            origins: vec![origin],
            step,
        });
        step_idx
    }

    /// Add a whitelist row and its step; an equal row (same target and entry) only adds its
    /// origin.
    pub(crate) fn whitelist(&mut self, row: WhitelistRow, step: Step) -> usize {
        let key = (row.target, row.item.clone());
        if let Some(&w) = self.whitelist_keys.get(&key) {
            let existing = &mut self.plan.whitelists[w];
            for o in row.origins {
                if !existing.origins.contains(&o) {
                    existing.origins.push(o);
                }
            }
            let id = existing.step.clone();
            return self.by_id.get(&id).copied().unwrap_or(0);
        }
        let i = self.step(step);
        let mut row = row;
        row.step = self.id(i);
        self.whitelist_keys.insert(key, self.plan.whitelists.len());
        self.plan.whitelists.push(row);
        i
    }

    /// Add a security-group rule row and its step (none for a rule the group already has); an
    /// equal rule only adds its origin.
    pub(crate) fn sg_rule(&mut self, row: SgRuleRow, step: Option<Step>) -> Option<usize> {
        let key = (
            row.group,
            row.direction,
            row.protocol,
            row.ports,
            RulePeerKey::from(row.peer),
        );
        if let Some(&r) = self.rule_keys.get(&key) {
            let existing = &mut self.plan.sg_rules[r];
            for o in row.origins {
                if !existing.origins.contains(&o) {
                    existing.origins.push(o);
                }
            }
            return existing
                .step
                .clone()
                .and_then(|s| self.by_id.get(&s).copied());
        }
        let i = step.map(|s| self.step(s));
        let mut row = row;
        row.step = i.map(|i| self.id(i));
        self.rule_keys.insert(key, self.plan.sg_rules.len());
        self.plan.sg_rules.push(row);
        i
    }

    /// Steps created for a block so far.
    pub(crate) fn steps_of(&self, block: BlockRef) -> Vec<usize> {
        self.by_block.get(&block).cloned().unwrap_or_default()
    }

    /// The job rows of a flow so far.
    pub(crate) fn jobs_of(&self, flow: FlowId) -> Vec<JobRow> {
        self.plan
            .jobs
            .iter()
            .filter(|j| j.flow == flow)
            .cloned()
            .collect()
    }

    /// Add job settings.
    pub(crate) fn job(&mut self, row: JobRow) {
        self.plan.jobs.push(row);
    }
}

/// Build the plan for a checked model. Fails only on a dependency cycle (user `after`).
pub fn plan(model: &Model) -> Result<Plan, Vec<Diagnostic>> {
    let mut p = Planner::new(model);
    derive::all(&mut p);
    let Planner {
        mut plan, by_block, ..
    } = p;
    // User ordering: every step of the waiting block waits for every step of the named block.
    for after in &model.after {
        let mine = by_block.get(&after.block).cloned().unwrap_or_default();
        for on in &after.on {
            for &b in by_block.get(&on.node).map(Vec::as_slice).unwrap_or(&[]) {
                for &a in &mine {
                    if a != b {
                        plan.edges.push(Edge {
                            before: b,
                            after: a,
                            reason: "`after` written by the user".to_string(),
                            span: Some(on.span),
                        });
                    }
                }
            }
        }
    }
    graph::order(&mut plan)?;
    Ok(plan)
}
