//! Steps for peerings, CEN, Express Connect and VPN gateways (seeds 002/003/004), and the route
//! entries a flow needs across them, on both sides.

use super::{connection_block, vpc_val, vswitch_val};
use crate::model::*;
use crate::plan::step::{Console, Manual};
use crate::plan::{cidr_id, Hop, Origin, Planner, Step, TableRef, Val};
use ipnet::Ipv4Net;
use std::collections::BTreeSet;

fn account_uid(m: &Model, a: AccountId) -> String {
    m.accounts[a.index()].uid.node.clone()
}

/// The creation steps of a connection.
pub(super) fn connection(p: &mut Planner<'_>, net: &crate::net::Network, id: ConnectionId) {
    let m = p.m;
    let c = &m.connections[id.index()];
    let origin = connection_block(m, id);
    match &c.kind {
        // An existing peering (it has an id) needs no creation or acceptance.
        ConnectionKind::Peering { id: Some(_), .. } => {}
        ConnectionKind::Peering {
            requester,
            accepter,
            link_type,
            ..
        } => {
            let (r, a) = (
                &m.vpcs[requester.node.index()],
                &m.vpcs[accepter.node.index()],
            );
            let cross_account = r.account.node != a.account.node;
            let cross_region = r.region.node != a.region.node;
            let mut values = vec![
                ("peering connection name", Val::text(c.name.node.clone())),
                ("requester VPC", vpc_val(m, requester.node)),
                (
                    "accepter account type",
                    Val::text(if cross_account {
                        "Cross-account"
                    } else {
                        "Same account"
                    }),
                ),
            ];
            if cross_account {
                values.push((
                    "accepter Alibaba Cloud account UID",
                    Val::text(account_uid(m, a.account.node)),
                ));
            }
            values.push((
                "accepter region type",
                Val::text(if cross_region {
                    "Cross-region"
                } else {
                    "Same region"
                }),
            ));
            values.push(("accepter region", Val::text(a.region.node.clone())));
            values.push(("accepter VPC", vpc_val(m, accepter.node)));
            // Seed 002, step 1: a first peering enables Cloud Data Transfer (CDT).
            values.push((
                "first peering",
                Val::text("if this account has never used VPC peering, enable CDT on the VPC Peering Connections page first"),
            ));
            if cross_account && !cross_region {
                // Seed 004 (F43).
                values.push((
                    "cost",
                    Val::text("free: a peering across accounts within one region"),
                ));
            }
            if cross_region {
                let lt = link_type
                    .as_ref()
                    .map(|l| l.node)
                    .unwrap_or(PeeringLinkType::Gold);
                values.push(("link type", Val::text(lt.to_string())));
            }
            let create = p.step(Step {
                id: format!("peering.{}.create", c.name.node),
                title: format!(
                    "Create peering {} from {} to {}",
                    crate::text::code(&c.name.node),
                    crate::text::code(&r.name.node),
                    crate::text::code(&a.name.node)
                ),
                action: "create-peering",
                account: Some(r.account.node),
                region: Some(r.region.node.clone()),
                console: Console::Vpc,
                path: "VPC console → VPC Peering Connections → Create Peering Connection".into(),
                values,
                manual: None,
                origin,
                span: c.name.span,
            });
            if cross_account {
                let accept = p.step(Step {
                    id: format!("peering.{}.accept", c.name.node),
                    title: format!("Accept peering {} in {}'s account", crate::text::code(&c.name.node), crate::text::code(&a.name.node)),
                    action: "accept-peering",
                    account: Some(a.account.node),
                    region: Some(a.region.node.clone()),
                    console: Console::Vpc,
                    path: "VPC console → VPC Peering Connections → (status Pending Acceptance) → Receiver".into(),
                    values: vec![("peering connection", Val::Output { step: format!("peering.{}.create", c.name.node), output: "id" })],
                    manual: Some(Manual { kind: "acceptance", lead_time: None, deadline: Some("7 days after the request; the accepter's account must have CDT enabled") }),
                    origin,
                    span: accepter.span,
                });
                p.dep(accept, create, "only a requested peering can be accepted");
            }
        }
        ConnectionKind::Cen {
            account,
            attachments,
            id: existing,
            ..
        } => cen(
            p,
            net,
            id,
            c,
            account.node,
            attachments,
            existing.as_ref(),
            origin,
        ),
        ConnectionKind::VpnVpcs { vpc, peer_vpc } => {
            vpn_vpcs(p, c, vpc.node, peer_vpc.node, origin);
        }
        ConnectionKind::ExpressConnect { idc, vpc } | ConnectionKind::Vpn { idc, vpc } => {
            let v = &m.vpcs[vpc.node.index()];
            let t = &m.targets[idc.node.index()];
            let cidrs: Vec<String> = match &t.placement {
                Placement::Idc(c) => c.iter().map(|c| c.node.to_string()).collect(),
                _ => Vec::new(),
            };
            let express = matches!(c.kind, ConnectionKind::ExpressConnect { .. });
            let (first_id, first) = if express {
                (
                    format!("express_connect.{}.circuit", c.name.node),
                    Step {
                        id: format!("express_connect.{}.circuit", c.name.node),
                        title: format!("Apply for an Express Connect circuit from data centre {}", crate::text::code(&t.name.node)),
                        action: "apply-express-connect",
                        account: Some(v.account.node),
                        region: Some(v.region.node.clone()),
                        console: Console::ExpressConnect,
                        path: "Express Connect console → Physical Connections → Apply for Physical Connection".into(),
                        values: vec![("data centre", Val::text(t.name.node.clone()))],
                        manual: Some(Manual { kind: "application", lead_time: Some("the connectivity provider installs the circuit"), deadline: None }),
                        origin,
                        span: c.name.span,
                    },
                )
            } else {
                (
                    format!("vpn_gateway.{}.create", c.name.node),
                    Step {
                        id: format!("vpn_gateway.{}.create", c.name.node),
                        title: format!(
                            "Create VPN gateway {} in {}",
                            crate::text::code(&c.name.node),
                            crate::text::code(&v.name.node)
                        ),
                        action: "create-vpn-gateway",
                        account: Some(v.account.node),
                        region: Some(v.region.node.clone()),
                        console: Console::VpnGateway,
                        path: "VPN Gateway console → VPN Gateways → Create VPN Gateway".into(),
                        values: vec![("VPC", vpc_val(m, vpc.node))],
                        manual: None,
                        origin,
                        span: c.name.span,
                    },
                )
            };
            let a = p.step(first);
            let (second_id, title, action, console, path) = if express {
                (format!("express_connect.{}.vbr", c.name.node), format!("Create a virtual border router on the circuit and connect it to {}", crate::text::code(&v.name.node)), "create-vbr", Console::ExpressConnect, "Express Connect console → Virtual Border Routers (VBRs) → Create VBR, then connect it to the VPC".to_string())
            } else {
                (format!("vpn_gateway.{}.ipsec", c.name.node), format!("Create the customer gateway and IPsec connection to data centre {}", crate::text::code(&t.name.node)), "create-ipsec-connection", Console::VpnGateway, "VPN Gateway console → Customer Gateways → Create; IPsec Connections → Create IPsec Connection".to_string())
            };
            let b = p.step(Step {
                id: second_id,
                title,
                action,
                account: Some(v.account.node),
                region: Some(v.region.node.clone()),
                console,
                path: path.into(),
                values: vec![
                    (
                        if express {
                            "physical connection"
                        } else {
                            "VPN gateway"
                        },
                        Val::Output {
                            step: first_id,
                            output: "id",
                        },
                    ),
                    ("local CIDR block", Val::text(v.cidr.node.to_string())),
                    ("data centre CIDR blocks", Val::List(cidrs)),
                ],
                manual: None,
                origin,
                span: c.name.span,
            });
            p.dep(
                b,
                a,
                if express {
                    "a VBR needs the physical connection"
                } else {
                    "an IPsec connection needs the gateway"
                },
            );
        }
    }
}

/// The step id of the VPN gateway a VPN between VPCs has in `vpc` (seed 003, F31): the block's
/// `vpc` gets `vpn_gateway.<c>.create`, its `peer_vpc` `vpn_gateway.<c>.peer.create`.
pub fn vpn_side(c: &Connection, vpc: VpcId) -> &'static str {
    match &c.kind {
        ConnectionKind::VpnVpcs { peer_vpc, .. } if peer_vpc.node == vpc => "peer.",
        _ => "",
    }
}

/// A VPN gateway in each VPC and an IPsec connection from each to the other, each side's
/// customer gateway being the other side's gateway (seed 003: VPCs in other regions or accounts
/// joined by VPN gateways, F31).
fn vpn_vpcs(p: &mut Planner<'_>, c: &Connection, vpc: VpcId, peer: VpcId, origin: BlockRef) {
    let m = p.m;
    let name = &c.name.node;
    let mut gateways = Vec::new();
    for side in [vpc, peer] {
        let v = &m.vpcs[side.index()];
        let prefix = vpn_side(c, side);
        gateways.push(
            p.step(Step {
                id: format!("vpn_gateway.{name}.{prefix}create"),
                title: format!(
                    "Create a VPN gateway for {} in {}",
                    crate::text::code(name),
                    crate::text::code(&v.name.node)
                ),
                action: "create-vpn-gateway",
                account: Some(v.account.node),
                region: Some(v.region.node.clone()),
                console: Console::VpnGateway,
                path: "VPN Gateway console → VPN Gateways → Create VPN Gateway (IPsec-VPN enabled)"
                    .into(),
                values: vec![("VPC", vpc_val(m, side))],
                manual: None,
                origin,
                span: c.name.span,
            }),
        );
    }
    for (side, other) in [(vpc, peer), (peer, vpc)] {
        let v = &m.vpcs[side.index()];
        let o = &m.vpcs[other.index()];
        let ipsec = p.step(Step {
            id: format!("vpn_gateway.{name}.{}ipsec", vpn_side(c, side)),
            title: format!(
                "Create the customer gateway and IPsec connection from {} to {}",
                crate::text::code(&v.name.node),
                crate::text::code(&o.name.node)
            ),
            action: "create-ipsec-connection",
            account: Some(v.account.node),
            region: Some(v.region.node.clone()),
            console: Console::VpnGateway,
            path: "VPN Gateway console → Customer Gateways → Create (the other gateway's public IP); IPsec Connections → Create IPsec Connection".into(),
            values: vec![
                (
                    "VPN gateway",
                    Val::Output {
                        step: format!("vpn_gateway.{name}.{}create", vpn_side(c, side)),
                        output: "id",
                    },
                ),
                (
                    "customer gateway IP address",
                    Val::Output {
                        step: format!("vpn_gateway.{name}.{}create", vpn_side(c, other)),
                        output: "public IP address",
                    },
                ),
                ("local CIDR block", Val::text(v.cidr.node.to_string())),
                ("peer CIDR block", Val::text(o.cidr.node.to_string())),
                (
                    "pre-shared key",
                    Val::text("the same key on both connections (never in a .netlink file)"),
                ),
            ],
            manual: None,
            origin,
            span: c.name.span,
        });
        for g in &gateways {
            p.dep(
                ipsec,
                *g,
                "an IPsec connection names its own gateway and the other side's public IP",
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn cen(
    p: &mut Planner<'_>,
    net: &crate::net::Network,
    id: ConnectionId,
    c: &Connection,
    owner: AccountId,
    attachments: &[AttachmentId],
    existing: Option<&crate::source::Spanned<String>>,
    origin: BlockRef,
) {
    let m = p.m;
    // An existing CEN (it has an id) is not created again; its attachments still are.
    let create = existing.is_none().then(|| {
        p.step(Step {
            id: format!("cen.{}.create", c.name.node),
            title: format!("Create CEN instance {}", crate::text::code(&c.name.node)),
            action: "create-cen",
            account: Some(owner),
            region: None,
            console: Console::Cen,
            path: "CEN console → Create CEN Instance".into(),
            values: vec![("name", Val::text(c.name.node.clone()))],
            manual: None,
            origin,
            span: c.name.span,
        })
    });
    let cen_id = match existing {
        Some(i) => Val::text(i.node.clone()),
        None => Val::Output {
            step: format!("cen.{}.create", c.name.node),
            output: "id",
        },
    };
    let mut regions: BTreeSet<&str> = BTreeSet::new();
    for a in attachments {
        let att = &m.attachments[a.index()];
        let vpc = &m.vpcs[att.vpc.node.index()];
        regions.insert(&vpc.region.node);
        let cross = vpc.account.node != owner;
        let mut grant = None;
        if cross {
            let payer = att.payer.as_ref().map(|p| p.node).unwrap_or(Payer::Peer);
            grant = Some(
                p.step(Step {
                    id: format!("cen.{}.attach.{}.grant", c.name.node, att.name.node),
                    title: format!(
                        "Authorize CEN {} to attach {}",
                        crate::text::code(&c.name.node),
                        crate::text::code(&vpc.name.node)
                    ),
                    action: "grant-cen",
                    account: Some(vpc.account.node),
                    region: Some(vpc.region.node.clone()),
                    console: Console::Vpc,
                    path: format!(
                        "VPC console → {} → Cross-account Authorization → CEN",
                        crate::text::code(&vpc.name.node)
                    )
                    .into(),
                    values: vec![
                        ("peer account UID", Val::text(account_uid(m, owner))),
                        ("peer CEN instance ID", cen_id.clone()),
                        (
                            "payer",
                            Val::text(match payer {
                                Payer::Peer => "Peer Account UID (default)",
                                Payer::Owner => "VPC Users",
                            }),
                        ),
                        // Seed 004 (F44).
                        (
                            "caution",
                            Val::text("choose the payer carefully: changing it later may affect the services"),
                        ),
                    ],
                    manual: None,
                    origin,
                    span: att.vpc.span,
                }),
            );
        }
        let mut values = vec![
            ("instance type", Val::text("VPC")),
            ("region", Val::text(vpc.region.node.clone())),
            (
                "resource owner UID",
                Val::text(if cross {
                    format!("Cross-account: {}", account_uid(m, vpc.account.node))
                } else {
                    "Current Account".to_string()
                }),
            ),
            ("VPC", vpc_val(m, att.vpc.node)),
        ];
        values.push((
            "vSwitches",
            Val::List(
                att.vswitches
                    .iter()
                    .map(|v| match vswitch_val(m, v.node) {
                        Val::Text(t) => t,
                        _ => String::new(),
                    })
                    .collect(),
            ),
        ));
        let attach = p.step(Step {
            id: attach_id(c, att),
            title: format!(
                "Attach {} to CEN {}",
                crate::text::code(&vpc.name.node),
                crate::text::code(&c.name.node)
            ),
            action: "attach-vpc",
            account: Some(owner),
            region: Some(vpc.region.node.clone()),
            console: Console::Cen,
            path: format!(
                "CEN console → {} → Transit Router ({}) → Create Connection",
                crate::text::code(&c.name.node),
                vpc.region.node
            )
            .into(),
            values,
            manual: None,
            origin,
            span: att.name.span,
        });
        if let Some(create) = create {
            p.dep(attach, create, "the CEN instance must exist");
        }
        if let Some(g) = grant {
            if let Some(create) = create {
                p.dep(g, create, "the grant names the CEN instance");
            }
            p.dep(
                attach,
                g,
                "a cross-account VPC is attached only after its owner's grant",
            );
        }
    }
    let regions: Vec<&str> = regions.into_iter().collect();
    // Only the region pairs flows (or the user's routes) cross get an inter-region connection:
    // each is billed bandwidth (seed 004, F40).
    let crossed: Vec<(&str, &str)> = net
        .crossings(id)
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let joined = |a: &str, b: &str| crossed.contains(&(a.min(b), a.max(b)));
    // Transit routers learn attached VPCs' blocks by themselves (listed as propagated): their own
    // region's through the attachment, other regions' through the inter-region connection.
    for a in attachments {
        let vpc = &m.vpcs[m.attachments[a.index()].vpc.node.index()];
        for r in &regions {
            let hop = if *r == vpc.region.node {
                Hop::Attachment(*a)
            } else if joined(r, &vpc.region.node) {
                Hop::InterRegion(*a)
            } else {
                continue;
            };
            p.route(
                TableRef::TransitRouter(id, r.to_string()),
                vpc.cidr.node,
                hop,
                Origin::Propagated,
                None,
            );
        }
    }
    for (r1, r2) in &crossed {
        let step = p.step(Step {
            id: format!("cen.{}.inter_region.{r1}.{r2}", c.name.node),
            title: format!("Connect the transit routers of {} and {}", crate::text::code(r1), crate::text::code(r2)),
            action: "create-inter-region-connection",
            account: Some(owner),
            region: Some(r1.to_string()),
            console: Console::Cen,
            path: format!("CEN console → {} → Transit Router ({r1}) → Create Connection → Inter-region Connection", crate::text::code(&c.name.node)).into(),
            values: vec![("region", Val::text(*r1)), ("peer region", Val::text(*r2))],
            manual: None,
            origin,
            span: c.name.span,
        });
        for a in attachments {
            let att = &m.attachments[a.index()];
            let region = m.vpcs[att.vpc.node.index()].region.node.as_str();
            if region == *r1 || region == *r2 {
                if let Some(s) = p.find(&attach_id(c, att)) {
                    p.dep(
                        step,
                        s,
                        "the transit routers exist once a VPC is attached in their region",
                    );
                }
            }
        }
    }
}

fn attach_id(c: &Connection, att: &CenAttachment) -> String {
    format!("cen.{}.attach.{}.create", c.name.node, att.name.node)
}

/// The steps after which a connection carries traffic between `a` and `b` (VPCs).
pub(super) fn ready_steps(
    p: &Planner<'_>,
    conn: ConnectionId,
    vpcs: &[VpcId],
) -> Vec<(usize, &'static str)> {
    let m = p.m;
    let c = &m.connections[conn.index()];
    let mut out = Vec::new();
    let mut add = |id: String, why: &'static str| {
        if let Some(i) = p.find(&id) {
            out.push((i, why));
        }
    };
    match &c.kind {
        ConnectionKind::Peering { .. } => {
            add(
                format!("peering.{}.create", c.name.node),
                "routes point at the peering connection",
            );
            add(
                format!("peering.{}.accept", c.name.node),
                "a peering carries traffic only once accepted",
            );
        }
        ConnectionKind::Cen { attachments, .. } => {
            let mut regions = Vec::new();
            for a in attachments {
                let att = &m.attachments[a.index()];
                if vpcs.contains(&att.vpc.node) {
                    add(
                        attach_id(c, att),
                        "routes point at the VPC's transit router attachment",
                    );
                    regions.push(m.vpcs[att.vpc.node.index()].region.node.clone());
                }
            }
            regions.sort();
            if let [r1, r2] = regions.as_slice() {
                if r1 != r2 {
                    add(
                        format!("cen.{}.inter_region.{r1}.{r2}", c.name.node),
                        "traffic between regions needs the inter-region connection",
                    );
                }
            }
        }
        ConnectionKind::ExpressConnect { .. } => add(
            format!("express_connect.{}.vbr", c.name.node),
            "routes point at the VBR",
        ),
        ConnectionKind::Vpn { .. } => add(
            format!("vpn_gateway.{}.ipsec", c.name.node),
            "routes point at the VPN gateway",
        ),
        ConnectionKind::VpnVpcs { .. } => {
            add(
                format!("vpn_gateway.{}.ipsec", c.name.node),
                "the tunnel carries traffic once both IPsec connections exist",
            );
            add(
                format!("vpn_gateway.{}.peer.ipsec", c.name.node),
                "the tunnel carries traffic once both IPsec connections exist",
            );
        }
    }
    out
}

/// Add a route entry in a VPC's table (with its step, waiting for the connection).
pub(super) fn vpc_route(
    p: &mut Planner<'_>,
    vpc: VpcId,
    dest: Ipv4Net,
    conn: ConnectionId,
    flow: FlowId,
    ready: &[VpcId],
) -> Option<usize> {
    let m = p.m;
    let v = &m.vpcs[vpc.index()];
    let c = &m.connections[conn.index()];
    let hop = crate::net::hop_of(m, conn);
    let next_hop = match hop {
        Hop::Peering(_) => match &c.kind {
            ConnectionKind::Peering { id: Some(i), .. } => Val::text(i.node.clone()),
            _ => Val::Output {
                step: format!("peering.{}.create", c.name.node),
                output: "id",
            },
        },
        Hop::Cen(_) => Val::text(format!(
            "transit router of CEN `{}` ({})",
            c.name.node, v.region.node
        )),
        Hop::ExpressConnect(_) => Val::Output {
            step: format!("express_connect.{}.vbr", c.name.node),
            output: "id",
        },
        _ => Val::Output {
            step: format!("vpn_gateway.{}.{}create", c.name.node, vpn_side(c, vpc)),
            output: "id",
        },
    };
    let path = match hop {
        Hop::Peering(_) => format!(
            "VPC console → VPC Peering Connections → {} → Configure Route Entry ({} VPC; route table: the one the sending vSwitch is associated with)",
            crate::text::code(&c.name.node),
            if matches!(&c.kind, ConnectionKind::Peering { requester, .. } if requester.node == vpc)
            {
                "requester"
            } else {
                "accepter"
            }
        ),
        _ => super::vpc_route_path(&v.name.node),
    };
    let step = Step {
        id: format!("vpc.{}.route.{}", v.name.node, cidr_id(&dest)),
        title: format!(
            "Route {dest} from {} through {}",
            crate::text::code(&v.name.node),
            crate::text::code(&c.name.node)
        ),
        action: "add-route",
        account: Some(v.account.node),
        region: Some(v.region.node.clone()),
        console: Console::Vpc,
        path: path.into(),
        values: vec![
            (
                "name",
                Val::text(format!("{}-{}", c.name.node, cidr_id(&dest))),
            ),
            ("destination CIDR block", Val::text(dest.to_string())),
            ("next hop", next_hop),
        ],
        manual: None,
        origin: m.flow_block(flow),
        span: m.flows[flow.index()].name.span,
    };
    let i = p.route(
        TableRef::Vpc(vpc),
        dest,
        hop,
        Origin::Flow(flow),
        Some(step),
    )?;
    for (s, why) in ready_steps(p, conn, ready) {
        p.dep(i, s, why);
    }
    Some(i)
}

/// A route the data centre's own router needs (configured on premises).
pub(super) fn idc_route(
    p: &mut Planner<'_>,
    idc: TargetId,
    dest: Ipv4Net,
    conn: ConnectionId,
    flow: FlowId,
) -> Option<usize> {
    let m = p.m;
    let t = &m.targets[idc.index()];
    let c = &m.connections[conn.index()];
    let step = Step {
        id: format!("idc.{}.route.{}", t.name.node, cidr_id(&dest)),
        title: format!(
            "Route {dest} from data centre {} through {}",
            crate::text::code(&t.name.node),
            crate::text::code(&c.name.node)
        ),
        action: "add-route",
        account: None,
        region: None,
        console: Console::OnPremises,
        path: format!(
            "the data centre's edge router: static or BGP route towards {}",
            crate::text::code(&c.name.node)
        )
        .into(),
        values: vec![("destination CIDR block", Val::text(dest.to_string()))],
        manual: Some(Manual {
            kind: "on-premises",
            lead_time: None,
            deadline: None,
        }),
        origin: m.flow_block(flow),
        span: m.flows[flow.index()].name.span,
    };
    let i = p.route(
        TableRef::Idc(idc),
        dest,
        crate::net::hop_of(m, conn),
        Origin::Flow(flow),
        Some(step),
    )?;
    for (s, why) in ready_steps(p, conn, &[]) {
        p.dep(i, s, why);
    }
    Some(i)
}
