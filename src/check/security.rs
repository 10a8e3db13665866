//! Does a declared security group admit a given packet? Used for unmanaged groups, whose rules
//! netlink must not change, so what they say is all there is.

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

fn protocol_matches(rule: Protocol, wanted: Protocol) -> bool {
    rule == Protocol::All || rule == wanted
}

fn peer_matches(rule: &RulePeer, peer: &PeerEnd) -> bool {
    match rule {
        RulePeer::Cidr(c) => c.contains(&peer.net),
        RulePeer::Group(g) => peer.group == Some(*g),
    }
}

/// The verdict of a group for traffic in `direction` with `peer` on `ports`: the matching rule
/// with the best priority wins, a deny beating an allow of the same priority (Alibaba Cloud's
/// order). No matching rule: allowed only for egress from a basic group.
pub fn admits(sg: &SecurityGroup, direction: Direction, protocol: Protocol, ports: PortRange, peer: &PeerEnd) -> bool {
    let best = sg
        .rules
        .iter()
        .filter(|r| r.direction == direction && protocol_matches(r.protocol, protocol))
        .filter(|r| r.protocol != Protocol::Tcp && r.protocol != Protocol::Udp || r.ports.covers(&ports))
        .filter(|r| peer_matches(&r.peer, peer))
        .min_by_key(|r| (r.priority, r.action == Action::Allow));
    match best {
        Some(r) => r.action == Action::Allow,
        None => direction == Direction::Egress && sg.kind.node == SgType::Basic,
    }
}

/// A `rule { ... }` block that would admit the traffic, for help lines.
pub fn suggest_rule(direction: Direction, protocol: Protocol, ports: PortRange, peer: &PeerEnd, names: impl Fn(SgId) -> String) -> String {
    let peer = match peer.group {
        Some(g) => format!("group = {}", names(g)),
        None => format!("cidr = {}", peer.net),
    };
    if protocol == Protocol::Icmp {
        return format!("rule {{ direction = {direction}  protocol = icmp  {peer} }}");
    }
    format!("rule {{ direction = {direction}  protocol = {protocol}  ports = {ports}  {peer} }}")
}
