//! Ordering: a topological sort with a stable tie-break (the step created first goes first),
//! waves (longest chain of prerequisites), and cycles explained edge by edge.

use super::Plan;
use crate::diagnostics::{Code, Diagnostic};
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Fill `plan.order` and `plan.waves`, or explain every cycle.
pub fn order(plan: &mut Plan) -> Result<(), Vec<Diagnostic>> {
    let n = plan.steps.len();
    let mut g: DiGraph<usize, usize> = DiGraph::with_capacity(n, plan.edges.len());
    let nodes: Vec<NodeIndex> = (0..n).map(|i| g.add_node(i)).collect();
    for (e, edge) in plan.edges.iter().enumerate() {
        g.add_edge(nodes[edge.before], nodes[edge.after], e);
    }
    // Kahn's algorithm; the ready set is a min-heap on source position (file, offset), then
    // creation order: among steps free to go, the one written first goes first.
    let mut indegree: Vec<usize> = vec![0; n];
    for edge in &plan.edges {
        indegree[edge.after] += 1;
    }
    let key = |i: usize| {
        let s = &plan.steps[i].span;
        Reverse((s.file, s.start, i))
    };
    let mut ready: BinaryHeap<Reverse<(crate::source::FileId, u32, usize)>> =
        (0..n).filter(|&i| indegree[i] == 0).map(key).collect();
    let mut waves = vec![0u32; n];
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, _, i))) = ready.pop() {
        order.push(i);
        for e in g.edges(nodes[i]) {
            let j = g[petgraph::visit::EdgeRef::target(&e)];
            waves[j] = waves[j].max(waves[i] + 1);
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push(key(j));
            }
        }
    }
    if order.len() == n {
        plan.position = vec![0; n];
        for (pos, &i) in order.iter().enumerate() {
            plan.position[i] = pos;
        }
        plan.incoming = vec![Vec::new(); n];
        for (e, edge) in plan.edges.iter().enumerate() {
            plan.incoming[edge.after].push(e);
        }
        plan.order = order;
        plan.waves = waves.into_iter().map(|w| w + 1).collect();
        return Ok(());
    }
    Err(cycles(plan, &g, &nodes))
}

fn cycles(plan: &Plan, g: &DiGraph<usize, usize>, nodes: &[NodeIndex]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut sccs = tarjan_scc(g);
    sccs.iter_mut().for_each(|c| c.sort());
    sccs.sort();
    for scc in sccs.into_iter().filter(|c| c.len() > 1) {
        // Walk the component from its first step until a step repeats: that is a cycle.
        let inside = |n: NodeIndex| scc.contains(&n);
        let start = scc[0];
        let mut path: Vec<(NodeIndex, usize)> = Vec::new();
        let mut at = start;
        let mut seen = vec![start];
        loop {
            let mut next = g
                .edges(at)
                .filter(|e| inside(petgraph::visit::EdgeRef::target(e)))
                .collect::<Vec<_>>();
            next.sort_by_key(|e| g[petgraph::visit::EdgeRef::target(e)]);
            let Some(e) = next.first() else { break };
            let to = petgraph::visit::EdgeRef::target(e);
            path.push((at, *e.weight()));
            if let Some(pos) = seen.iter().position(|s| *s == to) {
                path.drain(..pos);
                break;
            }
            seen.push(to);
            at = to;
        }
        let _ = nodes;
        let mut lines = Vec::new();
        let mut d = Diagnostic::new(
            Code::PLAN_CYCLE,
            format!("the plan has a cycle through {} steps", path.len()),
        );
        let mut primary = false;
        for (from, e) in &path {
            let edge = &plan.edges[*e];
            let (a, b) = (&plan.steps[g[*from]], &plan.steps[edge.after]);
            lines.push(format!(
                "`{}` must come before `{}`: {}",
                a.id, b.id, edge.reason
            ));
            if let (Some(span), false) = (edge.span, primary) {
                d = d.primary(span, format!("`{}` waits for `{}` here", b.id, a.id));
                primary = true;
            } else if let Some(span) = edge.span {
                d = d.secondary(span, "part of the cycle");
            }
        }
        if !primary {
            if let Some((from, _)) = path.first() {
                d = d.primary(plan.steps[g[*from]].span, "this step is part of a cycle");
            }
        }
        for l in lines {
            d = d.note(l);
        }
        out.push(d.help("remove one of the `after` references that close the cycle"));
    }
    out
}
