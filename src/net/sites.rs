//! Where each end of a flow sits, and whether something joins them.

use super::index::Index;
use crate::model::*;
use ipnet::Ipv4Net;

/// Where a target is, as far as paths are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetSite {
    /// In this VPC.
    Vpc(VpcId),
    /// A data centre.
    Idc(TargetId),
    /// On the internet.
    Internet,
    /// An Alibaba Cloud service endpoint (or a classic-network instance).
    Service,
}

/// Where a target is.
pub fn target_site(m: &Model, t: TargetId) -> TargetSite {
    match &m.targets[t.index()].placement {
        Placement::Vpc(vs) => TargetSite::Vpc(m.vswitches[vs.node.index()].vpc),
        Placement::Idc(_) => TargetSite::Idc(t),
        Placement::Internet(_) => TargetSite::Internet,
        Placement::Service { .. } => TargetSite::Service,
    }
}

/// The account that administers a target, when netlink knows it (targets in a VPC).
pub fn target_account(m: &Model, t: TargetId) -> Option<AccountId> {
    match target_site(m, t) {
        TargetSite::Vpc(vpc) => Some(m.vpc_account(vpc)),
        _ => None,
    }
}

/// The address blocks a target answers on (for security-group and whitelist reasoning).
pub fn target_nets(m: &Model, t: TargetId) -> Vec<Ipv4Net> {
    match &m.targets[t.index()].placement {
        Placement::Vpc(vs) => vec![m.vswitches[vs.node.index()].cidr.node],
        Placement::Idc(cidrs) => cidrs.iter().map(|c| c.node).collect(),
        Placement::Internet(h) => match &h.node {
            Host::Ipv4(a) => vec![Ipv4Net::from(*a)],
            _ => vec![Ipv4Net::default()],
        },
        Placement::Service { .. } => vec![Ipv4Net::default()],
    }
}

/// Connections joining VPC `from` to a target site: same VPC needs none (`Some(vec![])`),
/// otherwise the joining connections (`None` when nothing joins them).
pub fn joins_to(ix: &Index, from: VpcId, site: TargetSite) -> Option<Vec<ConnectionId>> {
    match site {
        TargetSite::Vpc(v) if v == from => Some(Vec::new()),
        TargetSite::Vpc(v) => Some(ix.joining(from, v)).filter(|c| !c.is_empty()),
        TargetSite::Idc(idc) => Some(ix.joining_idc(idc, from)).filter(|c| !c.is_empty()),
        TargetSite::Internet | TargetSite::Service => Some(Vec::new()),
    }
}

/// The connections named in a flow's `via`.
pub fn via_connections(flow: &Flow) -> Vec<(ConnectionId, crate::source::Span)> {
    flow.via
        .iter()
        .filter_map(|v| match v.node {
            Via::Connection(c) => Some((c, v.span)),
            _ => None,
        })
        .collect()
}

/// A short description of a site for messages: "`sh_vpc`", "data centre `dc`".
pub fn describe_site(m: &Model, site: TargetSite) -> String {
    match site {
        TargetSite::Vpc(v) => format!("`{}`", m.vpcs[v.index()].name.node),
        TargetSite::Idc(t) => format!("data centre `{}`", m.targets[t.index()].name.node),
        TargetSite::Internet => "the internet".to_string(),
        TargetSite::Service => "a service endpoint".to_string(),
    }
}

/// The ports a flow uses: its own, else every port its target serves, else all ports.
pub fn flow_ports(m: &Model, f: &Flow) -> Vec<PortRange> {
    let own: Vec<PortRange> = f.ports.iter().map(|p| p.node).collect();
    ports_of(m, f.to.node, &own)
}

/// The ports of a request with its own `own` ports to target `to`.
pub fn ports_of(m: &Model, to: TargetId, own: &[PortRange]) -> Vec<PortRange> {
    if !own.is_empty() {
        return own.to_vec();
    }
    let t = &m.targets[to.index()];
    if t.ports.is_empty() {
        vec![PortRange::ALL]
    } else {
        t.ports.iter().map(|p| p.node).collect()
    }
}

/// The internet access lists a MaxCompute project `from` uses: those named in `via`, else all
/// of the project's.
pub fn access_lists(
    ix: &Index,
    from: ComputeId,
    via: impl IntoIterator<Item = Via>,
) -> Vec<InternetAccessId> {
    let named: Vec<InternetAccessId> = via
        .into_iter()
        .filter_map(|v| match v {
            Via::InternetAccess(a) => Some(a),
            _ => None,
        })
        .collect();
    if named.is_empty() {
        ix.access_of_project.get(&from).cloned().unwrap_or_default()
    } else {
        named
    }
}
