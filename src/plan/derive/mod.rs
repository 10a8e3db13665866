//! Deriving steps and table rows from the model, one file per family.

mod explicit;
mod flows;
mod jobs;
mod joins;

pub use joins::vpn_side;
mod links;

use super::{Planner, Step, Val};
use crate::model::*;
use crate::plan::step::{Console, Manual};
use crate::resolve::SymbolKind;
use crate::source::Span;

/// Derive everything, in a fixed order (links, connections, bindings, explicit rows, flows), so
/// steps are created, and so tie-broken, in source order within each family.
pub(super) fn all(p: &mut Planner<'_>, net: &crate::net::Network) {
    let m = p.m;
    for i in 0..m.network_links.len() {
        links::network_link(p, NetworkLinkId(i as u32));
    }
    for i in 0..m.internet_accesses.len() {
        links::internet_access(p, InternetAccessId(i as u32));
    }
    for i in 0..m.connections.len() {
        joins::connection(p, net, ConnectionId(i as u32));
    }
    for i in 0..m.nat_gateways.len() {
        links::nat_gateway(p, NatId(i as u32));
    }
    for i in 0..m.computes.len() {
        links::binding(p, ComputeId(i as u32));
    }
    // Explicit rows first: a derived row equal to one the user wrote merges into it.
    explicit::all(p);
    for i in 0..m.flows.len() {
        flows::flow(p, net, FlowId(i as u32));
    }
    jobs::merge_jobs(p);
}

/// Where a route entry of a VPC's table is added. Seed 002 step 2: a VPC may have several route
/// tables, and the entry goes into the table the sending vSwitch is associated with.
pub(super) fn vpc_route_path(vpc: &str) -> String {
    format!(
        "VPC console → Route Tables → the route table of {} that the sending vSwitch is associated with (the system route table unless a custom one is bound to it) → Add Route Entry",
        crate::text::code(vpc)
    )
}

/// A reference to a top-level block of a category.
pub(super) fn block(kind: SymbolKind, index: usize) -> BlockRef {
    BlockRef {
        kind,
        index: index as u32,
    }
}

/// The block of a target.
pub(super) fn target_block(m: &Model, t: TargetId) -> BlockRef {
    block(m.targets[t.index()].kind, t.index())
}

/// The block of a compute.
pub(super) fn compute_block(m: &Model, c: ComputeId) -> BlockRef {
    let kind = match m.computes[c.index()].kind {
        ComputeKind::MaxCompute { .. } => SymbolKind::MaxCompute,
        ComputeKind::ResourceGroup { .. } => SymbolKind::ResourceGroup,
        ComputeKind::Client { .. } => SymbolKind::Client,
    };
    block(kind, c.index())
}

/// The block of a connection.
pub(super) fn connection_block(m: &Model, c: ConnectionId) -> BlockRef {
    let kind = match m.connections[c.index()].kind {
        ConnectionKind::Peering { .. } => SymbolKind::Peering,
        ConnectionKind::Cen { .. } => SymbolKind::Cen,
        ConnectionKind::ExpressConnect { .. } => SymbolKind::ExpressConnect,
        ConnectionKind::Vpn { .. } | ConnectionKind::VpnVpcs { .. } => SymbolKind::VpnGateway,
    };
    block(kind, c.index())
}

/// The existing id if declared, else the name (the console lists both).
pub(super) fn vpc_val(m: &Model, v: VpcId) -> Val {
    let vpc = &m.vpcs[v.index()];
    Val::text(
        vpc.id
            .as_ref()
            .map(|i| i.node.clone())
            .unwrap_or_else(|| vpc.name.node.clone()),
    )
}

/// The existing id if declared, else the qualified name.
pub(super) fn vswitch_val(m: &Model, v: VSwitchId) -> Val {
    let vs = &m.vswitches[v.index()];
    Val::text(
        vs.id
            .as_ref()
            .map(|i| i.node.clone())
            .unwrap_or_else(|| vs.qualified.clone()),
    )
}

/// A security group's id: declared, or the output of the step that creates it.
pub(super) fn sg_val(p: &Planner<'_>, g: SgId) -> Val {
    let sg = &p.m.security_groups[g.index()];
    match &sg.id {
        Some(id) => Val::text(id.node.clone()),
        None if creates_group(p, g) => Val::Output {
            step: sg_create_id(sg),
            output: "id",
        },
        None => Val::text(sg.qualified.clone()),
    }
}

/// The id of the step that creates a security group.
pub(super) fn sg_create_id(sg: &SecurityGroup) -> String {
    format!("security_group.{}.create", sg.qualified)
}

/// Does the plan create this group? Only MaxCompute's and resource groups' own groups, and only
/// without an id and when netlink may manage them; any other group is taken to exist.
pub(super) fn creates_group(p: &Planner<'_>, g: SgId) -> bool {
    let sg = &p.m.security_groups[g.index()];
    sg.id.is_none() && sg.managed && p.owned_groups.contains(&g)
}

/// Ensure a security group exists: a create step when it has no id. Returns the step, if any.
pub(super) fn ensure_group(
    p: &mut Planner<'_>,
    g: SgId,
    origin: BlockRef,
    span: Span,
) -> Option<usize> {
    let m = p.m;
    let sg = &m.security_groups[g.index()];
    if !creates_group(p, g) {
        return None;
    }
    let vpc = &m.vpcs[sg.vpc.index()];
    Some(p.step(Step {
        id: sg_create_id(sg),
        title: format!(
            "Create {} security group {} in {}",
            sg.kind.node,
            crate::text::code(&sg.name.node),
            crate::text::code(&vpc.name.node)
        ),
        action: "create-security-group",
        account: Some(vpc.account.node),
        region: Some(vpc.region.node.clone()),
        console: Console::Ecs,
        path: "ECS console → Network & Security → Security Groups → Create Security Group".into(),
        values: vec![
            ("name", Val::text(sg.name.node.clone())),
            ("vpc", vpc_val(m, sg.vpc)),
            ("type", Val::text(sg.kind.node.to_string())),
        ],
        manual: None,
        origin,
        span: if span == Span::default() {
            sg.span
        } else {
            span
        },
    }))
}

/// A manual step waiting on a support ticket.
pub(super) fn ticket(lead: &'static str) -> Option<Manual> {
    Some(Manual {
        kind: "ticket",
        lead_time: Some(lead),
        deadline: None,
    })
}

/// Where a target's whitelist is edited: who logs in, which console, the path and the region.
/// `None` for the account means the target's owners outside Alibaba Cloud do it.
pub(super) fn whitelist_place(
    m: &Model,
    t: &Target,
) -> (Option<AccountId>, Console, String, Option<String>) {
    let region = match &t.placement {
        Placement::Vpc(vs) => Some(m.vpc_of_vswitch(vs.node).region.node.clone()),
        Placement::Service { region, .. } => Some(region.node.clone()),
        _ => None,
    };
    match (t.owner(m), t.kind) {
        (Some(a), SymbolKind::Rds) => (Some(a), Console::Rds, format!("RDS console → {} → Whitelist and SecGroup → Whitelist Settings → add to a group (e.g. {})", crate::text::code(&t.name.node), crate::text::code("dataworks")), region),
        (Some(a), _) => (Some(a), Console::Target, format!("{} console → Access Control → Whitelist Settings", crate::text::code(&t.name.node)), region),
        (None, _) => (None, Console::OnPremises, format!("the firewall or allow-list in front of {}", crate::text::code(&t.name.node)), None),
    }
}
