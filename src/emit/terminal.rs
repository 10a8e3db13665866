//! `netlink plan`: the plan in a terminal, the way `terraform plan` shows one.

use super::values;
use crate::model::*;
use crate::plan::Plan;
use crate::text;
use std::fmt::Write;

/// Render the plan for a terminal.
pub fn plan_text(m: &Model, plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "netlink will perform the following steps (+ console step, ! manual step):\n"
    );
    for group in super::names::by_account(m, plan) {
        let heading = match group.account {
            Some(a) => format!("# account `{}` ({})", a.name.node, a.uid.node),
            None => "# outside Alibaba Cloud".to_string(),
        };
        let _ = writeln!(out, "  {heading}");
        for (number, i) in group.steps {
            let s = &plan.steps[i];
            let mark = if s.manual.is_some() { '!' } else { '+' };
            let region = s
                .region
                .as_deref()
                .map(|r| format!(", {}", text::term(r)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {mark} {:>3}. {}  [wave {}, {}{region}]",
                number,
                text::plain(&s.title),
                plan.waves[i],
                s.console
            );
            let _ = writeln!(out, "         id: {}", text::term(&s.id));
            for (k, v) in &s.values {
                let _ = writeln!(out, "         {k} = {}", values::term(v));
            }
            if let Some(x) = &s.manual {
                let mut line = format!("         manual: {}", x.kind);
                if let Some(l) = x.lead_time {
                    line.push_str(&format!(", lead time {l}"));
                }
                if let Some(d) = x.deadline {
                    line.push_str(&format!(", deadline {d}"));
                }
                let _ = writeln!(out, "{line}");
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "{}", summary(m, plan));
    out
}

/// The closing line: `Plan: 14 steps in 7 waves across 2 accounts; 1 manual (...)`.
pub fn summary(m: &Model, plan: &Plan) -> String {
    let manual: Vec<String> = plan
        .order
        .iter()
        .map(|&i| &plan.steps[i])
        .filter_map(|s| {
            s.manual
                .as_ref()
                .map(|x| format!("{}: {}", s.id, x.lead_time.or(x.deadline).unwrap_or(x.kind)))
        })
        .collect();
    let waves = plan.waves.iter().copied().max().unwrap_or(0);
    let n = |k: usize, w: &str| {
        if k == 1 {
            format!("1 {w}")
        } else {
            format!("{k} {w}s")
        }
    };
    let mut line = format!(
        "Plan: {} in {} across {} for {}",
        n(plan.steps.len(), "step"),
        n(waves as usize, "wave"),
        n(m.accounts.len(), "account"),
        n(m.flows.len(), "flow")
    );
    if manual.is_empty() {
        line.push_str("; no manual steps.");
    } else {
        // Name a few; a large project has thousands.
        const NAMED: usize = 5;
        let mut named = manual
            .iter()
            .take(NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if manual.len() > NAMED {
            named.push_str(&format!("; and {} more", manual.len() - NAMED));
        }
        line.push_str(&format!("; {} manual ({named}).", manual.len()));
    }
    line
}
