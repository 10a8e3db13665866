//! Security-group semantics: which rule decides a packet. Shared by `check` (declared groups
//! netlink must not change) and `verify` (the groups as the plan leaves them).

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

/// Does a rule's protocol cover the wanted one?
pub fn protocol_matches(rule: Protocol, wanted: Protocol) -> bool {
    rule == Protocol::All || rule == wanted
}

/// Does a rule's peer (block or group) cover the packet's other end?
pub fn peer_matches(rule: &RulePeer, peer: &PeerEnd) -> bool {
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

/// Does a rule apply to traffic in `direction` with `peer` on `ports`? (Ports matter only for
/// TCP and UDP rules.)
pub fn matches(
    r: &RuleView,
    direction: Direction,
    protocol: Protocol,
    ports: PortRange,
    peer: &PeerEnd,
) -> bool {
    r.direction == direction
        && protocol_matches(r.protocol, protocol)
        && (r.protocol != Protocol::Tcp && r.protocol != Protocol::Udp || r.ports.covers(&ports))
        && peer_matches(&r.peer, peer)
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
        .filter(|r| matches(r, direction, protocol, ports, peer))
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
