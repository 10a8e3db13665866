//! Does a declared security group admit a given packet? Used for unmanaged groups, whose rules
//! netlink must not change, so what they say is all there is.

use super::paths::flow_ports;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use ipnet::Ipv4Net;

/// The other end of a packet, as a rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct PeerEnd {
    /// Its address block.
    pub net: Ipv4Net,
    /// Its security group, if it has one.
    pub group: Option<SgId>,
}

pub(crate) fn protocol_matches(rule: Protocol, wanted: Protocol) -> bool {
    rule == Protocol::All || rule == wanted
}

pub(crate) fn peer_matches(rule: &RulePeer, peer: &PeerEnd) -> bool {
    match rule {
        RulePeer::Cidr(c) => c.contains(&peer.net),
        RulePeer::Group(g) => peer.group == Some(*g),
    }
}

/// The parts of a rule a verdict looks at (declared rules and plan rows alike).
#[derive(Debug, Clone, Copy)]
pub struct RuleView {
    /// Direction.
    pub direction: Direction,
    /// Protocol.
    pub protocol: Protocol,
    /// Ports.
    pub ports: PortRange,
    /// Peer.
    pub peer: RulePeer,
    /// Priority.
    pub priority: u8,
    /// Action.
    pub action: Action,
}

impl From<&SgRule> for RuleView {
    fn from(r: &SgRule) -> Self {
        RuleView {
            direction: r.direction,
            protocol: r.protocol,
            ports: r.ports,
            peer: r.peer,
            priority: r.priority,
            action: r.action,
        }
    }
}

impl From<&crate::plan::SgRuleRow> for RuleView {
    /// A rule row of the plan, judged like a declared rule (`verify` reads the planned groups).
    fn from(r: &crate::plan::SgRuleRow) -> Self {
        RuleView {
            direction: r.direction,
            protocol: r.protocol,
            ports: r.ports,
            peer: r.peer,
            priority: r.priority,
            action: r.action,
        }
    }
}

/// The verdict of rules for traffic in `direction` with `peer` on `ports`: the matching rule
/// with the best priority wins, a deny beating an allow of the same priority (Alibaba Cloud's
/// order). No matching rule: allowed only for egress from a basic group.
pub fn verdict(
    kind: SgType,
    rules: impl IntoIterator<Item = RuleView>,
    direction: Direction,
    protocol: Protocol,
    ports: PortRange,
    peer: &PeerEnd,
) -> bool {
    let best = rules
        .into_iter()
        .filter(|r| r.direction == direction && protocol_matches(r.protocol, protocol))
        .filter(|r| {
            r.protocol != Protocol::Tcp && r.protocol != Protocol::Udp || r.ports.covers(&ports)
        })
        .filter(|r| peer_matches(&r.peer, peer))
        .min_by_key(|r| (r.priority, r.action == Action::Allow));
    match best {
        Some(r) => r.action == Action::Allow,
        None => direction == Direction::Egress && kind == SgType::Basic,
    }
}

/// [`verdict`] over a group's declared rules.
pub fn admits(
    sg: &SecurityGroup,
    direction: Direction,
    protocol: Protocol,
    ports: PortRange,
    peer: &PeerEnd,
) -> bool {
    verdict(
        sg.kind.node,
        sg.rules.iter().map(RuleView::from),
        direction,
        protocol,
        ports,
        peer,
    )
}

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
