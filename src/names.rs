//! Names that several stages print (`check`'s cycle messages, `plan`'s route conflicts,
//! `verify`'s traces, every artifact): one spelling, defined below all of them.

use crate::model::*;
use crate::net::{Hop, TableRef};
use crate::resolve::SymbolKind;

/// The artifact format version: minor for additive changes, major for breaking ones.
pub const FORMAT_VERSION: &str = "1.0";

/// The name of any top-level block.
pub fn block_name(m: &Model, b: BlockRef) -> String {
    let i = b.index as usize;
    match b.kind {
        SymbolKind::Account => m.accounts[i].name.node.clone(),
        SymbolKind::Vpc => m.vpcs[i].name.node.clone(),
        SymbolKind::MaxCompute | SymbolKind::ResourceGroup | SymbolKind::Client => {
            m.computes[i].name.node.clone()
        }
        SymbolKind::NetworkLink => m.network_links[i].name.node.clone(),
        SymbolKind::InternetAccess => m.internet_accesses[i].name.node.clone(),
        SymbolKind::NatGateway => m.nat_gateways[i].name.node.clone(),
        SymbolKind::Peering
        | SymbolKind::Cen
        | SymbolKind::ExpressConnect
        | SymbolKind::VpnGateway => m.connections[i].name.node.clone(),
        SymbolKind::Route => m.routes[i].name.node.clone(),
        SymbolKind::Whitelist => m.whitelists[i].name.node.clone(),
        SymbolKind::Flow => m.flows[i].block_name().node.clone(),
        k if SymbolKind::TARGETS.contains(&k) => m.targets[i].name.node.clone(),
        _ => String::new(),
    }
}

/// A route table's kind and name.
pub fn table_name(m: &Model, t: &TableRef) -> (&'static str, String) {
    match t {
        TableRef::Vpc(v) => ("vpc", m.vpcs[v.index()].name.node.clone()),
        TableRef::ResourceGroup(c) => ("resource_group", m.computes[c.index()].name.node.clone()),
        TableRef::TransitRouter(c, region) => (
            "transit_router",
            format!("{}/{region}", m.connections[c.index()].name.node),
        ),
        TableRef::Idc(t) => ("idc", m.targets[t.index()].name.node.clone()),
    }
}

/// A next hop's kind and name.
pub fn hop_name(m: &Model, h: &Hop) -> (&'static str, String) {
    match h {
        Hop::Peering(c) => ("peering", m.connections[c.index()].name.node.clone()),
        Hop::Cen(c) => ("transit_router", m.connections[c.index()].name.node.clone()),
        Hop::Attachment(a) => {
            let att = &m.attachments[a.index()];
            (
                "vpc_attachment",
                format!(
                    "{}.{}",
                    m.connections[att.cen.index()].name.node,
                    att.name.node
                ),
            )
        }
        Hop::InterRegion(a) => {
            let att = &m.attachments[a.index()];
            let region = &m.vpcs[att.vpc.node.index()].region.node;
            (
                "inter_region_connection",
                format!("{}/{region}", m.connections[att.cen.index()].name.node),
            )
        }
        Hop::ExpressConnect(c) => (
            "express_connect",
            m.connections[c.index()].name.node.clone(),
        ),
        Hop::Vpn(c) => ("vpn_gateway", m.connections[c.index()].name.node.clone()),
        Hop::Nat(n) => ("nat_gateway", m.nat_gateways[n.index()].name.node.clone()),
    }
}

/// A rule's port range as Alibaba Cloud's security-group API takes it (`PortRange` of
/// AuthorizeSecurityGroup): `start/end` for TCP and UDP, `-1/-1` for ICMP and for all protocols,
/// which have no ports.
pub fn port_range(protocol: Protocol, ports: PortRange) -> String {
    match protocol {
        Protocol::Tcp | Protocol::Udp => format!("{}/{}", ports.start, ports.end),
        _ => "-1/-1".to_string(),
    }
}
