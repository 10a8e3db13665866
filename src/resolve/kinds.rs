//! The kinds of declaration a netlink project has, and where each may be written.

use std::fmt;

/// What a declared name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SymbolKind {
    /// `account`
    Account,
    /// `vpc`
    Vpc,
    /// `vswitch` (inside a `vpc`)
    VSwitch,
    /// `security_group` (inside a `vpc`)
    SecurityGroup,
    /// `rds`
    Rds,
    /// `hbase`
    Hbase,
    /// `hadoop` (an EMR cluster)
    Hadoop,
    /// `ecs_service` (a self-managed service on ECS)
    EcsService,
    /// `idc` (a data centre)
    Idc,
    /// `internet_host`
    InternetHost,
    /// `oss`
    Oss,
    /// `tablestore`
    Tablestore,
    /// `hologres`
    Hologres,
    /// `dlf`
    Dlf,
    /// `maxcompute` (a project)
    MaxCompute,
    /// `resource_group` (DataWorks)
    ResourceGroup,
    /// `client` (ECS or ACK reaching EMR)
    Client,
    /// `network_link` (MaxCompute VPC connection)
    NetworkLink,
    /// `internet_access` (MaxCompute outbound internet)
    InternetAccess,
    /// `nat_gateway`
    NatGateway,
    /// `peering`
    Peering,
    /// `cen`
    Cen,
    /// `attach` (inside a `cen`)
    CenAttachment,
    /// `transit_router` (inside a `cen`)
    TransitRouter,
    /// `express_connect`
    ExpressConnect,
    /// `vpn_gateway`
    VpnGateway,
    /// `route`
    Route,
    /// `whitelist`
    Whitelist,
    /// `flow`
    Flow,
}

/// Which model vector a kind's declarations go to; ids count within a category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Accounts.
    Account,
    /// VPCs.
    Vpc,
    /// vSwitches.
    VSwitch,
    /// Security groups.
    SecurityGroup,
    /// Every data source / target kind.
    Target,
    /// MaxCompute projects, resource groups, clients.
    Compute,
    /// Network links.
    NetworkLink,
    /// Internet access lists.
    InternetAccess,
    /// NAT gateways.
    NatGateway,
    /// Peerings, CENs, Express Connect, VPN gateways.
    Connection,
    /// CEN attachments.
    CenAttachment,
    /// Transit routers.
    TransitRouter,
    /// Routes.
    Route,
    /// Whitelists.
    Whitelist,
    /// Flows.
    Flow,
}

impl SymbolKind {
    /// Every kind, in the order the language reference lists them.
    pub const ALL: &'static [SymbolKind] = &[
        SymbolKind::Account,
        SymbolKind::Vpc,
        SymbolKind::VSwitch,
        SymbolKind::SecurityGroup,
        SymbolKind::Rds,
        SymbolKind::Hbase,
        SymbolKind::Hadoop,
        SymbolKind::EcsService,
        SymbolKind::Idc,
        SymbolKind::InternetHost,
        SymbolKind::Oss,
        SymbolKind::Tablestore,
        SymbolKind::Hologres,
        SymbolKind::Dlf,
        SymbolKind::MaxCompute,
        SymbolKind::ResourceGroup,
        SymbolKind::Client,
        SymbolKind::NetworkLink,
        SymbolKind::InternetAccess,
        SymbolKind::NatGateway,
        SymbolKind::Peering,
        SymbolKind::Cen,
        SymbolKind::CenAttachment,
        SymbolKind::TransitRouter,
        SymbolKind::ExpressConnect,
        SymbolKind::VpnGateway,
        SymbolKind::Route,
        SymbolKind::Whitelist,
        SymbolKind::Flow,
    ];

    /// The keyword that opens a block of this kind.
    pub fn keyword(self) -> &'static str {
        match self {
            SymbolKind::Account => "account",
            SymbolKind::Vpc => "vpc",
            SymbolKind::VSwitch => "vswitch",
            SymbolKind::SecurityGroup => "security_group",
            SymbolKind::Rds => "rds",
            SymbolKind::Hbase => "hbase",
            SymbolKind::Hadoop => "hadoop",
            SymbolKind::EcsService => "ecs_service",
            SymbolKind::Idc => "idc",
            SymbolKind::InternetHost => "internet_host",
            SymbolKind::Oss => "oss",
            SymbolKind::Tablestore => "tablestore",
            SymbolKind::Hologres => "hologres",
            SymbolKind::Dlf => "dlf",
            SymbolKind::MaxCompute => "maxcompute",
            SymbolKind::ResourceGroup => "resource_group",
            SymbolKind::Client => "client",
            SymbolKind::NetworkLink => "network_link",
            SymbolKind::InternetAccess => "internet_access",
            SymbolKind::NatGateway => "nat_gateway",
            SymbolKind::Peering => "peering",
            SymbolKind::Cen => "cen",
            SymbolKind::CenAttachment => "attach",
            SymbolKind::TransitRouter => "transit_router",
            SymbolKind::ExpressConnect => "express_connect",
            SymbolKind::VpnGateway => "vpn_gateway",
            SymbolKind::Route => "route",
            SymbolKind::Whitelist => "whitelist",
            SymbolKind::Flow => "flow",
        }
    }

    /// The kind a keyword opens.
    pub fn from_keyword(word: &str) -> Option<SymbolKind> {
        SymbolKind::ALL
            .iter()
            .copied()
            .find(|k| k.keyword() == word)
    }

    /// The kind of block this one must be nested in (`None`: top level).
    pub fn parent(self) -> Option<SymbolKind> {
        match self {
            SymbolKind::VSwitch | SymbolKind::SecurityGroup => Some(SymbolKind::Vpc),
            SymbolKind::CenAttachment | SymbolKind::TransitRouter => Some(SymbolKind::Cen),
            _ => None,
        }
    }

    /// The model category.
    pub fn category(self) -> Category {
        match self {
            SymbolKind::Account => Category::Account,
            SymbolKind::Vpc => Category::Vpc,
            SymbolKind::VSwitch => Category::VSwitch,
            SymbolKind::SecurityGroup => Category::SecurityGroup,
            SymbolKind::Rds
            | SymbolKind::Hbase
            | SymbolKind::Hadoop
            | SymbolKind::EcsService
            | SymbolKind::Idc
            | SymbolKind::InternetHost
            | SymbolKind::Oss
            | SymbolKind::Tablestore
            | SymbolKind::Hologres
            | SymbolKind::Dlf => Category::Target,
            SymbolKind::MaxCompute | SymbolKind::ResourceGroup | SymbolKind::Client => {
                Category::Compute
            }
            SymbolKind::NetworkLink => Category::NetworkLink,
            SymbolKind::InternetAccess => Category::InternetAccess,
            SymbolKind::NatGateway => Category::NatGateway,
            SymbolKind::Peering
            | SymbolKind::Cen
            | SymbolKind::ExpressConnect
            | SymbolKind::VpnGateway => Category::Connection,
            SymbolKind::CenAttachment => Category::CenAttachment,
            SymbolKind::TransitRouter => Category::TransitRouter,
            SymbolKind::Route => Category::Route,
            SymbolKind::Whitelist => Category::Whitelist,
            SymbolKind::Flow => Category::Flow,
        }
    }

    /// All target kinds.
    pub const TARGETS: &'static [SymbolKind] = &[
        SymbolKind::Rds,
        SymbolKind::Hbase,
        SymbolKind::Hadoop,
        SymbolKind::EcsService,
        SymbolKind::Idc,
        SymbolKind::InternetHost,
        SymbolKind::Oss,
        SymbolKind::Tablestore,
        SymbolKind::Hologres,
        SymbolKind::Dlf,
    ];

    /// All compute kinds.
    pub const COMPUTES: &'static [SymbolKind] = &[
        SymbolKind::MaxCompute,
        SymbolKind::ResourceGroup,
        SymbolKind::Client,
    ];

    /// Kinds that join two networks.
    pub const CONNECTIONS: &'static [SymbolKind] = &[
        SymbolKind::Peering,
        SymbolKind::Cen,
        SymbolKind::ExpressConnect,
        SymbolKind::VpnGateway,
    ];
}

impl fmt::Display for SymbolKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// "a vpc", "an rds", "a vswitch or a security_group".
pub fn describe_kinds(kinds: &[SymbolKind]) -> String {
    let words: Vec<String> = kinds
        .iter()
        .map(|k| {
            let w = k.keyword();
            let article = if matches!(w.as_bytes().first(), Some(b'a' | b'e' | b'i' | b'o' | b'u'))
                || w == "rds"
            {
                "an"
            } else {
                "a"
            };
            format!("{article} `{w}`")
        })
        .collect();
    match words.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}
