//! Security groups and whitelists as the plan leaves them: declared rules plus derived ones.

use crate::model::*;
use crate::net::filters::{matches, verdict, PeerEnd, RuleView};
use crate::plan::{Plan, SgRuleRow, WhitelistItem};
use ipnet::Ipv4Net;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Rule rows by group, whitelist rows by target.
pub struct Filters<'p> {
    plan: &'p Plan,
    rules: HashMap<SgId, Vec<usize>>,
    whitelists: HashMap<TargetId, Vec<usize>>,
}

/// What a whitelist says about a source.
pub enum Admission {
    /// An entry holds the source: that row.
    Listed(usize),
    /// An entry waits on a value known later (MaxCompute's outbound IPs, an EIP to come).
    Pending(usize),
    /// No entry.
    Missing,
}

impl<'p> Filters<'p> {
    /// Index the plan's rows.
    pub fn new(plan: &'p Plan) -> Filters<'p> {
        let mut rules: HashMap<SgId, Vec<usize>> = HashMap::default();
        for (i, r) in plan.sg_rules.iter().enumerate() {
            rules.entry(r.group).or_default().push(i);
        }
        let mut whitelists: HashMap<TargetId, Vec<usize>> = HashMap::default();
        for (i, w) in plan.whitelists.iter().enumerate() {
            whitelists.entry(w.target).or_default().push(i);
        }
        Filters {
            plan,
            rules,
            whitelists,
        }
    }

    /// Does group `g` (of `kind`) let this packet through?
    pub fn group_admits(
        &self,
        g: SgId,
        kind: SgType,
        direction: Direction,
        protocol: Protocol,
        ports: PortRange,
        peer: &PeerEnd,
    ) -> bool {
        let rows = self.rules.get(&g).map(Vec::as_slice).unwrap_or(&[]);
        let views = rows.iter().map(|&i| view(&self.plan.sg_rules[i]));
        verdict(kind, views, direction, protocol, ports, peer)
    }

    /// Is the packet matched by a deny rule of group `g` (so an added allow must outrank it)?
    pub fn denied_by_rule(
        &self,
        g: SgId,
        direction: Direction,
        protocol: Protocol,
        ports: PortRange,
        peer: &PeerEnd,
    ) -> bool {
        self.rules.get(&g).into_iter().flatten().any(|&i| {
            let r = &self.plan.sg_rules[i];
            r.action == Action::Deny && matches(&view(r), direction, protocol, ports, peer)
        })
    }

    /// Does the target's whitelist hold `source`? `None` as source: the address is only known
    /// later (an EIP to be bound), so only a pending entry can hold it.
    pub fn whitelist(
        &self,
        t: TargetId,
        source: Option<Ipv4Net>,
        pending_label: Option<&str>,
    ) -> Admission {
        let rows = self.whitelists.get(&t).map(Vec::as_slice).unwrap_or(&[]);
        for &i in rows {
            match (&self.plan.whitelists[i].item, source) {
                (WhitelistItem::Cidr(c), Some(s)) if c.contains(&s) => return Admission::Listed(i),
                (WhitelistItem::Pending(p), _) if pending_label.is_some_and(|l| p.contains(l)) => {
                    return Admission::Pending(i)
                }
                _ => {}
            }
        }
        Admission::Missing
    }
}

/// A rule row of the plan, judged like a declared rule.
fn view(r: &SgRuleRow) -> RuleView {
    RuleView {
        direction: r.direction,
        protocol: r.protocol,
        ports: r.ports,
        peer: r.peer,
        priority: r.priority,
        action: r.action,
    }
}
