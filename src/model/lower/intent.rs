//! What the user wants: `route`, `whitelist`, `flow`.

use super::attrs::{Attrs, Cx};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::SymbolKind;
use crate::source::Spanned;
use crate::syntax::ast::{Block, Value, ValueKind};

pub(super) fn route(cx: &mut Cx<'_>, block: &Block) -> Option<Route> {
    let mut a = Attrs::new(block);
    let table = a.req(cx, "table", "my_vpc", |cx, v| {
        let s = cx.reference(
            v,
            &[
                SymbolKind::Vpc,
                SymbolKind::ResourceGroup,
                SymbolKind::TransitRouter,
            ],
        )?;
        let sym = cx.symbols.get(s);
        Some(match sym.kind {
            SymbolKind::Vpc => RouteTable::Vpc(VpcId(sym.index)),
            SymbolKind::ResourceGroup => RouteTable::ResourceGroup(ComputeId(sym.index)),
            _ => RouteTable::TransitRouter(TransitRouterId(sym.index)),
        })
    });
    let destination = a.req(cx, "destination", "172.16.66.0/24", |cx, v| cx.cidr(v));
    let next_hop = a.req(cx, "next_hop", "my_peering", |cx, v| {
        let mut kinds = SymbolKind::CONNECTIONS.to_vec();
        kinds.push(SymbolKind::NatGateway);
        let s = cx.reference(v, &kinds)?;
        let sym = cx.symbols.get(s);
        Some(if sym.kind == SymbolKind::NatGateway {
            NextHop::Nat(NatId(sym.index))
        } else {
            NextHop::Connection(ConnectionId(sym.index))
        })
    });
    let ok = a.finish(cx);
    let r = Route {
        name: block.label.as_ref()?.owned(),
        table: table?,
        destination: destination?,
        next_hop: next_hop?,
        span: block.span,
    };
    ok.then_some(r)
}

pub(super) fn whitelist(cx: &mut Cx<'_>, block: &Block) -> Option<Whitelist> {
    let mut a = Attrs::new(block);
    let target = a.req(cx, "target", "my_rds", |cx, v| {
        cx.reference(v, SymbolKind::TARGETS)
            .map(|s| TargetId(cx.symbols.get(s).index))
    });
    let entries = a.req(cx, "entries", "[172.16.66.0/24]", |cx, v| {
        cx.non_empty_list(v, |cx, v| cx.net_or_addr(v))
    });
    let ok = a.finish(cx);
    let w = Whitelist {
        name: block.label.as_ref()?.owned(),
        target: target?,
        entries: entries?
            .node
            .into_iter()
            .map(|e| WhitelistEntry {
                net: e.node.0,
                single_address: e.node.1,
                span: e.span,
            })
            .collect(),
        span: block.span,
    };
    ok.then_some(w)
}

/// `to = target`, `to = target:3306`, `to = target:[9083, 8020]`.
/// `to`: one target (`rds:3306`), or a list of them where one job reaches several; the flag says
/// whether a list was written.
fn flow_targets(cx: &mut Cx<'_>, v: &Value) -> Option<(Vec<FlowTarget>, bool)> {
    let ValueKind::List(items) = &v.kind else {
        return flow_target(cx, v).map(|t| (vec![t], false));
    };
    if items.is_empty() {
        cx.report(
            Diagnostic::new(Code::WRONG_TYPE, "expected at least one target, found an empty list")
                .primary(v.span, "empty list")
                .help("write `to = my_rds:3306`, or several targets one job reaches: `to = [api_a:443, api_b:443]`"),
        );
        return None;
    }
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for item in items {
        match flow_target(cx, item) {
            Some(t) if out.iter().any(|o: &FlowTarget| o.0.node == t.0.node) => {
                cx.report(
                    Diagnostic::new(
                        Code::DUPLICATE_ATTRIBUTE,
                        "a target is listed twice in `to`",
                    )
                    .primary(item.span, "listed again here")
                    .help("list each target once, with all its ports: `target:[80, 443]`"),
                );
                ok = false;
            }
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some((out, items.len() > 1))
}

/// One target of `to`, with its ports and its name.
type FlowTarget = (Spanned<TargetId>, Vec<Spanned<PortRange>>, String);

fn flow_target(cx: &mut Cx<'_>, v: &Value) -> Option<FlowTarget> {
    let (path_value, ports) = match &v.kind {
        ValueKind::Endpoint(e) => (
            Value {
                kind: ValueKind::Path(e.target),
                span: e.target.span,
            },
            e.ports.as_slice(),
        ),
        ValueKind::Path(_) => (v.clone(), &[][..]),
        _ => {
            cx.report(
                Diagnostic::new(Code::WRONG_TYPE, format!("expected a target, found {}", v.kind.describe()))
                    .primary(v.span, "expected `target` or `target:port`")
                    .help("write `to = my_rds:3306`, `to = my_emr:[9083, 8020]` or `to = my_rds` for all its ports"),
            );
            return None;
        }
    };
    let target = cx.reference(&path_value, SymbolKind::TARGETS);
    if ports.is_empty() && matches!(v.kind, ValueKind::Endpoint(_)) {
        cx.report(
            Diagnostic::new(Code::WRONG_TYPE, "expected at least one port, found an empty list")
                .primary(v.span, "empty port list")
                .help("list the ports (`target:[9083, 8020]`), or write just the target for all its ports"),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for p in ports {
        match cx.port(p) {
            Some(r) => out.push(Spanned::new(r, p.span)),
            None => ok = false,
        }
    }
    let target = target?;
    ok.then(|| {
        (
            Spanned::new(TargetId(cx.symbols.get(target).index), path_value.span),
            out,
            cx.symbols.get(target).name.clone(),
        )
    })
}

/// A `flow` block: one flow, or one per target when `to` lists several (one job reaching them).
pub(super) fn flow(cx: &mut Cx<'_>, block: &Block, index: u32) -> Option<Vec<Flow>> {
    let mut a = Attrs::new(block);
    let from = a.req(cx, "from", "my_resource_group", |cx, v| {
        cx.reference(v, SymbolKind::COMPUTES)
            .map(|s| ComputeId(cx.symbols.get(s).index))
    });
    let to = a.req(cx, "to", "my_rds:3306", flow_targets);
    let via = a
        .opt(cx, "via", |cx, v| {
            cx.list(v, |cx, v| {
                let mut kinds = SymbolKind::CONNECTIONS.to_vec();
                kinds.extend([
                    SymbolKind::NetworkLink,
                    SymbolKind::InternetAccess,
                    SymbolKind::NatGateway,
                ]);
                let s = cx.reference(v, &kinds)?;
                let sym = cx.symbols.get(s);
                Some(match sym.kind {
                    SymbolKind::NetworkLink => Via::NetworkLink(NetworkLinkId(sym.index)),
                    SymbolKind::InternetAccess => Via::InternetAccess(InternetAccessId(sym.index)),
                    SymbolKind::NatGateway => Via::Nat(NatId(sym.index)),
                    _ => Via::Connection(ConnectionId(sym.index)),
                })
            })
        })
        .map(|v| v.node)
        .unwrap_or_default();
    let mode = a
        .opt(cx, "mode", |cx, v| cx.keyword::<Mode>(v))
        .unwrap_or(Spanned::new(Mode::Read, block.header()));
    let jobs = a.opt(cx, "jobs", |cx, v| {
        cx.list(v, |cx, v| cx.keyword::<JobKind>(v))
    });
    let ram_role = a.opt(cx, "ram_role", |cx, v| cx.ram_role(v));
    let ok = a.finish(cx);
    let (targets, several) = to.map(|t| t.node)?;
    let name: Name = block.label.as_ref()?.owned();
    let from = from?;
    let jobs = jobs.map(|j| j.node).unwrap_or_default();
    let flows = targets
        .into_iter()
        .map(|(to, ports, target)| Flow {
            name: if several {
                Spanned::new(format!("{}.{target}", name.node), name.span)
            } else {
                name.clone()
            },
            from: from.clone(),
            to,
            ports,
            via: via.clone(),
            mode: mode.clone(),
            jobs: jobs.clone(),
            ram_role: ram_role.clone(),
            span: block.span,
            block: index,
            job: several.then(|| name.clone()),
        })
        .collect();
    ok.then_some(flows)
}
