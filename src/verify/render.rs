//! Traces for people (a terminal) and for programs (JSON).

use super::{Outcome, Proof, Trace};
use crate::model::Model;
use serde::Serialize;
use std::fmt::Write;

fn outcome_line(o: &Outcome) -> String {
    match o {
        Outcome::Delivered => "✓ delivered".to_string(),
        other => format!("✗ {}", other.summary()),
    }
}

fn trace_block(out: &mut String, title: &str, t: &Trace) {
    let _ = writeln!(out, "  {title}");
    for (i, h) in t.hops.iter().enumerate() {
        let _ = writeln!(
            out,
            "    {:>2}. {:<44} {:<28} {}",
            i + 1,
            h.at,
            h.consulted,
            h.decision
        );
    }
    let _ = writeln!(out, "    {}", outcome_line(&t.outcome));
    if let Some(help) = t.outcome.help() {
        let _ = writeln!(out, "    help: {help}");
    }
}

/// A proof as a terminal shows it.
pub fn trace_text(m: &Model, proof: &Proof) -> String {
    let p = &proof.probe;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "flow `{}`: `{}` → `{}`",
        p.name,
        m.computes[p.from.index()].name.node,
        m.targets[p.to.index()].name.node
    );
    trace_block(&mut out, "forward", &proof.forward);
    match &proof.back {
        Some(b) => trace_block(&mut out, "return", b),
        None => {
            let _ = writeln!(
                out,
                "  return\n    (not traced: the forward trace is not delivered)"
            );
        }
    }
    if !proof.pending.is_empty() {
        let _ = writeln!(out, "  waits on manual steps: {}", proof.pending.join(", "));
    }
    let verdict = if proof.proven() {
        if proof.pending.is_empty() {
            "proven"
        } else {
            "proven once the manual steps are done"
        }
    } else {
        "NOT proven"
    };
    let _ = writeln!(out, "  {verdict}");
    out
}

#[derive(Serialize)]
struct ProofJson<'a> {
    format_version: &'static str,
    flow: &'a str,
    from: &'a str,
    to: &'a str,
    proven: bool,
    pending: &'a [String],
    forward: &'a Trace,
    #[serde(rename = "return")]
    back: Option<&'a Trace>,
}

/// A proof as one JSON document.
pub fn trace_json(m: &Model, proof: &Proof) -> String {
    let p = &proof.probe;
    let j = ProofJson {
        format_version: crate::names::FORMAT_VERSION,
        flow: &p.name,
        from: &m.computes[p.from.index()].name.node,
        to: &m.targets[p.to.index()].name.node,
        proven: proof.proven(),
        pending: &proof.pending,
        forward: &proof.forward,
        back: proof.back.as_ref(),
    };
    // Plain strings and booleans: serialising cannot fail.
    serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
}
