//! Stage 5, `plan`: the checked model → every console step the cloud needs, as a dependency
//! graph (petgraph), ordered topologically with a stable tie-break and grouped into waves; plus
//! the route, whitelist, security-group and job tables those steps fill in.

mod derive;
mod graph;
mod step;
mod tables;

pub use derive::vpn_side;
pub use step::{Console, Manual, Step, Val};
pub use tables::{Hop, JobRow, Origin, RouteRow, SgRuleRow, TableRef, WhitelistItem, WhitelistRow};

use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::source::Span;
use ipnet::Ipv4Net;
use std::borrow::Cow;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Why one step waits for another.
#[derive(Clone, Debug)]
pub struct Edge {
    /// The step that must come first.
    pub before: usize,
    /// The step that waits.
    pub after: usize,
    /// Why, in words.
    pub reason: Cow<'static, str>,
    /// For user-written `after`: where it is written.
    pub span: Option<Span>,
}

/// The compiled plan.
#[derive(Debug, Default, Clone)]
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
            .map(|&e| (self.edges[e].before, &*self.edges[e].reason))
            .collect();
        deps.sort_by_key(|(s, _)| self.position[*s]);
        deps.dedup_by_key(|(s, _)| *s);
        deps
    }

    /// Give back spare capacity: the plan is kept until the artifacts are written.
    fn shrink_to_fit(&mut self) {
        self.steps.shrink_to_fit();
        self.edges.shrink_to_fit();
        self.routes.shrink_to_fit();
        self.whitelists.shrink_to_fit();
        self.sg_rules.shrink_to_fit();
        self.jobs.shrink_to_fit();
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
    route_keys: HashMap<(TableRef, Ipv4Net), usize>,
    /// Explicit routes by table and next hop, to find the one covering a flow's destination.
    explicit_routes: HashMap<(TableRef, Hop), Vec<(Ipv4Net, usize)>>,
    /// Routes asked for with another next hop than the table already has for that destination.
    conflicts: Vec<(usize, Hop, Origin)>,
    whitelist_keys: HashMap<(TargetId, WhitelistItem), usize>,
    rule_keys: HashMap<(SgId, Direction, Protocol, PortRange, RulePeerKey), usize>,
    /// Steps of each block, for `after`.
    by_block: HashMap<BlockRef, Vec<usize>>,
    /// Job rows of each flow (indices into `plan.jobs`).
    jobs_by_flow: HashMap<FlowId, Vec<usize>>,
    /// Groups netlink creates when they have no id: MaxCompute's and resource groups' own.
    /// A target's group belongs to its instance and is taken to exist.
    pub(crate) owned_groups: rustc_hash::FxHashSet<SgId>,
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
            by_id: HashMap::default(),
            route_keys: HashMap::default(),
            explicit_routes: HashMap::default(),
            conflicts: Vec::new(),
            whitelist_keys: HashMap::default(),
            rule_keys: HashMap::default(),
            by_block: HashMap::default(),
            jobs_by_flow: HashMap::default(),
            owned_groups: m
                .network_links
                .iter()
                .map(|l| l.security_group.node)
                .chain(m.computes.iter().filter_map(|c| match &c.kind {
                    ComputeKind::ResourceGroup {
                        security_group: Some(g),
                        ..
                    } => Some(g.node),
                    _ => None,
                }))
                .collect(),
        }
    }

    /// Add a step (or find the one with the same id) and return its index.
    pub(crate) fn step(&mut self, step: Step) -> usize {
        if let Some(&i) = self.by_id.get(&step.id) {
            // Another block needs the same step: it is that block's step too, for `after`.
            self.claim(i, step.origin);
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

    /// `after` waits for `before`.
    pub(crate) fn dep(
        &mut self,
        after: usize,
        before: usize,
        reason: impl Into<Cow<'static, str>>,
    ) {
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
        // A flow's route inside a block the user already routes through the same hop is covered.
        if let Origin::Flow(_) = origin {
            let covering = self
                .explicit_routes
                .get(&(table.clone(), hop))
                .and_then(|rows| {
                    rows.iter()
                        .find(|(net, _)| net.contains(&destination))
                        .map(|(_, r)| *r)
                });
            if let Some(r) = covering {
                return self.merge_route(r, origin);
            }
        }
        if let Some(&r) = self.route_keys.get(&(table.clone(), destination)) {
            if self.plan.routes[r].hop != hop {
                // A learned (propagated) entry gives way to a written or derived one.
                if origin == Origin::Propagated {
                    return None;
                }
                if self.plan.routes[r]
                    .origins
                    .iter()
                    .all(|o| *o == Origin::Propagated)
                {
                    let step_idx = step.map(|s| self.step(s));
                    let row = &mut self.plan.routes[r];
                    row.hop = hop;
                    row.origins = vec![origin];
                    row.step = step_idx;
                    return step_idx;
                }
                // One table cannot send one destination two ways: reported by `plan`.
                self.conflicts.push((r, hop, origin));
                return None;
            }
            return self.merge_route(r, origin);
        }
        let step_idx = step.map(|s| self.step(s));
        let r = self.plan.routes.len();
        self.route_keys.insert((table.clone(), destination), r);
        if let Origin::Explicit(_) = origin {
            self.explicit_routes
                .entry((table.clone(), hop))
                .or_default()
                .push((destination, r));
        }
        self.plan.routes.push(RouteRow {
            table,
            destination,
            hop,
            origins: vec![origin],
            step: step_idx,
        });
        step_idx
    }

    fn merge_route(&mut self, r: usize, origin: Origin) -> Option<usize> {
        let row = &mut self.plan.routes[r];
        if !row.origins.contains(&origin) {
            row.origins.push(origin);
        }
        let step = row.step;
        // The entry another block already adds is this block's step too, for `after`.
        if let (Some(i), Some(b)) = (step, origin_block(self.m, &origin)) {
            self.claim(i, b);
        }
        step
    }

    /// Count step `i` among `block`'s steps (a step several blocks need, made once).
    fn claim(&mut self, i: usize, block: BlockRef) {
        let steps = self.by_block.entry(block).or_default();
        // Steps are claimed in runs; a repeat of the last one is the common duplicate. Others
        // are removed where the lists are read (`plan`).
        if steps.last() != Some(&i) {
            steps.push(i);
        }
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
            // A caution known to either side stays on the merged entry.
            existing.warning = existing.warning.or(row.warning);
            let i = existing.step;
            self.claim(i, step.origin);
            return i;
        }
        let i = self.step(step);
        let mut row = row;
        row.step = i;
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
            return existing.step;
        }
        let i = step.map(|s| self.step(s));
        let mut row = row;
        row.step = i;
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
        self.jobs_by_flow
            .get(&flow)
            .map(|rows| rows.iter().map(|&j| self.plan.jobs[j].clone()).collect())
            .unwrap_or_default()
    }

    /// The plan and the steps of each block; the lookup tables are freed here.
    fn finish(self) -> (Plan, HashMap<BlockRef, Vec<usize>>) {
        (self.plan, self.by_block)
    }

    /// Add job settings.
    pub(crate) fn job(&mut self, row: JobRow) {
        self.jobs_by_flow
            .entry(row.flow)
            .or_default()
            .push(self.plan.jobs.len());
        self.plan.jobs.push(row);
    }
}

/// Build the plan for a checked model. Fails only on a dependency cycle (user `after`).
pub fn plan(model: &Model, net: &crate::net::Network) -> Result<Plan, Vec<Diagnostic>> {
    let mut p = Planner::new(model);
    derive::all(&mut p, net);
    let conflicts = route_conflicts(model, &p);
    if !conflicts.is_empty() {
        return Err(conflicts);
    }
    let (mut plan, by_block) = p.finish();
    // User ordering: every step of the waiting block waits for every step of the named block
    // (including steps it shares with other blocks).
    let steps_of = |b: &BlockRef| -> Vec<usize> {
        let mut steps = by_block.get(b).cloned().unwrap_or_default();
        steps.sort_unstable();
        steps.dedup();
        steps
    };
    for after in &model.after {
        let mine = steps_of(&after.block);
        for on in &after.on {
            for &b in &steps_of(&on.node) {
                for &a in &mine {
                    if a != b {
                        plan.edges.push(Edge {
                            before: b,
                            after: a,
                            reason: "`after` written by the user".into(),
                            span: Some(on.span),
                        });
                    }
                }
            }
        }
    }
    graph::order(&mut plan)?;
    plan.shrink_to_fit();
    Ok(plan)
}

/// The block an origin names (flows are blocks too); none for learned entries.
fn origin_block(m: &Model, o: &Origin) -> Option<BlockRef> {
    match o {
        Origin::Flow(f) => Some(m.flow_block(*f)),
        Origin::Explicit(b) | Origin::Link(b) => Some(*b),
        Origin::Propagated => None,
    }
}

/// Where an origin is written.
fn origin_span(m: &Model, o: &Origin) -> Option<Span> {
    match o {
        Origin::Flow(f) => Some(m.flows[f.index()].name.span),
        Origin::Explicit(b) if b.kind == crate::resolve::SymbolKind::Route => {
            Some(m.routes[b.index as usize].name.span)
        }
        _ => None,
    }
}

/// NL4002: two flows (or a flow and a route) need one destination routed two ways in one table.
fn route_conflicts(m: &Model, p: &Planner<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (r, hop, origin) in &p.conflicts {
        let row = &p.plan.routes[*r];
        let (kind, table) = crate::names::table_name(m, &row.table);
        let (_, first) = crate::names::hop_name(m, &row.hop);
        let (_, second) = crate::names::hop_name(m, hop);
        let mut d = crate::diagnostics::Diagnostic::new(
            crate::diagnostics::Code::ROUTE_CONFLICT,
            format!("{} in the route table of {kind} `{table}` would go through both `{first}` and `{second}`", row.destination),
        );
        if let Some(span) = origin_span(m, origin) {
            d = d.primary(
                span,
                format!("needs {} through `{second}`", row.destination),
            );
        }
        for o in &row.origins {
            if let Some(span) = origin_span(m, o) {
                d = d.secondary(span, format!("needs it through `{first}`"));
            }
        }
        let flows_involved = row
            .origins
            .iter()
            .chain(std::iter::once(origin))
            .any(|o| matches!(o, Origin::Flow(_)));
        out.push(d.help(if flows_involved {
            format!("name the same connection in `via` of every flow from `{table}` to {}, or drop the `route` that disagrees", row.destination)
        } else {
            format!("keep one `route` for {} in this table", row.destination)
        }));
    }
    out
}
