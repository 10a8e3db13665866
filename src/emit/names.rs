//! Names of model things as artifacts show them.

use crate::model::*;
use crate::names::block_name;
use crate::plan::Origin;
use crate::source::{SourceMap, Span};
use serde::Serialize;

/// Where something was written: relative file, 1-based line and column.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct SourceRef<'a> {
    /// The file as given on the command line (relative).
    pub file: &'a str,
    /// Line.
    pub line: usize,
    /// Column.
    pub column: usize,
}

/// A span as a [`SourceRef`].
pub fn source_ref(sources: &SourceMap, span: Span) -> SourceRef<'_> {
    match sources.get(span.file) {
        Some(f) => {
            let (line, column) = f.line_col(span.start);
            SourceRef {
                file: &f.name,
                line,
                column,
            }
        }
        None => SourceRef {
            file: "",
            line: 0,
            column: 0,
        },
    }
}

/// An origin as artifacts show it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OriginOut {
    /// `flow`, `explicit`, `link` or `propagated`.
    pub kind: &'static str,
    /// The flow's or block's name (empty for propagated).
    pub name: String,
}

/// Convert origins (sorted, so the order never depends on derivation order).
pub fn origins(m: &Model, list: &[Origin]) -> Vec<OriginOut> {
    let mut out: Vec<OriginOut> = list
        .iter()
        .map(|o| match o {
            Origin::Flow(f) => OriginOut {
                kind: "flow",
                name: m.flows[f.index()].name.node.clone(),
            },
            Origin::Explicit(b) => OriginOut {
                kind: "explicit",
                name: block_name(m, *b),
            },
            Origin::Link(b) => OriginOut {
                kind: "link",
                name: block_name(m, *b),
            },
            Origin::Propagated => OriginOut {
                kind: "propagated",
                name: String::new(),
            },
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// An account's name.
pub fn account_name(m: &Model, a: AccountId) -> String {
    m.accounts[a.index()].name.node.clone()
}

/// The steps one person does: an account's (or, with `account: None`, those done outside Alibaba
/// Cloud), in execution order, each with its number in the whole plan.
pub struct AccountSteps<'m> {
    /// The account, if the steps are done in Alibaba Cloud.
    pub account: Option<&'m Account>,
    /// (number in the plan, step index).
    pub steps: Vec<(usize, usize)>,
}

/// The plan grouped by account (declaration order), then the steps outside Alibaba Cloud; empty
/// groups are left out.
pub fn by_account<'m>(m: &'m Model, plan: &crate::plan::Plan) -> Vec<AccountSteps<'m>> {
    let mut groups: Vec<AccountSteps<'m>> = m
        .accounts
        .iter()
        .map(|a| AccountSteps {
            account: Some(a),
            steps: Vec::new(),
        })
        .collect();
    groups.push(AccountSteps {
        account: None,
        steps: Vec::new(),
    });
    let outside = groups.len() - 1;
    for (n, &i) in plan.order.iter().enumerate() {
        let g = plan.steps[i].account.map(|a| a.index()).unwrap_or(outside);
        groups[g].steps.push((n + 1, i));
    }
    groups.retain(|g| !g.steps.is_empty());
    groups
}
