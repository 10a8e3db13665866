//! What joins networks: `peering`, `cen` (with `attach` and `transit_router`), `express_connect`,
//! `vpn_gateway`.

use super::attrs::{Attrs, Cx};
use super::network::resource_id;
use super::{require_in_vpc, symbol_of, Builder};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::{SymbolId, SymbolKind};
use crate::source::Spanned;
use crate::syntax::ast::{Block, Value};

fn vpc_ref(cx: &mut Cx<'_>, v: &Value) -> Option<SymbolId> {
    cx.reference(v, &[SymbolKind::Vpc])
}

fn vpc_id(cx: &Cx<'_>, s: Spanned<SymbolId>) -> Spanned<VpcId> {
    Spanned::new(VpcId(cx.symbols.get(s.node).index), s.span)
}

pub(super) fn connection(cx: &mut Cx<'_>, block: &Block, kind: SymbolKind) -> Option<Connection> {
    let mut a = Attrs::new(block);
    let ck = if kind == SymbolKind::Peering {
        let requester = a.req(cx, "requester", "my_vpc", vpc_ref);
        let accepter = a.req(cx, "accepter", "other_vpc", vpc_ref);
        let link_type = a.opt(cx, "link_type", |cx, v| cx.keyword::<PeeringLinkType>(v));
        let id = resource_id(cx, &mut a, &["pcc-"]);
        match (requester, accepter) {
            (Some(r), Some(acc)) => Some(ConnectionKind::Peering {
                requester: vpc_id(cx, r),
                accepter: vpc_id(cx, acc),
                link_type,
                id,
            }),
            _ => None,
        }
    } else if kind == SymbolKind::VpnGateway {
        vpn(cx, block, &mut a)
    } else {
        let idc = a.req(cx, "idc", "my_datacentre", idc_ref);
        if let Some(p) = a.get("peer_vpc") {
            a.failed = true;
            // Seed 003 joins VPCs by CEN or VPN gateway; Express Connect joins a data centre.
            cx.report(
                Diagnostic::new(
                    Code::UNKNOWN_ATTRIBUTE,
                    "an Express Connect circuit joins a data centre, not another VPC",
                )
                .primary(p.key.span, "`peer_vpc` is not an attribute of `express_connect`")
                .help("join two VPCs with a `vpn_gateway` that has `peer_vpc`, a `cen` or a `peering`")
                .note("seed 003 joins VPCs in other regions or accounts by a CEN instance or a VPN gateway (scenarios 2 and 3) and a data centre by an Express Connect circuit (scenario 4)"),
            );
        }
        let vpc = a.req(cx, "vpc", "my_vpc", vpc_ref);
        match (idc, vpc) {
            (Some(idc), Some(vpc)) => Some(ConnectionKind::ExpressConnect {
                idc,
                vpc: vpc_id(cx, vpc),
            }),
            _ => None,
        }
    };
    let ok = a.finish(cx);
    let c = Connection {
        name: block.label.as_ref()?.owned(),
        kind: ck?,
        span: block.span,
    };
    ok.then_some(c)
}

fn idc_ref(cx: &mut Cx<'_>, v: &Value) -> Option<TargetId> {
    cx.reference(v, &[SymbolKind::Idc])
        .map(|s| TargetId(cx.symbols.get(s).index))
}

/// A `vpn_gateway`: to a data centre (`idc`) or to a gateway in another VPC (`peer_vpc`).
fn vpn(cx: &mut Cx<'_>, block: &Block, a: &mut Attrs<'_>) -> Option<ConnectionKind> {
    let vpc = a.req(cx, "vpc", "my_vpc", vpc_ref);
    let (idc_attr, peer_attr) = (a.get("idc"), a.get("peer_vpc"));
    let name = block
        .label
        .as_ref()
        .map(|l| format!(" `{}`", l.node))
        .unwrap_or_default();
    let idc = a.opt(cx, "idc", idc_ref);
    let peer = a.opt(cx, "peer_vpc", vpc_ref);
    match (idc_attr, peer_attr) {
        (Some(i), Some(p)) => {
            cx.report(
                Diagnostic::new(
                    Code::EXCLUSIVE_ATTRIBUTES,
                    format!("vpn_gateway{name} joins a data centre or another VPC, not both"),
                )
                .primary(p.key.span, "`peer_vpc` given")
                .secondary(i.key.span, "`idc` given")
                .help("keep `idc` for a data centre or `peer_vpc` for a VPC, and declare a second `vpn_gateway` for the other"),
            );
            a.failed = true;
            return None;
        }
        (None, None) => {
            cx.report(
                Diagnostic::new(
                    Code::MISSING_ATTRIBUTE,
                    format!("vpn_gateway{name} needs `idc` or `peer_vpc`"),
                )
                .primary(block.header(), "neither `idc` nor `peer_vpc`")
                .help("add `idc = my_datacentre` (a data centre) or `peer_vpc = other_vpc` (a VPN gateway in another VPC)"),
            );
            a.failed = true;
            return None;
        }
        _ => {}
    }
    let vpc = vpc_id(cx, vpc?);
    match (idc, peer) {
        (Some(idc), None) => Some(ConnectionKind::Vpn { idc, vpc }),
        (None, Some(p)) => Some(ConnectionKind::VpnVpcs {
            vpc,
            peer_vpc: vpc_id(cx, p),
        }),
        _ => None,
    }
}

pub(super) fn cen(cx: &mut Cx<'_>, b: &mut Builder, block: &Block, sym: SymbolId) -> bool {
    let mut a = Attrs::new(block);
    let account = a.req(cx, "account", "my_account", |cx, v| {
        cx.reference(v, &[SymbolKind::Account])
            .map(|s| AccountId(cx.symbols.get(s).index))
    });
    let id = resource_id(cx, &mut a, &["cen-"]);
    let mut ok = a.finish(cx);
    let cen_id = ConnectionId(cx.symbols.get(sym).index);
    let mut attachments = Vec::new();
    let mut transit_routers = Vec::new();
    for inner in block.blocks() {
        let Some(child) = symbol_of(cx.symbols, inner, Some(sym)) else {
            ok = false;
            continue;
        };
        let index = cx.symbols.get(child).index;
        match cx.symbols.get(child).kind {
            SymbolKind::CenAttachment => match attachment(cx, inner, cen_id) {
                Some(att) => {
                    attachments.push(AttachmentId(index));
                    b.attachments.put(index, att);
                }
                None => ok = false,
            },
            SymbolKind::TransitRouter => match transit_router(cx, inner, cen_id) {
                Some(tr) => {
                    transit_routers.push(TransitRouterId(index));
                    b.transit_routers.put(index, tr);
                }
                None => ok = false,
            },
            _ => ok = false,
        }
    }
    let (Some(account), Some(name)) = (account, block.label.as_ref().map(|l| l.owned())) else {
        return false;
    };
    b.connections.put(
        cx.symbols.get(sym).index,
        Connection {
            name,
            kind: ConnectionKind::Cen {
                account,
                attachments,
                transit_routers,
                id,
            },
            span: block.span,
        },
    );
    ok
}

fn attachment(cx: &mut Cx<'_>, block: &Block, cen: ConnectionId) -> Option<CenAttachment> {
    let mut a = Attrs::nested(block);
    let vpc = a.req(cx, "vpc", "my_vpc", vpc_ref);
    let vswitches = a.req(
        cx,
        "vswitches",
        "[my_vpc.zone_a, my_vpc.zone_b]",
        |cx, v| cx.list(v, |cx, v| cx.reference(v, &[SymbolKind::VSwitch])),
    );
    let payer = a.opt(cx, "payer", |cx, v| cx.keyword::<Payer>(v));
    if let (Some(vpc), Some(list)) = (&vpc, &vswitches) {
        for vs in &list.node {
            if !require_in_vpc(cx, vs.node, vs.span, vpc.node, "the attachment is for") {
                a.failed = true;
            }
        }
    }
    let ok = a.finish(cx);
    let att = CenAttachment {
        name: block.label.as_ref()?.owned(),
        cen,
        vpc: vpc_id(cx, vpc?),
        vswitches: vswitches?
            .node
            .into_iter()
            .map(|s| Spanned::new(VSwitchId(cx.symbols.get(s.node).index), s.span))
            .collect(),
        payer,
        span: block.span,
    };
    ok.then_some(att)
}

fn transit_router(cx: &mut Cx<'_>, block: &Block, cen: ConnectionId) -> Option<TransitRouter> {
    let mut a = Attrs::nested(block);
    let region = a.req(cx, "region", "cn-hangzhou", |cx, v| cx.region(v));
    let id = resource_id(cx, &mut a, &["tr-"]);
    let ok = a.finish(cx);
    let tr = TransitRouter {
        name: block.label.as_ref()?.owned(),
        cen,
        region: region?,
        id,
        span: block.span,
    };
    ok.then_some(tr)
}
