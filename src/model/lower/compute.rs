//! Compute and its links: `maxcompute`, `resource_group`, `client`, `network_link`,
//! `internet_access`, `nat_gateway`.

use super::attrs::{Attrs, Cx};
use super::require_in_vpc;
use super::targets::parse_host;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::{SymbolId, SymbolKind};
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Block, Value, ValueKind};

fn account_ref(cx: &mut Cx<'_>, v: &Value) -> Option<AccountId> {
    cx.reference(v, &[SymbolKind::Account])
        .map(|s| AccountId(cx.symbols.get(s).index))
}

fn vswitch_ref(cx: &mut Cx<'_>, v: &Value) -> Option<SymbolId> {
    cx.reference(v, &[SymbolKind::VSwitch])
}

fn sg_ref(cx: &mut Cx<'_>, v: &Value) -> Option<SymbolId> {
    cx.reference(v, &[SymbolKind::SecurityGroup])
}

fn vswitch_id(cx: &Cx<'_>, s: Spanned<SymbolId>) -> Spanned<VSwitchId> {
    Spanned::new(VSwitchId(cx.symbols.get(s.node).index), s.span)
}

fn sg_id(cx: &Cx<'_>, s: Spanned<SymbolId>) -> Spanned<SgId> {
    Spanned::new(SgId(cx.symbols.get(s.node).index), s.span)
}

/// Check that a security group sits in the vSwitch's VPC.
fn same_vpc(
    cx: &mut Cx<'_>,
    a: &mut Attrs<'_>,
    vs: &Option<Spanned<SymbolId>>,
    sg: &Option<Spanned<SymbolId>>,
    why: &str,
) {
    if let (Some(vs), Some(sg)) = (vs, sg) {
        if let Some(vpc) = cx.symbols.get(vs.node).parent {
            if !require_in_vpc(cx, sg.node, sg.span, vpc, why) {
                a.failed = true;
            }
        }
    }
}

pub(super) fn compute(cx: &mut Cx<'_>, block: &Block, kind: SymbolKind) -> Option<Compute> {
    let mut a = Attrs::new(block);
    let ck = match kind {
        SymbolKind::MaxCompute => {
            let account = a.req(cx, "account", "my_account", account_ref);
            let region = a.req(cx, "region", "cn-hangzhou", |cx, v| cx.region(v));
            let project = a.opt(cx, "project", |cx, v| cx.string(v));
            match (account, region) {
                (Some(account), Some(region)) => Some(ComputeKind::MaxCompute {
                    account,
                    region,
                    project,
                }),
                _ => None,
            }
        }
        SymbolKind::ResourceGroup => {
            let account = a.req(cx, "account", "my_account", account_ref);
            let kind = a.req(cx, "kind", "serverless", |cx, v| cx.keyword::<RgKind>(v));
            let vswitch = a.req(cx, "vswitch", "my_vpc.my_vswitch", vswitch_ref);
            let security_group = a.opt(cx, "security_group", sg_ref);
            let eip = a.opt(cx, "eip", |cx, v| cx.ipv4(v));
            same_vpc(
                cx,
                &mut a,
                &vswitch,
                &security_group,
                "the resource group is bound to",
            );
            match (account, kind, vswitch) {
                (Some(account), Some(kind), Some(vs)) => Some(ComputeKind::ResourceGroup {
                    account,
                    kind,
                    vswitch: vswitch_id(cx, vs),
                    security_group: security_group.map(|s| sg_id(cx, s)),
                    eip,
                }),
                _ => None,
            }
        }
        _ => {
            let runtime = a
                .opt(cx, "runtime", |cx, v| cx.keyword::<Runtime>(v))
                .unwrap_or(Spanned::new(Runtime::Ecs, block.header()));
            let vswitch = a.req(cx, "vswitch", "my_vpc.my_vswitch", vswitch_ref);
            let security_group = a.opt(cx, "security_group", sg_ref);
            same_vpc(cx, &mut a, &vswitch, &security_group, "the client runs in");
            vswitch.map(|vs| ComputeKind::Client {
                runtime,
                vswitch: vswitch_id(cx, vs),
                security_group: security_group.map(|s| sg_id(cx, s)),
            })
        }
    };
    let ok = a.finish(cx);
    let c = Compute {
        name: block.label.as_ref()?.owned(),
        kind: ck?,
        span: block.span,
    };
    ok.then_some(c)
}

fn maxcompute_ref(cx: &mut Cx<'_>, v: &Value) -> Option<ComputeId> {
    cx.reference(v, &[SymbolKind::MaxCompute])
        .map(|s| ComputeId(cx.symbols.get(s).index))
}

pub(super) fn network_link(cx: &mut Cx<'_>, block: &Block) -> Option<NetworkLink> {
    let mut a = Attrs::new(block);
    let maxcompute = a.req(cx, "maxcompute", "my_project", maxcompute_ref);
    let vpc = a.opt(cx, "vpc", |cx, v| cx.reference(v, &[SymbolKind::Vpc]));
    let vswitch = a.req(cx, "vswitch", "my_vpc.my_vswitch", vswitch_ref);
    let security_group = a.req(cx, "security_group", "my_vpc.maxcompute_sg", sg_ref);
    let link_type = a
        .opt(cx, "type", |cx, v| cx.keyword::<LinkType>(v))
        .map(|t| t.node)
        .unwrap_or(LinkType::Passthrough);
    if let (Some(vpc), Some(vs)) = (&vpc, &vswitch) {
        if !require_in_vpc(
            cx,
            vs.node,
            vs.span,
            vpc.node,
            "the network link's `vpc` is",
        ) {
            a.failed = true;
        }
    }
    same_vpc(
        cx,
        &mut a,
        &vswitch,
        &security_group,
        "the network link's vSwitch is in",
    );
    let ok = a.finish(cx);
    let l = NetworkLink {
        name: block.label.as_ref()?.owned(),
        maxcompute: maxcompute?,
        vswitch: vswitch_id(cx, vswitch?),
        security_group: sg_id(cx, security_group?),
        link_type,
        span: block.span,
    };
    ok.then_some(l)
}

/// The entries of one string of an internet access list: seed 000 writes several in one,
/// comma-separated (`"restapi.amap.com:443,restapi.amap.com:80"`, F04), so each piece is an
/// entry with its own span (the string's, when escapes make offsets unreliable).
fn access_entries(text: &str, span: Span) -> Vec<AccessEntry> {
    // The span covers the quotes; without escapes the text maps byte for byte inside them.
    let exact = span.end.saturating_sub(span.start) as usize == text.len() + 2;
    let mut out = Vec::new();
    let mut offset = 0usize;
    for piece in text.split(',') {
        let trimmed = piece.trim();
        let lead = piece.len() - piece.trim_start().len();
        let piece_span = if exact {
            let start = span.start + 1 + (offset + lead) as u32;
            Span {
                file: span.file,
                start,
                end: start + trimmed.len() as u32,
            }
        } else {
            span
        };
        offset += piece.len() + 1;
        if trimmed.is_empty() && text.contains(',') {
            continue; // a trailing or doubled comma
        }
        out.push(access_entry(trimmed, piece_span));
    }
    out
}

/// Split `host:port` as written in an internet access list (IPv6 in brackets or bare).
fn access_entry(text: &str, span: Span) -> AccessEntry {
    let (host, port_text) = if let Some(rest) = text.strip_prefix('[') {
        match rest.split_once(']') {
            Some((h, p)) => (h.to_string(), p.strip_prefix(':')),
            None => (rest.to_string(), None),
        }
    } else if text.matches(':').count() > 1 {
        (text.to_string(), None) // bare IPv6: no port can be told apart
    } else {
        match text.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (text.to_string(), None),
        }
    };
    let port = port_text.and_then(|p| p.parse::<u16>().ok().filter(|p| *p > 0));
    AccessEntry {
        host: parse_host(&host),
        port,
        bad_port: port_text
            .filter(|_| port.is_none())
            // Bounded: a diagnostic quotes it, and a line may be megabytes long.
            .map(|p| p.chars().take(65).collect()),
        span,
    }
}

pub(super) fn internet_access(cx: &mut Cx<'_>, block: &Block) -> Option<InternetAccess> {
    let mut a = Attrs::new(block);
    let maxcompute = a.req(cx, "maxcompute", "my_project", maxcompute_ref);
    let hosts = a.req(cx, "hosts", "[\"restapi.amap.com:443\"]", |cx, v| {
        cx.non_empty_list(v, |cx, v| match &v.kind {
            ValueKind::String(s) => Some(access_entries(s, v.span)),
            _ => {
                cx.report(
                    Diagnostic::new(
                        Code::WRONG_TYPE,
                        format!(
                            "expected a `\"host:port\"` string, found {}",
                            v.kind.describe()
                        ),
                    )
                    .primary(v.span, "expected a string")
                    .help("write each entry as a string: `\"restapi.amap.com:443\"`"),
                );
                None
            }
        })
    });
    let ok = a.finish(cx);
    let i = InternetAccess {
        name: block.label.as_ref()?.owned(),
        maxcompute: maxcompute?,
        hosts: hosts?.node.into_iter().flat_map(|e| e.node).collect(),
        span: block.span,
    };
    ok.then_some(i)
}

pub(super) fn nat_gateway(cx: &mut Cx<'_>, block: &Block) -> Option<NatGateway> {
    let mut a = Attrs::new(block);
    let vswitch = a.req(cx, "vswitch", "my_vpc.my_vswitch", vswitch_ref);
    let eip = a.opt(cx, "eip", |cx, v| cx.ipv4(v));
    let snat = a
        .opt(cx, "snat", |cx, v| cx.list(v, vswitch_ref))
        .map(|s| s.node)
        .unwrap_or_default();
    if let Some(vs) = &vswitch {
        if let Some(vpc) = cx.symbols.get(vs.node).parent {
            for entry in &snat {
                if !require_in_vpc(cx, entry.node, entry.span, vpc, "the NAT gateway is in") {
                    a.failed = true;
                }
            }
        }
    }
    let ok = a.finish(cx);
    let n = NatGateway {
        name: block.label.as_ref()?.owned(),
        vswitch: vswitch_id(cx, vswitch?),
        eip,
        snat: snat.into_iter().map(|s| vswitch_id(cx, s)).collect(),
        span: block.span,
    };
    ok.then_some(n)
}
