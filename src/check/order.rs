//! `after` orderings between blocks must not form a cycle (the step-level cycle, through derived
//! dependencies, is found by the plan stage with the same code).

use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::net::Index;
use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Run the family.
pub fn check(m: &Model, _ix: &Index, out: &mut Vec<Diagnostic>) {
    if m.after.is_empty() {
        return;
    }
    let mut g: DiGraph<BlockRef, crate::source::Span> = DiGraph::new();
    let mut nodes = HashMap::default();
    let mut node = |g: &mut DiGraph<BlockRef, crate::source::Span>, b: BlockRef| {
        *nodes.entry(b).or_insert_with(|| g.add_node(b))
    };
    for a in &m.after {
        let me = node(&mut g, a.block);
        for on in &a.on {
            let other = node(&mut g, on.node);
            g.add_edge(other, me, on.span);
        }
    }
    let mut sccs = tarjan_scc(&g);
    for scc in &mut sccs {
        scc.sort_by_key(|n| g[*n]);
    }
    sccs.sort_by_key(|c| c.first().map(|n| g[*n]));
    for scc in sccs {
        let cyclic = scc.len() > 1 || g.find_edge(scc[0], scc[0]).is_some();
        if !cyclic {
            continue;
        }
        let names: Vec<String> = scc
            .iter()
            .map(|n| format!("`{}`", crate::names::block_name(m, g[*n])))
            .collect();
        let mut edges: Vec<(crate::source::Span, String, String)> = g
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = g.edge_endpoints(e)?;
                (scc.contains(&a) && scc.contains(&b)).then(|| {
                    (
                        g[e],
                        crate::names::block_name(m, g[a]),
                        crate::names::block_name(m, g[b]),
                    )
                })
            })
            .collect();
        edges.sort();
        let Some((first, ..)) = edges.first().cloned() else {
            continue;
        };
        let mut d = Diagnostic::new(
            Code::PLAN_CYCLE,
            format!(
                "`after` orderings form a cycle through {}",
                names.join(", ")
            ),
        )
        .primary(first, "this `after` closes a cycle");
        for (span, before, after) in edges.iter().skip(1) {
            d = d.secondary(*span, format!("`{after}` waits for `{before}`"));
        }
        for (_, before, after) in &edges {
            d = d.note(format!(
                "`{after}` waits for `{before}` (`after` written by the user)"
            ));
        }
        out.push(d.help("remove one of these `after` references; steps that wait for each other can never start"));
    }
}
