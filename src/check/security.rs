//! Declared security groups netlink must not change (`managed = false`): what they say is all
//! there is, so a rule they lack is an error with the rule to add.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::net::filters::{admits, PeerEnd};
use crate::net::sites::flow_ports;
use ipnet::Ipv4Net;

/// A `rule { ... }` block that would admit the traffic, for help lines.
pub fn suggest_rule(
    direction: Direction,
    protocol: Protocol,
    ports: PortRange,
    peer: &PeerEnd,
    names: impl Fn(SgId) -> String,
) -> String {
    let peer = match peer.group {
        Some(g) => format!("group = {}", names(g)),
        None => format!("cidr = {}", peer.net),
    };
    if protocol == Protocol::Icmp {
        return format!("rule {{ direction = {direction}  protocol = icmp  {peer} }}");
    }
    format!("rule {{ direction = {direction}  protocol = {protocol}  ports = {ports}  {peer} }}")
}

/// A security group's qualified name, for help lines.
pub fn group_name(m: &Model) -> impl Fn(SgId) -> String + '_ {
    |g| m.security_groups[g.index()].qualified.clone()
}

/// An unmanaged group on the target must admit the compute's vSwitch block (or group).
pub fn target_group(
    m: &Model,
    f: &Flow,
    from_net: Ipv4Net,
    from_group: Option<SgId>,
    out: &mut Vec<Diagnostic>,
) {
    let t = &m.targets[f.to.node.index()];
    let Some(g) = &t.security_group else {
        return;
    };
    let sg = &m.security_groups[g.node.index()];
    if sg.managed {
        return;
    }
    let peer = PeerEnd {
        net: from_net,
        group: from_group,
    };
    let is_emr_client = t.kind == crate::resolve::SymbolKind::Hadoop
        && matches!(
            m.computes[f.from.node.index()].kind,
            ComputeKind::Client { .. }
        );
    if is_emr_client
        && !admits(
            sg,
            Direction::Ingress,
            Protocol::Icmp,
            PortRange::ALL,
            &peer,
        )
    {
        let rule = suggest_rule(
            Direction::Ingress,
            Protocol::Icmp,
            PortRange::ALL,
            &PeerEnd {
                group: None,
                ..peer
            },
            group_name(m),
        );
        out.push(
            Diagnostic::new(
                Code::EMR_SG,
                format!(
                    "EMR security group `{}` does not admit ICMP from `{}`",
                    sg.qualified,
                    m.computes[f.from.node.index()].name.node
                ),
            )
            .primary(g.span, "no inbound ICMP rule")
            .secondary(f.name.span, "the flow")
            .help(format!("add `{rule}` to `{}`", sg.qualified))
            .note("seed 002 checks EMR endpoints with ping; allow ICMP and the service ports"),
        );
    }
    for ports in flow_ports(m, f) {
        if !admits(sg, Direction::Ingress, Protocol::Tcp, ports, &peer) {
            let rule = suggest_rule(
                Direction::Ingress,
                Protocol::Tcp,
                ports,
                &PeerEnd {
                    group: None,
                    ..peer
                },
                group_name(m),
            );
            let code = if is_emr_client {
                Code::EMR_SG
            } else {
                Code::SG_INGRESS
            };
            out.push(
                Diagnostic::new(
                    code,
                    format!(
                        "security group `{}` of `{}` blocks flow `{}` on {ports}",
                        sg.qualified, t.name.node, f.name.node
                    ),
                )
                .primary(
                    g.span,
                    format!("no inbound rule from {} on {ports}", peer.net),
                )
                .secondary(f.to.span, "the flow's target")
                .help(format!("add `{rule}` to `{}`", sg.qualified))
                .note("`managed = false` keeps netlink from adding the rule itself"),
            );
        }
    }
}
