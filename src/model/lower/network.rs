//! `account`, `vpc` with its `vswitch` and `security_group` blocks, and `rule`s.

use super::attrs::{Attrs, Cx};
use super::{symbol_of, Builder};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::{SymbolId, SymbolKind};
use crate::source::Spanned;
use crate::syntax::ast::{Block, ValueKind};

/// Existing-resource ids start with a prefix per kind; a wrong one is a likely copy-paste slip.
pub(super) fn resource_id(
    cx: &mut Cx<'_>,
    a: &mut Attrs<'_>,
    prefixes: &[&str],
) -> Option<Spanned<String>> {
    let id = a.opt(cx, "id", |cx, v| cx.string(v))?;
    if !prefixes.is_empty() && !prefixes.iter().any(|p| id.node.starts_with(p)) {
        let want = prefixes
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        cx.report(
            Diagnostic::new(
                Code::BAD_RESOURCE_ID,
                format!(
                    "`{}` does not look like the id of a {}",
                    id.node,
                    a.block().kind.node
                ),
            )
            .primary(id.span, format!("expected an id starting with {want}"))
            .help(format!(
                "copy the id from the console; {} ids start with {want}",
                a.block().kind.node
            )),
        );
    }
    Some(id)
}

pub(super) fn account(cx: &mut Cx<'_>, block: &Block) -> Option<Account> {
    let mut a = Attrs::new(block);
    let uid = a.req(cx, "uid", "\"1234567890123456\"", |cx, v| {
        let text = match &v.kind {
            ValueKind::String(s) => s.to_string(),
            ValueKind::Number(n) => n.to_string(),
            _ => return cx.string(v),
        };
        if text.len() == 16 && text.bytes().all(|b| b.is_ascii_digit()) {
            Some(text)
        } else {
            cx.report(
                Diagnostic::new(Code::BAD_UID, format!("`{text}` is not an account UID"))
                    .primary(v.span, format!("a UID is 16 digits; this has {} characters", text.chars().count()))
                    .help("copy the UID from the account's Security Settings, e.g. `\"1234567890123456\"`"),
            );
            None
        }
    });
    let label = a.opt(cx, "label", |cx, v| cx.string(v)).map(|s| s.node);
    let ok = a.finish(cx);
    Some(Account {
        name: block.label.as_ref()?.owned(),
        uid: uid?,
        label,
        span: block.span,
    })
    .filter(|_| ok)
}

pub(super) fn vpc(cx: &mut Cx<'_>, b: &mut Builder, block: &Block, sym: SymbolId) -> bool {
    let mut a = Attrs::new(block);
    let account = a.req(cx, "account", "my_account", |cx, v| {
        cx.reference(v, &[SymbolKind::Account])
            .map(|s| AccountId(cx.symbols.get(s).index))
    });
    let region = a.req(cx, "region", "cn-hangzhou", |cx, v| cx.region(v));
    let cidr = a.req(cx, "cidr", "192.168.0.0/16", |cx, v| cx.cidr(v));
    let id = resource_id(cx, &mut a, &["vpc-"]);
    let mut ok = a.finish(cx);
    let mut vswitches = Vec::new();
    let mut security_groups = Vec::new();
    for inner in block.blocks() {
        let Some(child) = symbol_of(cx.symbols, inner, Some(sym)) else {
            ok = false;
            continue;
        };
        let index = cx.symbols.get(child).index;
        let qualified = cx.symbols.get(child).name.clone();
        let vpc_id = VpcId(cx.symbols.get(sym).index);
        match cx.symbols.get(child).kind {
            SymbolKind::VSwitch => match vswitch(cx, inner, vpc_id, qualified) {
                Some(v) => {
                    vswitches.push(VSwitchId(index));
                    b.vswitches.put(index, v);
                }
                None => ok = false,
            },
            SymbolKind::SecurityGroup => match security_group(cx, inner, vpc_id, qualified) {
                Some(g) => {
                    security_groups.push(SgId(index));
                    b.security_groups.put(index, g);
                }
                None => ok = false,
            },
            _ => ok = false,
        }
    }
    let (Some(account), Some(region), Some(cidr), Some(name)) = (
        account,
        region,
        cidr,
        block.label.as_ref().map(|l| l.owned()),
    ) else {
        return false;
    };
    b.vpcs.put(
        cx.symbols.get(sym).index,
        Vpc {
            name,
            account,
            region,
            cidr,
            id,
            vswitches,
            security_groups,
            span: block.span,
        },
    );
    ok
}

fn vswitch(cx: &mut Cx<'_>, block: &Block, vpc: VpcId, qualified: String) -> Option<VSwitch> {
    let mut a = Attrs::nested(block);
    let zone = a.req(cx, "zone", "cn-hangzhou-h", |cx, v| {
        cx.word(v, "a zone id such as `cn-hangzhou-h`")
            .map(|w| w.node.to_string())
    });
    let cidr = a.req(cx, "cidr", "192.168.6.0/24", |cx, v| cx.cidr(v));
    let id = resource_id(cx, &mut a, &["vsw-"]);
    let ok = a.finish(cx);
    let v = VSwitch {
        name: block.label.as_ref()?.owned(),
        qualified,
        vpc,
        zone: zone?,
        cidr: cidr?,
        id,
        span: block.span,
    };
    ok.then_some(v)
}

fn security_group(
    cx: &mut Cx<'_>,
    block: &Block,
    vpc: VpcId,
    qualified: String,
) -> Option<SecurityGroup> {
    let mut a = Attrs::nested(block);
    let kind = a.req(cx, "type", "basic", |cx, v| cx.keyword::<SgType>(v));
    let id = resource_id(cx, &mut a, &["sg-"]);
    let managed = a
        .opt(cx, "managed", |cx, v| cx.boolean(v))
        .map(|m| m.node)
        .unwrap_or(true);
    let mut ok = a.finish(cx);
    let mut rules = Vec::new();
    for inner in block.blocks() {
        if inner.kind.node != "rule" {
            ok = false; // reported by resolve
            continue;
        }
        match rule(cx, inner) {
            Some(r) => rules.push(r),
            None => ok = false,
        }
    }
    let g = SecurityGroup {
        name: block.label.as_ref()?.owned(),
        qualified,
        vpc,
        kind: kind?,
        id,
        managed,
        rules,
        span: block.span,
    };
    ok.then_some(g)
}

fn rule(cx: &mut Cx<'_>, block: &Block) -> Option<SgRule> {
    let mut a = Attrs::nested(block);
    if let Some(label) = &block.label {
        cx.report(
            Diagnostic::new(Code::BLOCK_NAME, "a `rule` block takes no name")
                .primary(label.span, "remove this name")
                .help("write `rule { ... }`; rules are identified by their place in the group"),
        );
        a.failed = true;
    }
    let direction = a.req(cx, "direction", "ingress", |cx, v| {
        cx.keyword::<Direction>(v)
    });
    let protocol = a
        .opt(cx, "protocol", |cx, v| cx.keyword::<Protocol>(v))
        .map(|p| p.node)
        .unwrap_or(Protocol::Tcp);
    let ports = a.opt(cx, "ports", |cx, v| cx.port(v)).map(|p| p.node);
    let cidr = a.opt(cx, "cidr", |cx, v| cx.cidr(v));
    let group = a.opt(cx, "group", |cx, v| {
        cx.reference(v, &[SymbolKind::SecurityGroup])
            .map(|s| SgId(cx.symbols.get(s).index))
    });
    let priority = a
        .opt(cx, "priority", |cx, v| cx.bounded(v, 1, 100, "priority"))
        .map(|p| p.node as u8)
        .unwrap_or(1);
    let action = a
        .opt(cx, "action", |cx, v| cx.keyword::<Action>(v))
        .map(|p| p.node)
        .unwrap_or(Action::Allow);
    let peer = match (cidr, group) {
        (Some(c), None) => Some(RulePeer::Cidr(c.node)),
        (None, Some(g)) => Some(RulePeer::Group(g.node)),
        (Some(_), Some(g)) => {
            cx.report(
                Diagnostic::new(
                    Code::DUPLICATE_ATTRIBUTE,
                    "a rule names both `cidr` and `group`",
                )
                .primary(g.span, "second peer")
                .help("a rule has one peer: write two rules, one with `cidr` and one with `group`"),
            );
            None
        }
        (None, None) => {
            if !a.failed {
                a.failed = true;
                cx.report(
                    Diagnostic::new(Code::MISSING_ATTRIBUTE, "this rule names no peer")
                        .primary(block.kind.span, "a rule needs `cidr` or `group`")
                        .help("add `cidr = 192.168.0.0/16` (an address block) or `group = my_vpc.my_group` (a security group)"),
                );
            }
            None
        }
    };
    let ok = a.finish(cx);
    // A rule without ports covers every port (as `all` and `icmp` rules always do).
    let ports = ports.unwrap_or(PortRange::ALL);
    let r = SgRule {
        direction: direction?.node,
        protocol,
        ports,
        peer: peer?,
        priority,
        action,
        span: block.span,
    };
    ok.then_some(r)
}
