//! Which plan steps the alicloud provider covers, and as what resource. Each resource keeps the
//! step it stands for, the account and region whose provider runs it, and its arguments, where
//! a reference to another exported resource stays symbolic until the phases are known.

use crate::model::*;
use crate::net::{Hop, TableRef};
use crate::plan::Plan;
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
    for row in &plan.routes {
        let (Some(step), TableRef::Vpc(v), Hop::Peering(c)) = (row.step, &row.table, row.hop)
        else {
            continue;
        };
        let vpc = &m.vpcs[v.index()];
        let peering = &m.connections[c.index()];
        let next = match (
            &peering.kind,
            by_id.get(format!("peering.{}.create", peering.name.node).as_str()),
        ) {
            (_, Some(&s)) => Arg::Ref {
                step: s,
                kind: "alicloud_vpc_peer_connection",
                attr: "id",
            },
            (ConnectionKind::Peering { id: Some(i), .. }, None) => lit(i.node.clone()),
            _ => continue,
        };
        out.push(Resource {
            step,
            kind: "alicloud_route_entry",
            name: tf_name(&plan.steps[step].id),
            account: vpc.account.node,
            region: vpc.region.node.clone(),
            args: vec![
                ("route_table_id", route_table_var(m, *v)),
                ("destination_cidrblock", lit(row.destination.to_string())),
                ("nexthop_type", lit("VpcPeer")),
                ("nexthop_id", next),
            ],
        });
    }
    out.sort_by_key(|r| r.step);
    out
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
