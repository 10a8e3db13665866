//! Steps for MaxCompute network links and internet access, NAT gateways and resource-group
//! bindings (seeds 000/001/003).

use super::{block, compute_block, ensure_group, sg_val, vpc_val, vswitch_val};
use crate::model::*;
use crate::net::hosts::auto_approved;
use crate::plan::step::{Console, Manual};
use crate::plan::{cidr_id, Origin, Planner, SgRuleRow, Step, Val};
use crate::resolve::SymbolKind;

/// Seed 000 (F11): the first two steps of any network link of a project.
fn authorize(p: &mut Planner<'_>, project: ComputeId) -> Option<(usize, usize)> {
    let m = p.m;
    let c = &m.computes[project.index()];
    let ComputeKind::MaxCompute {
        account,
        region,
        project: name,
    } = &c.kind
    else {
        // The model stage only lets a network link name a `maxcompute` block.
        return None;
    };
    let project_name = name
        .as_ref()
        .map(|n| n.node.clone())
        .unwrap_or_else(|| c.name.node.clone());
    let origin = compute_block(m, project);
    let grant = p.step(Step {
        id: format!("maxcompute.{}.grant_network_link", c.name.node),
        title: format!("Grant the network-link permission on project {}", crate::text::code(&project_name)),
        action: "grant-permission",
        account: Some(account.node),
        region: Some(region.node.clone()),
        console: Console::MaxCompute,
        path: "MaxCompute console → Tenants → Users / Roles: a project owner, tenant Super_Administrator or Admin manages network links".into(),
        values: vec![
            ("project", Val::text(project_name.clone())),
            ("role", Val::text("project owner, tenant Super_Administrator or Admin")),
        ],
        manual: None,
        origin,
        span: c.name.span,
    });
    let eni = p.step(Step {
        id: format!("maxcompute.{}.authorize_eni", c.name.node),
        title: "Confirm Cloud Resource Access Authorization so MaxCompute may create ENIs in your VPC".to_string(),
        action: "authorize-eni",
        account: Some(account.node),
        region: Some(region.node.clone()),
        console: Console::Ram,
        path: "MaxCompute console → Tenants → Networks → Network Connection → Cloud Resource Access Authorization → Confirm Authorization Policy (as the Alibaba Cloud account)".into(),
        values: vec![("authorized service", Val::text("MaxCompute (ENI creation in the VPC)"))],
        manual: None,
        origin,
        span: c.name.span,
    });
    p.dep(
        eni,
        grant,
        "the user needs the network-link permission first",
    );
    Some((grant, eni))
}

/// `security_group.<vpc>.<group>.<direction>.<protocol>.<ports>.<peer>`
pub(crate) fn rule_id(m: &Model, r: &SgRuleRow) -> String {
    let sg = &m.security_groups[r.group.index()];
    let peer = match r.peer {
        RulePeer::Cidr(c) => cidr_id(&c),
        RulePeer::Group(g) => m.security_groups[g.index()].qualified.clone(),
    };
    format!(
        "security_group.{}.{}.{}.{}.{}",
        sg.qualified, r.direction, r.protocol, r.ports, peer
    )
}

/// Add a derived rule (and its step, after the group's creation if netlink creates it).
pub(crate) fn add_rule(
    p: &mut Planner<'_>,
    row: SgRuleRow,
    span: crate::source::Span,
) -> Option<usize> {
    let m = p.m;
    let sg = &m.security_groups[row.group.index()];
    if !sg.managed {
        return None; // netlink must not touch it; `check` verified what it needs
    }
    let vpc = &m.vpcs[sg.vpc.index()];
    let created = p.find(&super::sg_create_id(sg));
    let peer = match row.peer {
        RulePeer::Cidr(c) => Val::text(c.to_string()),
        RulePeer::Group(g) => sg_val(p, g),
    };
    let origin = match row.origins.first() {
        Some(Origin::Flow(f)) => m.flow_block(*f),
        Some(Origin::Link(b)) | Some(Origin::Explicit(b)) => *b,
        _ => block(SymbolKind::Vpc, sg.vpc.index()),
    };
    let step = Step {
        id: rule_id(m, &row),
        title: format!(
            "Add {} rule to {}: {}{} {} {}",
            row.direction,
            crate::text::code(&sg.qualified),
            row.protocol,
            // ICMP has no ports.
            if row.protocol == Protocol::Icmp {
                String::new()
            } else {
                format!(" {}", row.ports)
            },
            if row.direction == Direction::Ingress {
                "from"
            } else {
                "to"
            },
            match row.peer {
                RulePeer::Cidr(c) => c.to_string(),
                RulePeer::Group(g) => m.security_groups[g.index()].qualified.clone(),
            }
        ),
        action: "add-security-group-rule",
        account: Some(vpc.account.node),
        region: Some(vpc.region.node.clone()),
        console: Console::Ecs,
        path: format!(
            "ECS console → Network & Security → Security Groups → {} → Rules → {} → Add Rule",
            crate::text::code(&sg.name.node),
            if row.direction == Direction::Ingress {
                "Inbound"
            } else {
                "Outbound"
            }
        )
        .into(),
        values: vec![
            ("security group", sg_val(p, row.group)),
            ("direction", Val::text(row.direction.to_string())),
            ("action", Val::text(row.action.to_string())),
            ("priority", Val::text(row.priority.to_string())),
            ("protocol", Val::text(row.protocol.to_string())),
            (
                "port range",
                // The console's own spelling: "All (1/65535)" for all protocols (seed 000, F12),
                // -1/-1 for ICMP, which has no ports.
                Val::text(match row.protocol {
                    Protocol::All => "1/65535".to_string(),
                    p => crate::names::port_range(p, row.ports),
                }),
            ),
            (
                if row.direction == Direction::Ingress {
                    "source"
                } else {
                    "destination"
                },
                peer,
            ),
        ],
        manual: None,
        origin,
        span,
    };
    let peer_created = match row.peer {
        RulePeer::Group(g) => p.find(&super::sg_create_id(&m.security_groups[g.index()])),
        RulePeer::Cidr(_) => None,
    };
    let i = p.sg_rule(row, Some(step))?;
    if let Some(c) = created {
        p.dep(i, c, "the security group must exist");
    }
    if let Some(c) = peer_created {
        p.dep(i, c, "the rule names the other security group");
    }
    Some(i)
}

pub(super) fn network_link(p: &mut Planner<'_>, id: NetworkLinkId) {
    let m = p.m;
    let link = &m.network_links[id.index()];
    let Some((grant, eni)) = authorize(p, link.maxcompute.node) else {
        return;
    };
    let origin = block(SymbolKind::NetworkLink, id.index());
    let vs = &m.vswitches[link.vswitch.node.index()];
    let vpc = &m.vpcs[vs.vpc.index()];
    let sg_step = ensure_group(
        p,
        link.security_group.node,
        origin,
        link.security_group.span,
    );
    // Seed 000 (F12): source = the VPC's block, all protocols, 1/65535, priority 1, allow.
    let rule = add_rule(
        p,
        SgRuleRow {
            group: link.security_group.node,
            direction: Direction::Ingress,
            protocol: Protocol::All,
            ports: PortRange::ALL,
            peer: RulePeer::Cidr(vpc.cidr.node),
            priority: 1,
            action: Action::Allow,
            why: format!(
                "MaxCompute's ENIs of network link `{}` take return traffic from `{}`",
                link.name.node, vpc.name.node
            ),
            origins: vec![Origin::Link(origin)],
            step: None,
        },
        link.security_group.span,
    );
    let ComputeKind::MaxCompute {
        account, region, ..
    } = &m.computes[link.maxcompute.node.index()].kind
    else {
        return;
    };
    let create = p.step(Step {
        id: format!("network_link.{}.create", link.name.node),
        title: format!("Create network link {} to {}", crate::text::code(&link.name.node), crate::text::code(&vpc.name.node)),
        action: "create-network-link",
        account: Some(account.node),
        region: Some(region.node.clone()),
        console: Console::MaxCompute,
        path: "MaxCompute console → Tenants → Networks → Network Connection → Create Network Connection".into(),
        values: vec![
            ("network connection name", Val::text(link.name.node.clone())),
            ("connection type", Val::text("Passthrough")),
            ("region", Val::text(region.node.clone())),
            ("VPC ID", vpc_val(m, vs.vpc)),
            ("vSwitch ID", vswitch_val(m, link.vswitch.node)),
            ("security group", sg_val(p, link.security_group.node)),
            ("note", Val::text("MaxCompute creates two ENIs (free) and the groups MaxCompute-vpc-<vpc id> and MaxCompute-backup-vpc-<vpc id> for return traffic; do not change their rules")),
        ],
        manual: None,
        origin,
        span: link.name.span,
    });
    p.dep(
        create,
        grant,
        "the network-link permission is needed to create a link",
    );
    p.dep(
        create,
        eni,
        "MaxCompute may create ENIs only after the authorization",
    );
    if let Some(s) = sg_step {
        p.dep(create, s, "the link names MaxCompute's security group");
    }
    if let Some(r) = rule {
        p.dep(
            create,
            r,
            "the group's rule admits the link's return traffic",
        );
    }
}

pub(super) fn internet_access(p: &mut Planner<'_>, id: InternetAccessId) {
    let m = p.m;
    let access = &m.internet_accesses[id.index()];
    let c = &m.computes[access.maxcompute.node.index()];
    let ComputeKind::MaxCompute {
        account,
        region,
        project,
    } = &c.kind
    else {
        return;
    };
    let project_name = project
        .as_ref()
        .map(|n| n.node.clone())
        .unwrap_or_else(|| c.name.node.clone());
    let entry = |e: &AccessEntry| format!("{}:{}", e.host, e.port.unwrap_or(0));
    let (auto, manual): (Vec<&AccessEntry>, Vec<&AccessEntry>) =
        access.hosts.iter().partition(|e| auto_approved(&e.host));
    let origin = block(SymbolKind::InternetAccess, id.index());
    let path = format!(
        "MaxCompute console → Projects → {} → Manage → Outbound Internet Access",
        crate::text::code(&project_name)
    );
    if !auto.is_empty() {
        p.step(Step {
            id: format!("internet_access.{}.add_hosts", access.name.node),
            title: format!(
                "Add auto-approved hosts to project {}'s internet access list",
                crate::text::code(&project_name)
            ),
            action: "add-internet-hosts",
            account: Some(account.node),
            region: Some(region.node.clone()),
            console: Console::MaxCompute,
            path: path.clone().into(),
            values: vec![("hosts", Val::List(auto.iter().map(|e| entry(e)).collect()))],
            manual: None,
            origin,
            span: access.name.span,
        });
    }
    if !manual.is_empty() {
        p.step(Step {
            id: format!("internet_access.{}.apply", access.name.node),
            title: format!("Apply for internet access from project {} to hosts outside the auto-approved domains", crate::text::code(&project_name)),
            action: "apply-internet-access",
            account: Some(account.node),
            region: Some(region.node.clone()),
            console: Console::MaxCompute,
            path: format!("{path} → Apply (application form)").into(),
            values: vec![
                ("hosts", Val::List(manual.iter().map(|e| entry(e)).collect())),
                // Seed 000 and 001: approval grants access only to hosts without restrictions.
                (
                    "caution",
                    Val::text("a host under security restrictions needs its organisation's owner to lift them; approval alone does not"),
                ),
            ],
            manual: Some(Manual { kind: "application", lead_time: Some("about 3 business days"), deadline: None }),
            origin,
            span: access.name.span,
        });
    }
}

pub(super) fn nat_gateway(p: &mut Planner<'_>, id: NatId) {
    let m = p.m;
    let nat = &m.nat_gateways[id.index()];
    let vs = &m.vswitches[nat.vswitch.node.index()];
    let vpc = &m.vpcs[vs.vpc.index()];
    let origin = block(SymbolKind::NatGateway, id.index());
    let account = Some(vpc.account.node);
    let region = Some(vpc.region.node.clone());
    let create = p.step(Step {
        id: format!("nat_gateway.{}.create", nat.name.node),
        title: format!(
            "Create Internet NAT gateway {} in {}",
            crate::text::code(&nat.name.node),
            crate::text::code(&vpc.name.node)
        ),
        action: "create-nat-gateway",
        account,
        region: region.clone(),
        console: Console::Vpc,
        path: "VPC console → NAT Gateways → Internet NAT Gateway → Create Internet NAT Gateway"
            .into(),
        values: vec![
            ("VPC", vpc_val(m, vs.vpc)),
            ("vSwitch", vswitch_val(m, nat.vswitch.node)),
        ],
        manual: None,
        origin,
        span: nat.name.span,
    });
    let eip_val = match &nat.eip {
        Some(e) => Val::text(e.node.to_string()),
        None => Val::text("a new EIP"),
    };
    let eip = p.step(Step {
        id: format!("nat_gateway.{}.bind_eip", nat.name.node),
        title: format!(
            "Bind an EIP to NAT gateway {}",
            crate::text::code(&nat.name.node)
        ),
        action: "bind-eip",
        account,
        region: region.clone(),
        console: Console::Vpc,
        path: format!(
            "VPC console → NAT Gateways → {} → Bind Elastic IP Address",
            crate::text::code(&nat.name.node)
        )
        .into(),
        values: vec![
            (
                "NAT gateway",
                Val::Output {
                    step: format!("nat_gateway.{}.create", nat.name.node),
                    output: "id",
                },
            ),
            ("EIP", eip_val.clone()),
        ],
        manual: None,
        origin,
        span: nat.eip.as_ref().map(|e| e.span).unwrap_or(nat.name.span),
    });
    p.dep(eip, create, "an EIP binds to an existing NAT gateway");
    for s in &nat.snat {
        let svs = &m.vswitches[s.node.index()];
        let snat = p.step(Step {
            id: format!("nat_gateway.{}.snat.{}", nat.name.node, svs.qualified),
            title: format!(
                "Add an SNAT entry for {} ({}) on {}",
                crate::text::code(&svs.qualified),
                svs.cidr.node,
                crate::text::code(&nat.name.node)
            ),
            action: "add-snat-entry",
            account,
            region: region.clone(),
            console: Console::Vpc,
            path: format!(
                "VPC console → NAT Gateways → {} → SNAT Management → Create SNAT Entry",
                crate::text::code(&nat.name.node)
            )
            .into(),
            values: vec![
                ("SNAT entry granularity", Val::text("vSwitch")),
                ("vSwitch", vswitch_val(m, s.node)),
                ("source CIDR block", Val::text(svs.cidr.node.to_string())),
                ("EIP", eip_val.clone()),
            ],
            manual: None,
            origin,
            span: s.span,
        });
        p.dep(snat, eip, "the SNAT entry translates to the bound EIP");
    }
}

/// The id of a resource group's binding step.
pub(crate) fn binding_id(m: &Model, rg: ComputeId) -> String {
    format!("resource_group.{}.bind", m.computes[rg.index()].name.node)
}

pub(super) fn binding(p: &mut Planner<'_>, id: ComputeId) {
    let m = p.m;
    let c = &m.computes[id.index()];
    let ComputeKind::ResourceGroup {
        account,
        vswitch,
        security_group,
        ..
    } = &c.kind
    else {
        return;
    };
    let vpc = m.vpc_of_vswitch(vswitch.node);
    let origin = compute_block(m, id);
    let sg_step = security_group
        .as_ref()
        .and_then(|g| ensure_group(p, g.node, origin, g.span));
    let mut values = vec![
        ("VPC", vpc_val(m, m.vswitches[vswitch.node.index()].vpc)),
        ("vSwitch", vswitch_val(m, vswitch.node)),
    ];
    if let Some(g) = security_group {
        values.push(("security group", sg_val(p, g.node)));
    }
    let bind = p.step(Step {
        id: binding_id(m, id),
        title: format!("Bind resource group {} to {}", crate::text::code(&c.name.node), crate::text::code(&vpc.name.node)),
        action: "bind-resource-group",
        account: Some(account.node),
        region: Some(vpc.region.node.clone()),
        console: Console::DataWorks,
        path: format!("DataWorks console → Resource Groups → {} → Network Settings → VPC Binding → Add Binding", crate::text::code(&c.name.node)).into(),
        values,
        manual: None,
        origin,
        span: vswitch.span,
    });
    if let Some(s) = sg_step {
        p.dep(bind, s, "the binding names the security group");
    }
}
