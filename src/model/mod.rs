//! Stage 3, `model`: the typed, resolved IR that checks, plans and artifacts are computed from.
//!
//! Every reference is an id, every address an `ipnet` type, every closed word an enum. The model
//! is built only when every block lowered cleanly; it is never cloned by later stages.

mod ids;
mod lower;
pub mod regions;
mod words;

pub use ids::*;
pub use lower::lower;
pub use words::*;

use crate::source::{Span, Spanned};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// A block's name as written, with where (an owned copy: the model outlives the syntax tree).
pub type Name = Spanned<String>;
/// An inclusive port range; a single port has `start == end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    /// First port.
    pub start: u16,
    /// Last port.
    pub end: u16,
}

impl PortRange {
    /// One port.
    pub fn single(port: u16) -> PortRange {
        PortRange {
            start: port,
            end: port,
        }
    }

    /// Every port (1-65535).
    pub const ALL: PortRange = PortRange {
        start: 1,
        end: 65535,
    };

    /// Is `other` entirely inside this range?
    pub fn covers(&self, other: &PortRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl std::fmt::Display for PortRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// The whole project, typed and resolved.
#[derive(Debug, Default)]
pub struct Model {
    /// `account` blocks.
    pub accounts: Vec<Account>,
    /// `vpc` blocks.
    pub vpcs: Vec<Vpc>,
    /// `vswitch` blocks.
    pub vswitches: Vec<VSwitch>,
    /// `security_group` blocks.
    pub security_groups: Vec<SecurityGroup>,
    /// Data sources and targets.
    pub targets: Vec<Target>,
    /// MaxCompute projects, resource groups and clients.
    pub computes: Vec<Compute>,
    /// `network_link` blocks.
    pub network_links: Vec<NetworkLink>,
    /// `internet_access` blocks.
    pub internet_accesses: Vec<InternetAccess>,
    /// `nat_gateway` blocks.
    pub nat_gateways: Vec<NatGateway>,
    /// Peerings, CENs, Express Connect circuits and VPN gateways.
    pub connections: Vec<Connection>,
    /// CEN `attach` blocks.
    pub attachments: Vec<CenAttachment>,
    /// CEN `transit_router` blocks.
    pub transit_routers: Vec<TransitRouter>,
    /// `route` blocks.
    pub routes: Vec<Route>,
    /// `whitelist` blocks.
    pub whitelists: Vec<Whitelist>,
    /// `flow` blocks.
    pub flows: Vec<Flow>,
    /// User ordering: `after = [x, y]` on a top-level block, in source order.
    pub after: Vec<After>,
}

/// Any top-level block: its kind and its index in the model vector of that kind's category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlockRef {
    /// The block's kind.
    pub kind: crate::resolve::SymbolKind,
    /// Index within the kind's category (e.g. into `Model::targets` for an `rds`).
    pub index: u32,
}

/// `after = [...]` on a block: its steps wait for every step of the blocks named.
#[derive(Debug, Clone)]
pub struct After {
    /// The block that waits.
    pub block: BlockRef,
    /// The blocks it waits for, each where it is written.
    pub on: Vec<Spanned<BlockRef>>,
}

/// An Alibaba Cloud account.
#[derive(Debug, Clone)]
pub struct Account {
    /// Its name in the project.
    pub name: Name,
    /// The 16-digit UID.
    pub uid: Spanned<String>,
    /// A label for people (`Account A`).
    pub label: Option<String>,
    /// The block.
    pub span: Span,
}

/// A VPC.
#[derive(Debug, Clone)]
pub struct Vpc {
    /// Its name.
    pub name: Name,
    /// The owning account.
    pub account: Spanned<AccountId>,
    /// Region id.
    pub region: Spanned<String>,
    /// The VPC's CIDR block.
    pub cidr: Spanned<Ipv4Net>,
    /// Existing id (`vpc-...`), if the VPC exists already.
    pub id: Option<Spanned<String>>,
    /// Its vSwitches, in source order.
    pub vswitches: Vec<VSwitchId>,
    /// Its security groups, in source order.
    pub security_groups: Vec<SgId>,
    /// The block.
    pub span: Span,
}

/// A vSwitch.
#[derive(Debug, Clone)]
pub struct VSwitch {
    /// Short name.
    pub name: Name,
    /// `vpc.vswitch`.
    pub qualified: String,
    /// Its VPC.
    pub vpc: VpcId,
    /// Zone id.
    pub zone: Spanned<String>,
    /// CIDR block.
    pub cidr: Spanned<Ipv4Net>,
    /// Existing id (`vsw-...`).
    pub id: Option<Spanned<String>>,
    /// The block.
    pub span: Span,
}

/// A security group.
#[derive(Debug, Clone)]
pub struct SecurityGroup {
    /// Short name.
    pub name: Name,
    /// `vpc.group`.
    pub qualified: String,
    /// Its VPC.
    pub vpc: VpcId,
    /// Basic or advanced.
    pub kind: Spanned<SgType>,
    /// Existing id (`sg-...`).
    pub id: Option<Spanned<String>>,
    /// `false`: netlink must not add rules; the declared rules are all there is.
    pub managed: bool,
    /// Declared rules.
    pub rules: Vec<SgRule>,
    /// The block.
    pub span: Span,
}

/// The other side of a security-group rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulePeer {
    /// A CIDR block.
    Cidr(Ipv4Net),
    /// Another security group.
    Group(SgId),
}

/// A declared security-group rule.
#[derive(Debug, Clone)]
pub struct SgRule {
    /// Inbound or outbound.
    pub direction: Direction,
    /// Protocol.
    pub protocol: Protocol,
    /// Ports.
    pub ports: PortRange,
    /// Source (ingress) or destination (egress).
    pub peer: RulePeer,
    /// 1 (highest) to 100.
    pub priority: u8,
    /// Allow or deny.
    pub action: Action,
    /// The block.
    pub span: Span,
}

/// Where a target lives on the network.
#[derive(Debug, Clone)]
pub enum Placement {
    /// In a VPC, on a vSwitch.
    Vpc(Spanned<VSwitchId>),
    /// In a data centre with these CIDR blocks.
    Idc(Vec<Spanned<Ipv4Net>>),
    /// On the internet.
    Internet(Spanned<Host>),
    /// An Alibaba Cloud service reached by endpoint in a region.
    Service {
        /// Region id.
        region: Spanned<String>,
        /// The endpoint type the user asks for (none: netlink chooses per job kind).
        endpoint: Option<Spanned<EndpointType>>,
    },
}

/// An internet host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A domain name.
    Domain(String),
    /// An IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address (as written).
    Ipv6(String),
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Host::Domain(d) => f.write_str(d),
            Host::Ipv4(a) => write!(f, "{a}"),
            Host::Ipv6(a) => f.write_str(a),
        }
    }
}

/// Kind-specific facts about a target.
#[derive(Debug, Clone)]
pub enum TargetDetail {
    /// Nothing more.
    None,
    /// RDS.
    Rds {
        /// Engine.
        engine: Spanned<Engine>,
    },
    /// An EMR Hadoop cluster.
    Hadoop {
        /// Cluster id (`c-...`).
        cluster_id: Spanned<String>,
        /// Node endpoints (`master-1-1.<cluster>.<region>.emr.aliyuncs.com`).
        nodes: Vec<Spanned<String>>,
        /// Named services and their ports.
        services: Vec<(String, PortRange)>,
    },
    /// Tablestore or Hologres: an instance reached by endpoint.
    Instance {
        /// The instance name (part of its endpoint).
        instance: Option<Spanned<String>>,
    },
}

/// A data source or target.
#[derive(Debug, Clone)]
pub struct Target {
    /// Its name.
    pub name: Name,
    /// Which kind of block declared it.
    pub kind: crate::resolve::SymbolKind,
    /// Where it lives.
    pub placement: Placement,
    /// Ports it serves (empty: any port).
    pub ports: Vec<Spanned<PortRange>>,
    /// It takes an IP whitelist.
    pub whitelist: bool,
    /// Its security group, if it takes one.
    pub security_group: Option<Spanned<SgId>>,
    /// VPC or classic network.
    pub network: Spanned<NetworkType>,
    /// Kind-specific facts.
    pub detail: TargetDetail,
    /// Existing instance id.
    pub id: Option<Spanned<String>>,
    /// The administering account, for targets not in a VPC (service endpoints, classic network).
    pub account: Option<Spanned<AccountId>>,
    /// The block.
    pub span: Span,
}

impl Target {
    /// The account that administers the target: its VPC's owner, else its `account`.
    pub fn owner(&self, m: &Model) -> Option<AccountId> {
        match &self.placement {
            Placement::Vpc(vs) => Some(m.vpc_of_vswitch(vs.node).account.node),
            _ => self.account.as_ref().map(|a| a.node),
        }
    }
}

/// A MaxCompute project, DataWorks resource group or EMR client.
#[derive(Debug, Clone)]
pub struct Compute {
    /// Its name.
    pub name: Name,
    /// What it is.
    pub kind: ComputeKind,
    /// The block.
    pub span: Span,
}

/// The kinds of compute.
#[derive(Debug, Clone)]
pub enum ComputeKind {
    /// A MaxCompute project.
    MaxCompute {
        /// Owning account.
        account: Spanned<AccountId>,
        /// Region id.
        region: Spanned<String>,
        /// The project's name in MaxCompute.
        project: Option<Spanned<String>>,
    },
    /// A DataWorks resource group and its VPC binding.
    ResourceGroup {
        /// Owning account.
        account: Spanned<AccountId>,
        /// Serverless or exclusive.
        kind: Spanned<RgKind>,
        /// The bound vSwitch (and so VPC).
        vswitch: Spanned<VSwitchId>,
        /// The bound security group.
        security_group: Option<Spanned<SgId>>,
        /// The exclusive group's own EIP.
        eip: Option<Spanned<Ipv4Addr>>,
    },
    /// ECS or ACK reaching EMR.
    Client {
        /// ECS or ACK.
        runtime: Spanned<Runtime>,
        /// Its vSwitch.
        vswitch: Spanned<VSwitchId>,
        /// Its security group.
        security_group: Option<Spanned<SgId>>,
    },
}

/// A MaxCompute network link (VPC dedicated connection).
#[derive(Debug, Clone)]
pub struct NetworkLink {
    /// Its name (the MaxCompute network link name).
    pub name: Name,
    /// The project.
    pub maxcompute: Spanned<ComputeId>,
    /// The vSwitch for MaxCompute's ENIs.
    pub vswitch: Spanned<VSwitchId>,
    /// MaxCompute's security group.
    pub security_group: Spanned<SgId>,
    /// Passthrough.
    pub link_type: LinkType,
    /// The block.
    pub span: Span,
}

/// One `host:port` entry of an internet access list.
#[derive(Debug, Clone)]
pub struct AccessEntry {
    /// The host.
    pub host: Host,
    /// The port (`None` when written without one, or not as a port from 1 to 65535).
    pub port: Option<u16>,
    /// What follows the `:` when it is not a port from 1 to 65535 (`0`, `https`, `99999`).
    pub bad_port: Option<String>,
    /// The entry as written.
    pub span: Span,
}

/// MaxCompute internet access for a project.
#[derive(Debug, Clone)]
pub struct InternetAccess {
    /// Its name.
    pub name: Name,
    /// The project.
    pub maxcompute: Spanned<ComputeId>,
    /// The entries.
    pub hosts: Vec<AccessEntry>,
    /// The block.
    pub span: Span,
}

/// An Internet NAT gateway with its EIP and SNAT entries.
#[derive(Debug, Clone)]
pub struct NatGateway {
    /// Its name.
    pub name: Name,
    /// Where the gateway stands.
    pub vswitch: Spanned<VSwitchId>,
    /// The EIP bound to it.
    pub eip: Option<Spanned<Ipv4Addr>>,
    /// vSwitches with SNAT entries.
    pub snat: Vec<Spanned<VSwitchId>>,
    /// The block.
    pub span: Span,
}

/// Something that joins two networks.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Its name.
    pub name: Name,
    /// Which kind.
    pub kind: ConnectionKind,
    /// The block.
    pub span: Span,
}

/// The kinds of connection.
#[derive(Debug, Clone)]
pub enum ConnectionKind {
    /// VPC peering.
    Peering {
        /// Creates the peering.
        requester: Spanned<VpcId>,
        /// Accepts it.
        accepter: Spanned<VpcId>,
        /// Gold or platinum (cross-region only).
        link_type: Option<Spanned<PeeringLinkType>>,
        /// Existing id (`pcc-...`).
        id: Option<Spanned<String>>,
    },
    /// Cloud Enterprise Network.
    Cen {
        /// The account owning the CEN instance.
        account: Spanned<AccountId>,
        /// VPC attachments.
        attachments: Vec<AttachmentId>,
        /// Declared transit routers.
        transit_routers: Vec<TransitRouterId>,
        /// Existing id (`cen-...`).
        id: Option<Spanned<String>>,
    },
    /// Express Connect circuit between a data centre and a VPC.
    ExpressConnect {
        /// The data centre.
        idc: Spanned<TargetId>,
        /// The VPC.
        vpc: Spanned<VpcId>,
    },
    /// VPN gateway between a data centre and a VPC.
    Vpn {
        /// The data centre.
        idc: Spanned<TargetId>,
        /// The VPC.
        vpc: Spanned<VpcId>,
    },
    /// A VPN gateway in each of two VPCs, joined by IPsec connections over the internet (seed 003:
    /// VPCs in different regions or accounts, F31).
    VpnVpcs {
        /// The VPC whose gateway the block describes first.
        vpc: Spanned<VpcId>,
        /// The other VPC, with a gateway of its own.
        peer_vpc: Spanned<VpcId>,
    },
}

/// A VPC attached to a CEN transit router.
#[derive(Debug, Clone)]
pub struct CenAttachment {
    /// Its name.
    pub name: Name,
    /// The CEN.
    pub cen: ConnectionId,
    /// The VPC.
    pub vpc: Spanned<VpcId>,
    /// The vSwitches the attachment uses (two zones at least).
    pub vswitches: Vec<Spanned<VSwitchId>>,
    /// Who pays, for cross-account attachments.
    pub payer: Option<Spanned<Payer>>,
    /// The block.
    pub span: Span,
}

/// A declared CEN transit router.
#[derive(Debug, Clone)]
pub struct TransitRouter {
    /// Its name.
    pub name: Name,
    /// The CEN.
    pub cen: ConnectionId,
    /// Region id.
    pub region: Spanned<String>,
    /// Existing id (`tr-...`).
    pub id: Option<Spanned<String>>,
    /// The block.
    pub span: Span,
}

/// Which route table a route goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteTable {
    /// A VPC's route table.
    Vpc(VpcId),
    /// A resource group's custom routes.
    ResourceGroup(ComputeId),
    /// A transit router's route table.
    TransitRouter(TransitRouterId),
}

/// Where a route sends traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NextHop {
    /// A peering, CEN, Express Connect or VPN.
    Connection(ConnectionId),
    /// A NAT gateway.
    Nat(NatId),
}

/// An explicit route.
#[derive(Debug, Clone)]
pub struct Route {
    /// Its name.
    pub name: Name,
    /// The table.
    pub table: Spanned<RouteTable>,
    /// Destination CIDR block.
    pub destination: Spanned<Ipv4Net>,
    /// Next hop.
    pub next_hop: Spanned<NextHop>,
    /// The block.
    pub span: Span,
}

/// One whitelist entry.
#[derive(Debug, Clone)]
pub struct WhitelistEntry {
    /// The network (a single address is a /32).
    pub net: Ipv4Net,
    /// Written as a bare address rather than a CIDR block.
    pub single_address: bool,
    /// Where.
    pub span: Span,
}

/// An explicit whitelist on a target.
#[derive(Debug, Clone)]
pub struct Whitelist {
    /// Its name.
    pub name: Name,
    /// The target.
    pub target: Spanned<TargetId>,
    /// Entries.
    pub entries: Vec<WhitelistEntry>,
    /// The block.
    pub span: Span,
}

/// What a flow goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A peering, CEN, Express Connect or VPN.
    Connection(ConnectionId),
    /// A MaxCompute network link.
    NetworkLink(NetworkLinkId),
    /// MaxCompute internet access.
    InternetAccess(InternetAccessId),
    /// A NAT gateway.
    Nat(NatId),
}

/// The intent: this compute reaches that target on these ports.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Its name.
    pub name: Name,
    /// Who connects.
    pub from: Spanned<ComputeId>,
    /// To what.
    pub to: Spanned<TargetId>,
    /// Ports (empty: every port the target serves).
    pub ports: Vec<Spanned<PortRange>>,
    /// Connections the user names.
    pub via: Vec<Spanned<Via>>,
    /// Read-only or writing.
    pub mode: Spanned<Mode>,
    /// Job kinds using the flow (empty: the compute's default, see [`Flow::job_kinds`]).
    pub jobs: Vec<Spanned<JobKind>>,
    /// RAM role for cross-account data sources.
    pub ram_role: Option<Spanned<String>>,
    /// The block.
    pub span: Span,
    /// The index of the `flow` block among flow blocks (the flow's own index, unless the block
    /// names several targets and this is one of the later ones).
    pub block: u32,
    /// The block's name when it names several targets (`to = [a:443, b:443]`): each target is
    /// then a flow of its own, named `<block>.<target>`, and all of them are one job, whose
    /// settings are merged (one line per job kind).
    pub job: Option<Name>,
}

impl Flow {
    /// The name of the `flow` block it was written in.
    pub fn block_name(&self) -> &Name {
        self.job.as_ref().unwrap_or(&self.name)
    }

    /// The flow's job kinds, or the compute's default when none are written: `data_sync` for a
    /// resource group, `sql` for a MaxCompute project, none for a client.
    pub fn job_kinds(&self, model: &Model) -> Vec<JobKind> {
        if !self.jobs.is_empty() {
            return self.jobs.iter().map(|j| j.node).collect();
        }
        match model.computes[self.from.node.index()].kind {
            ComputeKind::ResourceGroup { .. } => vec![JobKind::DataSync],
            ComputeKind::MaxCompute { .. } => vec![JobKind::Sql],
            ComputeKind::Client { .. } => Vec::new(),
        }
    }
}

impl Model {
    /// The VPC a vSwitch belongs to.
    pub fn vpc_of_vswitch(&self, vs: VSwitchId) -> &Vpc {
        &self.vpcs[self.vswitches[vs.index()].vpc.index()]
    }

    /// The vSwitch a target sits on, if it is in a VPC.
    pub fn target_vswitch(&self, t: TargetId) -> Option<VSwitchId> {
        match &self.targets[t.index()].placement {
            Placement::Vpc(vs) => Some(vs.node),
            _ => None,
        }
    }

    /// The `flow` block a flow was written in (several flows share one when it names several
    /// targets).
    pub fn flow_block(&self, f: FlowId) -> BlockRef {
        BlockRef {
            kind: crate::resolve::SymbolKind::Flow,
            index: self.flows[f.index()].block,
        }
    }

    /// The account of a VPC.
    pub fn vpc_account(&self, vpc: VpcId) -> AccountId {
        self.vpcs[vpc.index()].account.node
    }
}
