//! `netlink trace`: find the flow (or build a probe from `--from`/`--to`), print its proof.

use crate::cli::TraceFormat;
use crate::model::*;
use crate::resolve::did_you_mean;
use crate::verify::{self, Probe};
use std::path::PathBuf;

fn usage(msg: String) -> i32 {
    eprintln!("error: {msg}");
    2
}

/// Run `netlink trace`; returns the exit status.
pub fn run(
    mut args: Vec<String>,
    from: Option<String>,
    to: Option<String>,
    format: TraceFormat,
    color: crate::cli::Color,
) -> i32 {
    let flow_name = if from.is_none() {
        if args.len() < 2 {
            return usage(
                "give the project's paths and then the flow's name, or `--from X --to Y:PORT`"
                    .into(),
            );
        }
        args.pop()
    } else {
        None
    };
    let paths: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    let project = match crate::project::load(&paths) {
        Ok(p) => p,
        Err(e) => return usage(e.to_string()),
    };
    let compiled = crate::compile_with(&project.sources, &project.policy);
    // A file that could not be read or parsed would be missing from the network: never trace
    // without it.
    let unreadable = project
        .diagnostics
        .iter()
        .chain(&compiled.diagnostics)
        .any(|d| d.is_error() && d.code.as_str().starts_with("NL0"));
    let (false, Some(m), Some(plan)) = (unreadable, &compiled.model, &compiled.plan) else {
        crate::cli::print_errors(&project, &compiled.diagnostics, "the project");
        return 1;
    };
    let proof =
        match (flow_name, from, to) {
            (Some(name), _, _) => match m.flows.iter().position(|f| f.name.node == name) {
                Some(i) => compiled.proofs.get(i).cloned().unwrap_or_else(|| {
                    verify::trace(m, plan, &Probe::of_flow(m, FlowId(i as u32)))
                }),
                None => {
                    let cand = did_you_mean(&name, m.flows.iter().map(|f| f.name.node.as_str()));
                    return usage(format!(
                        "no flow is called `{}`{}",
                        crate::text::term(&name),
                        cand.map(|c| format!("; did you mean `{c}`?"))
                            .unwrap_or_default()
                    ));
                }
            },
            (None, Some(from), Some(to)) => match probe(m, &from, &to) {
                Ok(p) => verify::trace(m, plan, &p),
                Err(e) => return usage(e),
            },
            _ => return usage("give a flow's name, or `--from X --to Y:PORT`".into()),
        };
    let text = match format {
        TraceFormat::Text => {
            let on = crate::style::enabled(color, crate::style::Stream::Stdout);
            crate::style::paint_trace(&verify::trace_text(m, &proof), on)
        }
        TraceFormat::Json => verify::trace_json(m, &proof),
    };
    crate::cli::out_then(&text, i32::from(!proof.proven()))
}

/// A probe from names: `--from dw_rg --to mysql:3306`.
fn probe(m: &Model, from: &str, to: &str) -> Result<Probe, String> {
    let c = m
        .computes
        .iter()
        .position(|c| c.name.node == from)
        .ok_or_else(|| {
            let cand = did_you_mean(from, m.computes.iter().map(|c| c.name.node.as_str()));
            format!(
                "no compute is called `{}`{}",
                crate::text::term(from),
                cand.map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            )
        })?;
    let (target, port) =
        match to.rsplit_once(':') {
            Some((t, p)) => (
                t,
                Some(p.parse::<u16>().ok().filter(|&n| n > 0).ok_or_else(|| {
                    format!("`{}` is not a port (1-65535)", crate::text::term(p))
                })?),
            ),
            None => (to, None),
        };
    let t = m
        .targets
        .iter()
        .position(|x| x.name.node == target)
        .ok_or_else(|| {
            let cand = did_you_mean(target, m.targets.iter().map(|x| x.name.node.as_str()));
            format!(
                "no target is called `{}`{}",
                crate::text::term(target),
                cand.map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            )
        })?;
    Ok(Probe {
        name: format!("{from} → {to}"),
        flow: None,
        from: ComputeId(c as u32),
        to: TargetId(t as u32),
        ports: port.map(PortRange::single).into_iter().collect(),
        via: Vec::new(),
        span: m.computes[c].name.span,
    })
}
