//! Typed indices into the model's vectors.

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            /// The index into the model's vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids! {
    /// An account.
    AccountId;
    /// A VPC.
    VpcId;
    /// A vSwitch.
    VSwitchId;
    /// A security group.
    SgId;
    /// A data source or target.
    TargetId;
    /// A MaxCompute project, resource group or client.
    ComputeId;
    /// A MaxCompute network link.
    NetworkLinkId;
    /// A MaxCompute internet access list.
    InternetAccessId;
    /// A NAT gateway.
    NatId;
    /// A peering, CEN, Express Connect or VPN gateway.
    ConnectionId;
    /// A CEN VPC attachment.
    AttachmentId;
    /// A CEN transit router.
    TransitRouterId;
    /// A route.
    RouteId;
    /// A whitelist.
    WhitelistId;
    /// A flow.
    FlowId;
}
