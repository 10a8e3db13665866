//! Addresses: vSwitches inside their VPC and apart from each other, joined networks apart,
//! zones in their region, ports a target serves, whitelists open to all.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::regions::{region, region_of_zone, zone_id, zone_letter};
use crate::model::*;
use crate::net::Index;
use crate::source::Span;
use ipnet::Ipv4Net;

/// Run the family.
pub fn check(m: &Model, _ix: &Index, out: &mut Vec<Diagnostic>) {
    for vpc in &m.vpcs {
        vpc_block(vpc, out);
        vswitches_of(m, vpc, out);
    }
    joined_overlaps(m, out);
    served_ports(m, out);
    open_whitelists(m, out);
    whitelist_owners(m, out);
}

/// Ranges a custom VPC block may not use (CreateVpc's `CidrBlock`, and `alicloud_vpc`'s
/// `cidr_block`: "a custom CIDR block other than 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8,
/// 169.254.0.0/16, or their subnets"; a block cannot start with 0).
const RESERVED: [(&str, [u8; 4], u8); 5] = [
    ("0.0.0.0/8", [0, 0, 0, 0], 8),
    ("100.64.0.0/10", [100, 64, 0, 0], 10),
    ("127.0.0.0/8", [127, 0, 0, 0], 8),
    ("169.254.0.0/16", [169, 254, 0, 0], 16),
    ("224.0.0.0/4", [224, 0, 0, 0], 4),
];

/// NL2011: a VPC's block: mask /8 to /28, outside the reserved ranges (Alibaba Cloud VPC
/// documentation, CreateVpc).
fn vpc_block(vpc: &Vpc, out: &mut Vec<Diagnostic>) {
    let cidr = vpc.cidr.node;
    let len = cidr.prefix_len();
    let reserved = RESERVED.iter().find(|(_, a, l)| {
        ipnet::Ipv4Net::new((*a).into(), *l).is_ok_and(|r| r.contains(&cidr) || cidr.contains(&r))
    });
    let (label, help) = if !(8..=28).contains(&len) {
        (
            format!("a /{len} block"),
            if len < 8 {
                "a VPC's mask is /8 to /28: split the space into VPCs of /8 or smaller".to_string()
            } else {
                format!("a VPC's mask is /8 to /28: widen `{cidr}` to a /28 or larger")
            },
        )
    } else if let Some((name, _, _)) = reserved {
        (
            format!("overlaps the reserved range {name}"),
            "use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a block within one of them"
                .to_string(),
        )
    } else {
        return;
    };
    out.push(
        Diagnostic::new(
            Code::VPC_CIDR,
            format!("vpc `{}` cannot have the block {cidr}", vpc.name.node),
        )
        .primary(vpc.cidr.span, label)
        .help(help)
        .note("Alibaba Cloud VPC (CreateVpc): a mask of 8 to 28 bits, not within 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 or 169.254.0.0/16, and not starting with 0"),
    );
}

/// NL2012: a vSwitch's mask is /16 to /29 (Alibaba Cloud VPC documentation, CreateVSwitch).
fn vswitch_size(vs: &VSwitch, out: &mut Vec<Diagnostic>) {
    let len = vs.cidr.node.prefix_len();
    if (16..=29).contains(&len) {
        return;
    }
    let help = if len < 16 {
        format!(
            "narrow `{}` to a /16 or smaller, or split it into several vSwitches",
            vs.cidr.node
        )
    } else {
        format!("widen `{}` to a /29 or larger", vs.cidr.node)
    };
    out.push(
        Diagnostic::new(
            Code::VSWITCH_SIZE,
            format!("vswitch `{}` cannot have a /{len} block", vs.qualified),
        )
        .primary(vs.cidr.span, format!("a /{len} block"))
        .help(help)
        .note("Alibaba Cloud VPC (CreateVSwitch): a vSwitch's mask is 16 to 29 bits, and the first and last three addresses are reserved"),
    );
}

fn vswitches_of(m: &Model, vpc: &Vpc, out: &mut Vec<Diagnostic>) {
    let mut inside: Vec<&VSwitch> = Vec::with_capacity(vpc.vswitches.len());
    for id in &vpc.vswitches {
        let vs = &m.vswitches[id.index()];
        vswitch_size(vs, out);
        if zone_letter(&vpc.region.node, &vs.zone.node).is_none() {
            let example = zone_id(
                &vpc.region.node,
                region(&vpc.region.node)
                    .and_then(|r| r.maxcompute_vpc_zones.first().copied())
                    .unwrap_or('a'),
            );
            // A misspelling of a zone of this region: the region, maybe a hyphen, one letter.
            let rest = vs
                .zone
                .node
                .strip_prefix(vpc.region.node.as_str())
                .unwrap_or("");
            let letter = match rest.as_bytes() {
                [l] | [b'-', l] if l.is_ascii_lowercase() => Some(char::from(*l)),
                _ => None,
            };
            let help = match (region_of_zone(&vs.zone.node), letter) {
                (Some(r), _) => format!(
                    "`{}` is in `{}`; use a zone of `{}` such as `{example}`, or move the VPC",
                    vs.zone.node, r.id, vpc.region.node
                ),
                (None, Some(l)) => format!(
                    "zones of `{}` are spelt like `{}`",
                    vpc.region.node,
                    zone_id(&vpc.region.node, l)
                ),
                _ => format!("zones of `{}` are spelt like `{example}`", vpc.region.node),
            };
            out.push(
                Diagnostic::new(
                    Code::ZONE_REGION,
                    if letter.is_some() {
                        format!("zone `{}` is misspelt", vs.zone.node)
                    } else {
                        format!(
                            "zone `{}` is not in region `{}`",
                            vs.zone.node, vpc.region.node
                        )
                    },
                )
                .primary(vs.zone.span, format!("not a zone of `{}`", vpc.region.node))
                .secondary(vpc.region.span, "the VPC's region")
                .help(help),
            );
        }
        if !vpc.cidr.node.contains(&vs.cidr.node) {
            out.push(
                Diagnostic::new(
                    Code::VSWITCH_OUTSIDE_VPC,
                    format!(
                        "vSwitch `{}` ({}) is outside its VPC's block {}",
                        vs.qualified, vs.cidr.node, vpc.cidr.node
                    ),
                )
                .primary(vs.cidr.span, format!("not inside {}", vpc.cidr.node))
                .secondary(vpc.cidr.span, "the VPC's CIDR block")
                .help(format!(
                    "choose a block inside {} for the vSwitch",
                    vpc.cidr.node
                )),
            );
        } else {
            inside.push(vs);
        }
    }
    // Sorted sweep: each block is compared with the widest one still open before it.
    inside.sort_by_key(|v| {
        (
            v.cidr.node.network(),
            std::cmp::Reverse(v.cidr.node.prefix_len()),
        )
    });
    let mut open: Option<&VSwitch> = None;
    for vs in inside {
        if let Some(prev) = open {
            if prev.cidr.node.contains(&vs.cidr.node.network()) {
                out.push(overlap_vswitch(prev, vs));
                if vs.cidr.node.broadcast() <= prev.cidr.node.broadcast() {
                    continue;
                }
            }
        }
        open = Some(vs);
    }
}

fn overlap_vswitch(a: &VSwitch, b: &VSwitch) -> Diagnostic {
    Diagnostic::new(
        Code::VSWITCH_OVERLAP,
        format!("vSwitches `{}` and `{}` overlap", a.qualified, b.qualified),
    )
    .primary(
        b.cidr.span,
        format!("{} overlaps {}", b.cidr.node, a.cidr.node),
    )
    .secondary(a.cidr.span, format!("`{}` is {}", a.qualified, a.cidr.node))
    .help("give each vSwitch of a VPC its own, disjoint block")
}

/// A network joined to others: its name, block and where the block is written.
struct Member<'a> {
    name: &'a str,
    net: Ipv4Net,
    span: Span,
}

fn sweep(members: &mut [Member<'_>], joined_by: &str, join_span: Span, out: &mut Vec<Diagnostic>) {
    members.sort_by_key(|x| (x.net.network(), std::cmp::Reverse(x.net.prefix_len())));
    let mut open: Option<usize> = None;
    for i in 0..members.len() {
        if let Some(p) = open {
            let (a, b) = (&members[p], &members[i]);
            if a.net.contains(&b.net.network()) && a.name != b.name {
                out.push(
                    Diagnostic::new(Code::JOINED_OVERLAP, format!("`{}` and `{}` overlap but {joined_by} joins them", a.name, b.name))
                        .primary(b.span, format!("{} overlaps {}", b.net, a.net))
                        .secondary(a.span, format!("`{}` is {}", a.name, a.net))
                        .secondary(join_span, "joined here")
                        .help("joined networks need disjoint blocks, or routes between them are ambiguous; re-address one side"),
                );
                if b.net.broadcast() <= a.net.broadcast() {
                    continue;
                }
            }
        }
        open = Some(i);
    }
}

fn joined_overlaps(m: &Model, out: &mut Vec<Diagnostic>) {
    let vpc_member = |v: VpcId| {
        let vpc = &m.vpcs[v.index()];
        Member {
            name: &vpc.name.node,
            net: vpc.cidr.node,
            span: vpc.cidr.span,
        }
    };
    for c in &m.connections {
        let mut members = Vec::new();
        match &c.kind {
            ConnectionKind::Peering {
                requester: a,
                accepter: b,
                ..
            }
            | ConnectionKind::VpnVpcs {
                vpc: a,
                peer_vpc: b,
            } => {
                members.push(vpc_member(a.node));
                members.push(vpc_member(b.node));
            }
            ConnectionKind::Cen { attachments, .. } => {
                for a in attachments {
                    members.push(vpc_member(m.attachments[a.index()].vpc.node));
                }
            }
            ConnectionKind::ExpressConnect { idc, vpc } | ConnectionKind::Vpn { idc, vpc } => {
                members.push(vpc_member(vpc.node));
                let t = &m.targets[idc.node.index()];
                if let Placement::Idc(cidrs) = &t.placement {
                    for c in cidrs {
                        members.push(Member {
                            name: &t.name.node,
                            net: c.node,
                            span: c.span,
                        });
                    }
                }
            }
        }
        let what = format!("`{}`", c.name.node);
        sweep(&mut members, &what, c.name.span, out);
    }
}

fn served_ports(m: &Model, out: &mut Vec<Diagnostic>) {
    for f in &m.flows {
        let t = &m.targets[f.to.node.index()];
        if t.ports.is_empty() {
            continue;
        }
        for p in &f.ports {
            if !t.ports.iter().any(|tp| tp.node.covers(&p.node)) {
                let served = t
                    .ports
                    .iter()
                    .map(|p| p.node.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(
                    Diagnostic::new(
                        Code::PORT_NOT_SERVED,
                        format!("`{}` does not serve port {}", t.name.node, p.node),
                    )
                    .primary(p.span, format!("`{}` serves {served}", t.name.node))
                    .secondary(t.name.span, "the target")
                    .help(if t.ports.len() == 1 {
                        format!("use {served}, or declare the port on `{}`", t.name.node)
                    } else {
                        format!(
                            "use one of {served}, or declare the port on `{}`",
                            t.name.node
                        )
                    }),
                );
            }
        }
    }
}

/// NL1010: a service (OSS, Hologres, a classic-network instance, ...) that takes a whitelist, by
/// its kind, by `access = [whitelist]` or by a `whitelist` block, but names no owner.
fn whitelist_owners(m: &Model, out: &mut Vec<Diagnostic>) {
    for t in &m.targets {
        if t.whitelist && matches!(t.placement, Placement::Service { .. }) && t.account.is_none() {
            out.push(
                Diagnostic::new(
                    Code::MISSING_ATTRIBUTE,
                    format!(
                        "{} `{}` takes a whitelist but has no `account`",
                        t.kind.keyword(),
                        t.name.node
                    ),
                )
                .primary(
                    t.name.span,
                    "its whitelist is set in its owner's console; no `account` says who that is",
                )
                .help("add `account = <the account that owns it>`"),
            );
        }
    }
    for w in &m.whitelists {
        // A service's whitelist is set in its owner's console; with no `account` on the service
        // the plan could only file the entries outside Alibaba Cloud.
        let t = &m.targets[w.target.node.index()];
        if matches!(t.placement, Placement::Service { .. }) && t.account.is_none() {
            out.push(
                Diagnostic::new(
                    Code::MISSING_ATTRIBUTE,
                    format!(
                        "whitelist `{}` is on {} `{}`, which has no `account`",
                        w.name.node,
                        t.kind.keyword(),
                        t.name.node
                    ),
                )
                .primary(
                    w.target.span,
                    "whitelist entries are added in the owner's console",
                )
                .secondary(t.name.span, "no `account` says who owns it")
                .help(format!(
                    "add `account = <the account that owns it>` to `{}`",
                    t.name.node
                )),
            );
        }
    }
}

fn open_whitelists(m: &Model, out: &mut Vec<Diagnostic>) {
    for w in &m.whitelists {
        for e in &w.entries {
            if e.net.prefix_len() == 0 {
                out.push(
                    Diagnostic::new(
                        Code::OPEN_WHITELIST,
                        format!("whitelist `{}` admits every address", w.name.node),
                    )
                    .primary(e.span, "`0.0.0.0/0` opens the target to the whole internet")
                    .help("whitelist the source's vSwitch CIDR block (or the NAT's EIP) instead"),
                );
            }
        }
    }
}
