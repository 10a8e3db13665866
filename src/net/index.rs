//! Lookups every rule family needs, built once in one pass over the model (maps, no rescans).

use crate::model::*;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Precomputed relations of the model.
#[derive(Debug, Default)]
pub struct Index {
    /// Peerings by the (smaller, larger) VPC pair they join.
    pub peerings: HashMap<(VpcId, VpcId), Vec<ConnectionId>>,
    /// CENs each VPC is attached to.
    pub cens_of_vpc: HashMap<VpcId, Vec<ConnectionId>>,
    /// VPN gateways joining two VPCs, by the (smaller, larger) pair.
    pub vpn_pairs: HashMap<(VpcId, VpcId), Vec<ConnectionId>>,
    /// Express Connect circuits and VPN gateways by (data centre, VPC).
    pub idc_links: HashMap<(TargetId, VpcId), Vec<ConnectionId>>,
    /// Network links of each MaxCompute project.
    pub links_of_project: HashMap<ComputeId, Vec<NetworkLinkId>>,
    /// Internet access lists of each MaxCompute project.
    pub access_of_project: HashMap<ComputeId, Vec<InternetAccessId>>,
    /// NAT gateways of each VPC.
    pub nats_of_vpc: HashMap<VpcId, Vec<NatId>>,
}

/// A VPC pair in canonical order.
pub fn pair(a: VpcId, b: VpcId) -> (VpcId, VpcId) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Index {
    /// Build the index.
    pub fn build(m: &Model) -> Index {
        let mut ix = Index::default();
        for (i, c) in m.connections.iter().enumerate() {
            let id = ConnectionId(i as u32);
            match &c.kind {
                ConnectionKind::Peering {
                    requester,
                    accepter,
                    ..
                } => ix
                    .peerings
                    .entry(pair(requester.node, accepter.node))
                    .or_default()
                    .push(id),
                ConnectionKind::Cen { attachments, .. } => {
                    for a in attachments {
                        let list = ix
                            .cens_of_vpc
                            .entry(m.attachments[a.index()].vpc.node)
                            .or_default();
                        if !list.contains(&id) {
                            list.push(id);
                        }
                    }
                }
                ConnectionKind::VpnVpcs { vpc, peer_vpc } => ix
                    .vpn_pairs
                    .entry(pair(vpc.node, peer_vpc.node))
                    .or_default()
                    .push(id),
                ConnectionKind::ExpressConnect { idc, vpc } | ConnectionKind::Vpn { idc, vpc } => {
                    ix.idc_links
                        .entry((idc.node, vpc.node))
                        .or_default()
                        .push(id)
                }
            }
        }
        for (i, l) in m.network_links.iter().enumerate() {
            ix.links_of_project
                .entry(l.maxcompute.node)
                .or_default()
                .push(NetworkLinkId(i as u32));
        }
        for (i, a) in m.internet_accesses.iter().enumerate() {
            ix.access_of_project
                .entry(a.maxcompute.node)
                .or_default()
                .push(InternetAccessId(i as u32));
        }
        for (i, n) in m.nat_gateways.iter().enumerate() {
            ix.nats_of_vpc
                .entry(m.vswitches[n.vswitch.node.index()].vpc)
                .or_default()
                .push(NatId(i as u32));
        }
        ix
    }

    /// Connections joining two different VPCs directly: peerings and VPN gateways between them
    /// and CENs holding both. (Peering is not transitive, and netlink does not chain
    /// connections.)
    pub fn joining(&self, a: VpcId, b: VpcId) -> Vec<ConnectionId> {
        let mut out: Vec<ConnectionId> =
            self.peerings.get(&pair(a, b)).cloned().unwrap_or_default();
        out.extend(self.vpn_pairs.get(&pair(a, b)).into_iter().flatten());
        if let (Some(ca), Some(cb)) = (self.cens_of_vpc.get(&a), self.cens_of_vpc.get(&b)) {
            out.extend(ca.iter().filter(|c| cb.contains(c)));
        }
        out.sort_unstable();
        out
    }

    /// Express Connect circuits and VPN gateways joining a data centre to a VPC.
    pub fn joining_idc(&self, idc: TargetId, vpc: VpcId) -> Vec<ConnectionId> {
        self.idc_links.get(&(idc, vpc)).cloned().unwrap_or_default()
    }
}
