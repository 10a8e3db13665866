//! The vocabulary of paths: the route tables a packet consults and the next hops they name.

use crate::model::*;

/// Which route table.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableRef {
    /// A VPC's route table.
    Vpc(VpcId),
    /// A DataWorks resource group's custom routes.
    ResourceGroup(ComputeId),
    /// A CEN transit router's route table in a region.
    TransitRouter(ConnectionId, String),
    /// The data centre's own router (configured on premises).
    Idc(TargetId),
}

/// Where a route sends traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hop {
    /// A peering connection.
    Peering(ConnectionId),
    /// A CEN transit router (from a VPC or resource group).
    Cen(ConnectionId),
    /// From a transit router to one of its VPC attachments.
    Attachment(AttachmentId),
    /// From a transit router, over the inter-region connection, towards an attachment in
    /// another region.
    InterRegion(AttachmentId),
    /// An Express Connect circuit (VBR).
    ExpressConnect(ConnectionId),
    /// A VPN gateway.
    Vpn(ConnectionId),
    /// A NAT gateway.
    Nat(NatId),
}

/// The next hop of a route over a connection.
pub fn hop_of(m: &Model, conn: ConnectionId) -> Hop {
    match m.connections[conn.index()].kind {
        ConnectionKind::Peering { .. } => Hop::Peering(conn),
        ConnectionKind::Cen { .. } => Hop::Cen(conn),
        ConnectionKind::ExpressConnect { .. } => Hop::ExpressConnect(conn),
        ConnectionKind::Vpn { .. } | ConnectionKind::VpnVpcs { .. } => Hop::Vpn(conn),
    }
}
