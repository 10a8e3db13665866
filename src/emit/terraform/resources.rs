//! Which plan steps the alicloud provider covers, and as what resource. Each resource keeps the
//! step it stands for, the account and region whose provider runs it, and its arguments, where
//! a reference to another exported resource stays symbolic until the phases are known.

use crate::model::*;
use crate::net::{Hop, TableRef};
use crate::plan::{vpn_side, Plan};
use serde_json::{json, Value};
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// An argument's value: literal JSON, an attribute of another exported resource, or a variable
/// for what the project only describes.
#[derive(Debug, Clone)]
pub enum Arg {
    /// Known now.
    Literal(Value),
    /// `<attr>` of the resource of type `kind` standing for plan step `step`.
    Ref {
        step: usize,
        kind: &'static str,
        attr: &'static str,
    },
    /// A variable the user fills in (the id of an existing VPC, a route table, ...).
    Var(Variable),
    /// Nested blocks (a list or set of objects), each its arguments.
    Blocks(Vec<Vec<(&'static str, Arg)>>),
}

/// A variable of the export: what the `.netlink` files do not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// Its name (`vpc_hz_vpc_id`).
    pub name: String,
    /// What to fill in, for `variables.tf.json`.
    pub description: String,
    /// A value the project gives (a declared `id`), if any.
    pub default: Option<String>,
}

/// A resource standing for one plan step.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The step.
    pub step: usize,
    /// `alicloud_...`.
    pub kind: &'static str,
    /// The Terraform name (unique per kind).
    pub name: String,
    /// Whose provider runs it.
    pub account: AccountId,
    /// In which region.
    pub region: String,
    /// Its arguments, in a fixed order.
    pub args: Vec<(&'static str, Arg)>,
}

/// A Terraform name from netlink names: letters, digits, `_` and `-`; a qualified name's dots
/// become `__` (netlink names have no `__`-free collision: `_` never follows a dot).
pub fn tf_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| match c {
            '.' => '#',
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => c,
            _ => '_',
        })
        .collect::<String>()
        .replace('#', "__");
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn lit(v: impl Into<Value>) -> Arg {
    Arg::Literal(v.into())
}

/// The variable holding an existing VPC's id.
fn vpc_var(m: &Model, v: VpcId) -> Arg {
    let vpc = &m.vpcs[v.index()];
    Arg::Var(Variable {
        name: format!("vpc_{}_id", tf_name(&vpc.name.node)),
        description: format!("id of VPC `{}` (vpc-…)", vpc.name.node),
        default: vpc.id.as_ref().map(|i| i.node.clone()),
    })
}

/// The variable holding the id of the route table a VPC's entries go in.
fn route_table_var(m: &Model, v: VpcId) -> Arg {
    let vpc = &m.vpcs[v.index()];
    Arg::Var(Variable {
        name: format!("vpc_{}_route_table_id", tf_name(&vpc.name.node)),
        description: format!(
            "id of the route table of VPC `{}` that the sending vSwitch is associated with (vtb-…)",
            vpc.name.node
        ),
        default: None,
    })
}

/// Every resource the plan's provider-covered steps stand for, in step order.
pub fn resources(m: &Model, plan: &Plan) -> Vec<Resource> {
    let by_id: HashMap<&str, usize> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut out: Vec<Resource> = Vec::new();
    // The groups the plan creates, by group.
    let mut created_groups: HashMap<SgId, usize> = HashMap::default();
    for (g, sg) in m.security_groups.iter().enumerate() {
        let Some(&step) = by_id.get(format!("security_group.{}.create", sg.qualified).as_str())
        else {
            continue;
        };
        let vpc = &m.vpcs[sg.vpc.index()];
        created_groups.insert(SgId(g as u32), step);
        out.push(Resource {
            step,
            kind: "alicloud_security_group",
            name: tf_name(&sg.qualified),
            account: vpc.account.node,
            region: vpc.region.node.clone(),
            args: vec![
                ("security_group_name", lit(sg.name.node.clone())),
                (
                    "security_group_type",
                    lit(match sg.kind.node {
                        SgType::Basic => "normal",
                        SgType::Advanced => "enterprise",
                    }),
                ),
                ("vpc_id", vpc_var(m, sg.vpc)),
            ],
        });
    }
    let group_id = |g: SgId| -> Arg {
        match created_groups.get(&g) {
            Some(&step) => Arg::Ref {
                step,
                kind: "alicloud_security_group",
                attr: "id",
            },
            None => {
                let sg = &m.security_groups[g.index()];
                Arg::Var(Variable {
                    name: format!("security_group_{}_id", tf_name(&sg.qualified)),
                    description: format!("id of security group `{}` (sg-…)", sg.qualified),
                    default: sg.id.as_ref().map(|i| i.node.clone()),
                })
            }
        }
    };
    for row in &plan.sg_rules {
        let Some(step) = row.step else { continue };
        let sg = &m.security_groups[row.group.index()];
        let vpc = &m.vpcs[sg.vpc.index()];
        let mut args = vec![
            ("security_group_id", group_id(row.group)),
            ("type", lit(row.direction.to_string())),
            ("ip_protocol", lit(row.protocol.to_string())),
            (
                "port_range",
                lit(crate::names::port_range(row.protocol, row.ports)),
            ),
            ("priority", lit(row.priority)),
            (
                "policy",
                lit(match row.action {
                    Action::Allow => "accept",
                    Action::Deny => "drop",
                }),
            ),
            ("nic_type", lit("intranet")),
        ];
        match row.peer {
            RulePeer::Cidr(c) => args.push(("cidr_ip", lit(c.to_string()))),
            RulePeer::Group(g) => args.push(("source_security_group_id", group_id(g))),
        }
        args.push((
            "description",
            lit(crate::text::plain(&row.why).into_owned()),
        ));
        out.push(Resource {
            step,
            kind: "alicloud_security_group_rule",
            name: tf_name(&plan.steps[step].id),
            account: vpc.account.node,
            region: vpc.region.node.clone(),
            args,
        });
    }
    peerings(m, &by_id, &mut out);
    nat_gateways(m, &by_id, &mut out);
    let attachment_of = cens(m, &by_id, &mut out);
    vpn_gateways(m, &by_id, &mut out);
    bindings(m, &by_id, &mut out);
    ram_roles(m, &by_id, &mut out);
    for row in &plan.routes {
        let Some(step) = row.step else { continue };
        match &row.table {
            TableRef::Vpc(v) => {
                let Some((nexthop_type, next)) =
                    vpc_next_hop(m, &by_id, &attachment_of, *v, row.hop)
                else {
                    continue;
                };
                let vpc = &m.vpcs[v.index()];
                out.push(Resource {
                    step,
                    kind: "alicloud_route_entry",
                    name: tf_name(&plan.steps[step].id),
                    account: vpc.account.node,
                    region: vpc.region.node.clone(),
                    args: vec![
                        ("route_table_id", route_table_var(m, *v)),
                        ("destination_cidrblock", lit(row.destination.to_string())),
                        ("nexthop_type", lit(nexthop_type)),
                        ("nexthop_id", next),
                    ],
                });
            }
            TableRef::TransitRouter(c, region) => {
                let name = tf_name(&plan.steps[step].id);
                out.extend(transit_route(
                    m,
                    &by_id,
                    &attachment_of,
                    step,
                    name,
                    *c,
                    region,
                    row.destination,
                ));
            }
            TableRef::ResourceGroup(_) | TableRef::Idc(_) => {}
        }
    }
    out.sort_by_key(|r| r.step);
    out
}

/// A VPC route's next hop: the peering, the VPC's own CEN attachment, or the VPN gateway on the
/// VPC's side; none for what the export does not cover (Express Connect, NAT).
fn vpc_next_hop(
    m: &Model,
    by_id: &HashMap<&str, usize>,
    attachment_of: &HashMap<VpcId, usize>,
    v: VpcId,
    hop: Hop,
) -> Option<(&'static str, Arg)> {
    match hop {
        Hop::Peering(c) => {
            let peering = &m.connections[c.index()];
            match (
                &peering.kind,
                by_id.get(format!("peering.{}.create", peering.name.node).as_str()),
            ) {
                (_, Some(&s)) => Some((
                    "VpcPeer",
                    Arg::Ref {
                        step: s,
                        kind: "alicloud_vpc_peer_connection",
                        attr: "id",
                    },
                )),
                (ConnectionKind::Peering { id: Some(i), .. }, None) => {
                    Some(("VpcPeer", lit(i.node.clone())))
                }
                _ => None,
            }
        }
        Hop::Cen(_) => attachment_of.get(&v).map(|&s| {
            (
                "Attachment",
                Arg::Ref {
                    step: s,
                    kind: "alicloud_cen_transit_router_vpc_attachment",
                    attr: "transit_router_attachment_id",
                },
            )
        }),
        Hop::Vpn(c) => {
            let conn = &m.connections[c.index()];
            let side = format!("vpn_gateway.{}.{}create", conn.name.node, vpn_side(conn, v));
            by_id.get(side.as_str()).map(|&s| {
                (
                    "VpnGateway",
                    Arg::Ref {
                        step: s,
                        kind: "alicloud_vpn_gateway",
                        attr: "id",
                    },
                )
            })
        }
        _ => None,
    }
}

/// A route written into a transit router's table: towards the attachment of the VPC that holds
/// the destination, or the inter-region connection towards its region.
#[allow(clippy::too_many_arguments)]
fn transit_route(
    m: &Model,
    by_id: &HashMap<&str, usize>,
    attachment_of: &HashMap<VpcId, usize>,
    step: usize,
    name: String,
    c: ConnectionId,
    region: &str,
    destination: ipnet::Ipv4Net,
) -> Option<Resource> {
    let conn = &m.connections[c.index()];
    let ConnectionKind::Cen {
        attachments,
        account,
        ..
    } = &conn.kind
    else {
        return None;
    };
    let holder = attachments
        .iter()
        .map(|a| m.attachments[a.index()].vpc.node)
        .find(|v| m.vpcs[v.index()].cidr.node.contains(&destination))?;
    let there = m.vpcs[holder.index()].region.node.as_str();
    let next = if there == region {
        attachment_of.get(&holder).map(|&s| Arg::Ref {
            step: s,
            kind: "alicloud_cen_transit_router_vpc_attachment",
            attr: "transit_router_attachment_id",
        })?
    } else {
        let (r1, r2) = if region < there {
            (region, there)
        } else {
            (there, region)
        };
        by_id
            .get(format!("cen.{}.inter_region.{r1}.{r2}", conn.name.node).as_str())
            .map(|&s| Arg::Ref {
                step: s,
                kind: "alicloud_cen_transit_router_peer_attachment",
                attr: "transit_router_attachment_id",
            })?
    };
    Some(Resource {
        step,
        kind: "alicloud_cen_transit_router_route_entry",
        name,
        account: account.node,
        region: region.to_string(),
        args: vec![
            (
                "transit_router_route_table_id",
                Arg::Var(Variable {
                    name: format!("transit_router_{}_route_table_id", tf_name(&format!("{}.{region}", conn.name.node))),
                    description: format!(
                        "id of the route table of CEN `{}`'s transit router in {region} (vtb-…; its system table unless you use another)",
                        conn.name.node
                    ),
                    default: None,
                }),
            ),
            ("transit_router_route_entry_destination_cidr_block", lit(destination.to_string())),
            ("transit_router_route_entry_next_hop_type", lit("Attachment")),
            ("transit_router_route_entry_next_hop_id", next),
        ],
    })
}

/// CEN instances, transit routers (one per region, made with the first attachment there),
/// cross-account grants, VPC attachments and inter-region connections (seed 004). Returns the
/// attach step of each attached VPC, for the routes into the CEN.
fn cens(m: &Model, by_id: &HashMap<&str, usize>, out: &mut Vec<Resource>) -> HashMap<VpcId, usize> {
    let mut attach_of_vpc: HashMap<VpcId, usize> = HashMap::default();
    for c in &m.connections {
        let ConnectionKind::Cen {
            account,
            attachments,
            transit_routers,
            id,
        } = &c.kind
        else {
            continue;
        };
        let owner = account.node;
        let owner_uid = m.accounts[owner.index()].uid.node.clone();
        let cen_id = match (
            id,
            by_id.get(format!("cen.{}.create", c.name.node).as_str()),
        ) {
            (Some(existing), _) => lit(existing.node.clone()),
            (None, Some(&create)) => {
                let region = attachments
                    .first()
                    .map(|a| {
                        m.vpcs[m.attachments[a.index()].vpc.node.index()]
                            .region
                            .node
                            .clone()
                    })
                    .unwrap_or_default();
                out.push(Resource {
                    step: create,
                    kind: "alicloud_cen_instance",
                    name: tf_name(&c.name.node),
                    account: owner,
                    region,
                    args: vec![("cen_instance_name", lit(c.name.node.clone()))],
                });
                Arg::Ref {
                    step: create,
                    kind: "alicloud_cen_instance",
                    attr: "id",
                }
            }
            (None, None) => continue,
        };
        // The transit router of each region: a declared one with `id` exists; otherwise it is
        // made with the region's first attachment.
        let mut routers: Vec<(String, Arg)> = Vec::new();
        for a in attachments {
            let att = &m.attachments[a.index()];
            let vpc = &m.vpcs[att.vpc.node.index()];
            let region = vpc.region.node.clone();
            let attach_id = format!("cen.{}.attach.{}.create", c.name.node, att.name.node);
            let Some(&attach) = by_id.get(attach_id.as_str()) else {
                continue;
            };
            let router = match routers.iter().find(|(r, _)| *r == region) {
                Some((_, router)) => router.clone(),
                None => {
                    let declared = transit_routers
                        .iter()
                        .map(|t| &m.transit_routers[t.index()])
                        .find(|t| t.region.node == region);
                    let router = match declared.and_then(|t| t.id.as_ref()) {
                        Some(existing) => lit(existing.node.clone()),
                        None => {
                            let tr_name = declared
                                .map(|t| t.name.node.clone())
                                .unwrap_or_else(|| format!("{}-{region}", c.name.node));
                            out.push(Resource {
                                step: attach,
                                kind: "alicloud_cen_transit_router",
                                name: tf_name(&format!("{}.{region}", c.name.node)),
                                account: owner,
                                region: region.clone(),
                                args: vec![
                                    ("cen_id", cen_id.clone()),
                                    ("transit_router_name", lit(tr_name)),
                                ],
                            });
                            Arg::Ref {
                                step: attach,
                                kind: "alicloud_cen_transit_router",
                                attr: "transit_router_id",
                            }
                        }
                    };
                    routers.push((region.clone(), router.clone()));
                    router
                }
            };
            let cross = vpc.account.node != owner;
            // Seed 004 (F44): the CEN's owner pays by default.
            let order_type = match att.payer.as_ref().map(|p| p.node).unwrap_or(Payer::Peer) {
                Payer::Peer => "PayByCenOwner",
                Payer::Owner => "PayByResourceOwner",
            };
            let grant_id = format!("cen.{}.attach.{}.grant", c.name.node, att.name.node);
            if let (true, Some(&grant)) = (cross, by_id.get(grant_id.as_str())) {
                out.push(Resource {
                    step: grant,
                    kind: "alicloud_cen_transit_router_grant_attachment",
                    name: tf_name(&format!("{}.{}", c.name.node, att.name.node)),
                    account: vpc.account.node,
                    region: region.clone(),
                    args: vec![
                        ("cen_id", cen_id.clone()),
                        ("cen_owner_id", lit(owner_uid.clone())),
                        ("instance_id", vpc_var(m, att.vpc.node)),
                        ("instance_type", lit("VPC")),
                        ("order_type", lit(order_type)),
                    ],
                });
            }
            let zones = att
                .vswitches
                .iter()
                .map(|v| {
                    vec![
                        (
                            "zone_id",
                            lit(m.vswitches[v.node.index()].zone.node.clone()),
                        ),
                        ("vswitch_id", vswitch_var(m, v.node)),
                    ]
                })
                .collect();
            let mut args = vec![
                ("cen_id", cen_id.clone()),
                ("transit_router_id", router),
                ("vpc_id", vpc_var(m, att.vpc.node)),
                ("zone_mappings", Arg::Blocks(zones)),
                (
                    "transit_router_vpc_attachment_name",
                    lit(att.name.node.clone()),
                ),
            ];
            if cross {
                let uid = m.accounts[vpc.account.node.index()].uid.node.clone();
                args.push(("vpc_owner_id", lit(uid)));
                args.push(("order_type", lit(order_type)));
            }
            out.push(Resource {
                step: attach,
                kind: "alicloud_cen_transit_router_vpc_attachment",
                name: tf_name(&format!("{}.{}", c.name.node, att.name.node)),
                account: owner,
                region,
                args,
            });
            attach_of_vpc.entry(att.vpc.node).or_insert(attach);
        }
        // Inter-region connections: the pairs flows cross (F40), as the plan has them.
        for (r1, router1) in &routers {
            for (r2, router2) in &routers {
                let pair = format!("cen.{}.inter_region.{r1}.{r2}", c.name.node);
                let Some(&step) = by_id.get(pair.as_str()) else {
                    continue;
                };
                out.push(Resource {
                    step,
                    kind: "alicloud_cen_transit_router_peer_attachment",
                    name: tf_name(&format!("{}.{r1}.{r2}", c.name.node)),
                    account: owner,
                    region: r1.clone(),
                    args: vec![
                        ("cen_id", cen_id.clone()),
                        ("transit_router_id", router1.clone()),
                        ("peer_transit_router_id", router2.clone()),
                        ("peer_transit_router_region_id", lit(r2.clone())),
                    ],
                });
            }
        }
    }
    attach_of_vpc
}

/// A serverless resource group's VPC binding (`alicloud_data_works_network`). An exclusive
/// (old-version) group's binding has no resource and stays by hand.
fn bindings(m: &Model, by_id: &HashMap<&str, usize>, out: &mut Vec<Resource>) {
    for c in &m.computes {
        let ComputeKind::ResourceGroup {
            account,
            vswitch,
            kind,
            ..
        } = &c.kind
        else {
            continue;
        };
        if kind.node != RgKind::Serverless {
            continue;
        }
        let Some(&step) = by_id.get(format!("resource_group.{}.bind", c.name.node).as_str()) else {
            continue;
        };
        let vpc_id = m.vswitches[vswitch.node.index()].vpc;
        out.push(Resource {
            step,
            kind: "alicloud_data_works_network",
            name: tf_name(&c.name.node),
            account: account.node,
            region: m.vpcs[vpc_id.index()].region.node.clone(),
            args: vec![
                (
                    "dw_resource_group_id",
                    Arg::Var(Variable {
                        name: format!("resource_group_{}_id", tf_name(&c.name.node)),
                        description: format!(
                            "id of DataWorks resource group `{}` (its id in the DataWorks console)",
                            c.name.node
                        ),
                        default: None,
                    }),
                ),
                ("vpc_id", vpc_var(m, vpc_id)),
                ("vswitch_id", vswitch_var(m, vswitch.node)),
            ],
        });
    }
}

/// The RAM role a cross-account data source is registered with (seed 004, F36): trusted by
/// DataWorks' account, with the permission policy the user names.
fn ram_roles(m: &Model, by_id: &HashMap<&str, usize>, out: &mut Vec<Resource>) {
    for f in &m.flows {
        let Some(&step) = by_id.get(format!("flow.{}.ram_role", f.name.node).as_str()) else {
            continue;
        };
        let (Some(role), ComputeKind::ResourceGroup { account, .. }) =
            (&f.ram_role, &m.computes[f.from.node.index()].kind)
        else {
            continue;
        };
        let Placement::Vpc(vs) = &m.targets[f.to.node.index()].placement else {
            continue;
        };
        let target_vpc = m.vpc_of_vswitch(vs.node);
        let trusted = &m.accounts[account.node.index()].uid.node;
        let policy = json!({
            "Statement": [{
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": { "RAM": [format!("acs:ram::{trusted}:root")] }
            }],
            "Version": "1"
        });
        let name = tf_name(&f.name.node);
        out.push(Resource {
            step,
            kind: "alicloud_ram_role",
            name: name.clone(),
            account: target_vpc.account.node,
            region: target_vpc.region.node.clone(),
            args: vec![
                ("role_name", lit(role.node.clone())),
                ("assume_role_policy_document", lit(policy.to_string())),
                (
                    "description",
                    lit(format!(
                        "DataWorks of account {trusted} reads the data source of flow {}",
                        f.name.node
                    )),
                ),
            ],
        });
        out.push(Resource {
            step,
            kind: "alicloud_ram_role_policy_attachment",
            name: name.clone(),
            account: target_vpc.account.node,
            region: target_vpc.region.node.clone(),
            args: vec![
                (
                    "role_name",
                    Arg::Ref {
                        step,
                        kind: "alicloud_ram_role",
                        attr: "role_name",
                    },
                ),
                (
                    "policy_name",
                    Arg::Var(Variable {
                        name: format!("ram_role_{name}_policy_name"),
                        description: format!(
                            "the policy that lets role `{}` read the data source of flow `{}` (for RDS, e.g. AliyunRDSReadOnlyAccess)",
                            role.node, f.name.node
                        ),
                        default: None,
                    }),
                ),
                (
                    "policy_type",
                    Arg::Var(Variable {
                        name: format!("ram_role_{name}_policy_type"),
                        description: "`System` for a system policy, `Custom` for your own".to_string(),
                        default: Some("System".to_string()),
                    }),
                ),
            ],
        });
    }
}

/// VPN gateways (seed 003, F31, F33): one for a data centre's VPC, one on each side of a VPN
/// between VPCs. Customer gateways and IPsec connections have no resource in the schema the
/// export is checked against, so they stay by hand.
fn vpn_gateways(m: &Model, by_id: &HashMap<&str, usize>, out: &mut Vec<Resource>) {
    for c in &m.connections {
        let sides: Vec<VpcId> = match &c.kind {
            ConnectionKind::Vpn { vpc, .. } => vec![vpc.node],
            ConnectionKind::VpnVpcs { vpc, peer_vpc } => vec![vpc.node, peer_vpc.node],
            _ => continue,
        };
        for v in sides {
            let side = vpn_side(c, v);
            let Some(&step) =
                by_id.get(format!("vpn_gateway.{}.{side}create", c.name.node).as_str())
            else {
                continue;
            };
            let vpc = &m.vpcs[v.index()];
            let name = tf_name(&format!(
                "{}{}",
                c.name.node,
                if side.is_empty() { "" } else { ".peer" }
            ));
            out.push(Resource {
                step,
                kind: "alicloud_vpn_gateway",
                name: name.clone(),
                account: vpc.account.node,
                region: vpc.region.node.clone(),
                args: vec![
                    ("vpn_gateway_name", lit(name.clone())),
                    ("vpc_id", vpc_var(m, v)),
                    (
                        "bandwidth",
                        Arg::Var(Variable {
                            name: format!("vpn_gateway_{name}_bandwidth"),
                            description: format!(
                                "peak bandwidth of VPN gateway `{name}`, in Mbit/s"
                            ),
                            default: Some("10".to_string()),
                        }),
                    ),
                    ("enable_ipsec", lit(true)),
                    ("payment_type", lit("PayAsYouGo")),
                ],
            });
        }
    }
}

/// The variable holding an existing vSwitch's id.
fn vswitch_var(m: &Model, vs: VSwitchId) -> Arg {
    let v = &m.vswitches[vs.index()];
    Arg::Var(Variable {
        name: format!("vswitch_{}_id", tf_name(&v.qualified)),
        description: format!("id of vSwitch `{}` (vsw-…)", v.qualified),
        default: v.id.as_ref().map(|i| i.node.clone()),
    })
}

/// A NAT gateway (seed 003 scenario 5, F29): the gateway, its EIP (an existing one when the
/// project gives its address, else a new one) bound to it, and an SNAT entry per vSwitch.
fn nat_gateways(m: &Model, by_id: &HashMap<&str, usize>, out: &mut Vec<Resource>) {
    for nat in &m.nat_gateways {
        let name = tf_name(&nat.name.node);
        let Some(&create) = by_id.get(format!("nat_gateway.{}.create", nat.name.node).as_str())
        else {
            continue;
        };
        let vpc_id = m.vswitches[nat.vswitch.node.index()].vpc;
        let vpc = &m.vpcs[vpc_id.index()];
        let (account, region) = (vpc.account.node, vpc.region.node.clone());
        out.push(Resource {
            step: create,
            kind: "alicloud_nat_gateway",
            name: name.clone(),
            account,
            region: region.clone(),
            args: vec![
                ("nat_gateway_name", lit(nat.name.node.clone())),
                ("vpc_id", vpc_var(m, vpc_id)),
                ("vswitch_id", vswitch_var(m, nat.vswitch.node)),
                ("nat_type", lit("Enhanced")),
                ("payment_type", lit("PayAsYouGo")),
            ],
        });
        let Some(&bind) = by_id.get(format!("nat_gateway.{}.bind_eip", nat.name.node).as_str())
        else {
            continue;
        };
        // An EIP the project names exists: its allocation id is filled in. Otherwise the bind
        // step's EIP is new, made by the same step.
        let (allocation, address) = match &nat.eip {
            Some(ip) => (
                Arg::Var(Variable {
                    name: format!("eip_{name}_allocation_id"),
                    description: format!(
                        "allocation id of EIP {} (eip-…) for NAT gateway `{}`",
                        ip.node, nat.name.node
                    ),
                    default: None,
                }),
                lit(ip.node.to_string()),
            ),
            None => {
                out.push(Resource {
                    step: bind,
                    kind: "alicloud_eip_address",
                    name: name.clone(),
                    account,
                    region: region.clone(),
                    args: vec![
                        ("address_name", lit(format!("{}-eip", nat.name.node))),
                        ("payment_type", lit("PayAsYouGo")),
                    ],
                });
                (
                    Arg::Ref {
                        step: bind,
                        kind: "alicloud_eip_address",
                        attr: "id",
                    },
                    Arg::Ref {
                        step: bind,
                        kind: "alicloud_eip_address",
                        attr: "ip_address",
                    },
                )
            }
        };
        out.push(Resource {
            step: bind,
            kind: "alicloud_eip_association",
            name: name.clone(),
            account,
            region: region.clone(),
            args: vec![
                ("allocation_id", allocation),
                (
                    "instance_id",
                    Arg::Ref {
                        step: create,
                        kind: "alicloud_nat_gateway",
                        attr: "id",
                    },
                ),
                ("instance_type", lit("Nat")),
            ],
        });
        for vs in &nat.snat {
            let q = &m.vswitches[vs.node.index()].qualified;
            let Some(&snat) = by_id.get(format!("nat_gateway.{}.snat.{q}", nat.name.node).as_str())
            else {
                continue;
            };
            out.push(Resource {
                step: snat,
                kind: "alicloud_snat_entry",
                name: tf_name(&format!("{}.{q}", nat.name.node)),
                account,
                region: region.clone(),
                args: vec![
                    (
                        "snat_table_id",
                        Arg::Ref {
                            step: create,
                            kind: "alicloud_nat_gateway",
                            attr: "snat_table_ids",
                        },
                    ),
                    ("source_vswitch_id", vswitch_var(m, vs.node)),
                    ("snat_ip", address.clone()),
                    (
                        "snat_entry_name",
                        lit(tf_name(&format!("{}-{q}", nat.name.node))),
                    ),
                ],
            });
        }
    }
}

/// A peering the plan creates, and its acceptance in the accepter's account.
fn peerings(m: &Model, by_id: &HashMap<&str, usize>, out: &mut Vec<Resource>) {
    for c in &m.connections {
        let ConnectionKind::Peering {
            requester,
            accepter,
            link_type,
            id: None,
        } = &c.kind
        else {
            continue;
        };
        let Some(&create) = by_id.get(format!("peering.{}.create", c.name.node).as_str()) else {
            continue;
        };
        let (r, a) = (
            &m.vpcs[requester.node.index()],
            &m.vpcs[accepter.node.index()],
        );
        let mut args = vec![
            ("peer_connection_name", lit(c.name.node.clone())),
            ("vpc_id", vpc_var(m, requester.node)),
            ("accepting_vpc_id", vpc_var(m, accepter.node)),
            ("accepting_region_id", lit(a.region.node.clone())),
        ];
        if r.account.node != a.account.node {
            // The schema types the UID as a number; 16 digits fit a JSON number exactly only up
            // to 2^53, so it is passed as a string, which Terraform converts.
            args.push((
                "accepting_ali_uid",
                lit(m.accounts[a.account.node.index()].uid.node.clone()),
            ));
        }
        if r.region.node != a.region.node {
            let lt = link_type
                .as_ref()
                .map(|l| l.node)
                .unwrap_or(PeeringLinkType::Gold);
            args.push((
                "link_type",
                lit(match lt {
                    PeeringLinkType::Gold => "Gold",
                    PeeringLinkType::Platinum => "Platinum",
                }),
            ));
        }
        out.push(Resource {
            step: create,
            kind: "alicloud_vpc_peer_connection",
            name: tf_name(&c.name.node),
            account: r.account.node,
            region: r.region.node.clone(),
            args,
        });
        if let Some(&accept) = by_id.get(format!("peering.{}.accept", c.name.node).as_str()) {
            out.push(Resource {
                step: accept,
                kind: "alicloud_vpc_peer_connection_accepter",
                name: tf_name(&c.name.node),
                account: a.account.node,
                region: a.region.node.clone(),
                args: vec![(
                    "instance_id",
                    Arg::Ref {
                        step: create,
                        kind: "alicloud_vpc_peer_connection",
                        attr: "id",
                    },
                )],
            });
        }
    }
}

/// The provider alias of an account and region.
pub fn alias(m: &Model, account: AccountId, region: &str) -> String {
    tf_name(&format!(
        "{}_{region}",
        m.accounts[account.index()].name.node
    ))
}

/// A literal value for JSON (kept here so `json!` stays in one place).
pub fn comment(step_id: &str) -> Value {
    json!(format!("netlink step {step_id}"))
}
