//! DataWorks resource groups and other VPC-bound compute (seeds 003/004): classic networks,
//! internet via NAT or EIP, paths across VPCs, regions and accounts, security groups, RAM roles.

use super::maxcompute::via_mismatch;
use super::security::{group_name, suggest_rule, target_group};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::net::filters::{admits, PeerEnd};
use crate::net::path::FlowPath;
use crate::net::sites::flow_ports;
use crate::net::sites::{describe_site, target_account, target_nets, via_connections, TargetSite};
use crate::net::Network;
use crate::resolve::SymbolKind;

/// Run the family.
pub fn check(m: &Model, net: &Network, out: &mut Vec<Diagnostic>) {
    for c in &m.computes {
        if let ComputeKind::ResourceGroup {
            vswitch,
            security_group: Some(g),
            ..
        } = &c.kind
        {
            rg_group_ingress(m, vswitch.node, g, out);
        }
        if let ComputeKind::ResourceGroup {
            account, vswitch, ..
        } = &c.kind
        {
            let vpc = m.vpc_of_vswitch(vswitch.node);
            if vpc.account.node != account.node {
                let name = |a: AccountId| m.accounts[a.index()].name.node.clone();
                out.push(
                    Diagnostic::new(Code::BINDING_ACCOUNT, format!("resource group `{}` (account `{}`) is bound to a VPC of account `{}`", c.name.node, name(account.node), name(vpc.account.node)))
                        .primary(vswitch.span, format!("`{}` belongs to `{}`", vpc.name.node, name(vpc.account.node)))
                        .secondary(account.span, "the resource group's account")
                        .help("bind the resource group to a VPC of its own account, and join that VPC to the data source's with a peering or CEN"),
                );
            }
        }
    }
    let mut attach_seen: rustc_hash::FxHashSet<(AttachmentId, ComputeId)> = Default::default();
    for (i, f) in m.flows.iter().enumerate() {
        let flow_path = net.path(FlowId(i as u32));
        let compute = &m.computes[f.from.node.index()];
        let (vswitch, sg) = match &compute.kind {
            ComputeKind::ResourceGroup {
                vswitch,
                security_group,
                ..
            } => (vswitch, security_group),
            ComputeKind::Client {
                vswitch,
                security_group,
                ..
            } => (vswitch, security_group),
            ComputeKind::MaxCompute { .. } => continue,
        };
        job_kinds(f, compute, out);
        if let Some(d) = super::classic::classic_target(
            m,
            f,
            "DataWorks resource groups cannot reach classic-network data sources",
        ) {
            out.push(d);
            continue;
        }
        let from_vpc = m.vswitches[vswitch.node.index()].vpc;
        if matches!(compute.kind, ComputeKind::ResourceGroup { .. }) {
            ecs_group(m, f, out);
            // Reported once per resource group and attachment.
            attached_vswitch(m, f, flow_path, compute, vswitch, &mut attach_seen, out);
        }
        let site = flow_path.site;
        match site {
            TargetSite::Internet => internet(m, f, flow_path, compute, from_vpc, vswitch.node, out),
            TargetSite::Vpc(_) | TargetSite::Idc(_) => {
                path(m, f, flow_path, compute, from_vpc, out)
            }
            TargetSite::Service => {}
        }
        if let Some(g) = sg {
            own_group(m, f, g, out);
        }
        target_group(
            m,
            f,
            m.vswitches[vswitch.node.index()].cidr.node,
            sg.as_ref().map(|g| g.node),
            out,
        );
    }
}

fn job_kinds(f: &Flow, compute: &Compute, out: &mut Vec<Diagnostic>) {
    for job in &f.jobs {
        let bad = match compute.kind {
            ComputeKind::ResourceGroup { .. } => job.node != JobKind::DataSync,
            _ => true,
        };
        if bad {
            let what = match compute.kind {
                ComputeKind::ResourceGroup { .. } => {
                    "a DataWorks resource group runs `data_sync` jobs here"
                }
                _ => "a client runs no MaxCompute or DataWorks jobs",
            };
            let help = match compute.kind {
                ComputeKind::ResourceGroup { .. } => "write `jobs = [data_sync]`, or start MaxCompute jobs (`sql`, `udf`, `spark`, ...) at a `maxcompute` project",
                _ => "remove `jobs` from a client's flow",
            };
            out.push(
                Diagnostic::new(
                    Code::JOB_KIND,
                    format!("`{}` jobs do not run on `{}`", job.node, compute.name.node),
                )
                .primary(job.span, what)
                .secondary(f.from.span, "the flow starts here")
                .help(help),
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn internet(
    m: &Model,
    f: &Flow,
    flow_path: &FlowPath,
    compute: &Compute,
    from_vpc: VpcId,
    from_vs: VSwitchId,
    out: &mut Vec<Diagnostic>,
) {
    let ComputeKind::ResourceGroup { kind, eip, .. } = &compute.kind else {
        return; // clients reach the internet however their VPC does; not modelled
    };
    let target = &m.targets[f.to.node.index()];
    if f.job_kinds(m).contains(&JobKind::DataSync) {
        out.push(
            Diagnostic::new(Code::SYNC_OVER_INTERNET, format!("flow `{}` synchronizes data over the internet", f.name.node))
                .primary(f.to.span, format!("`{}` is reached over the internet", target.name.node))
                .help("prefer an internal path: Express Connect, VPN gateway or CEN to the source's network")
                .note("internet links are not stable enough for dependable synchronization (seed 003)"),
        );
    }
    match kind.node {
        // Seed 003: old-version groups reach the internet with an EIP associated automatically;
        // it matters only to a target that whitelists it, and the plan looks it up then.
        RgKind::Exclusive => {
            if eip.is_none() && target.whitelist {
                out.push(
                    Diagnostic::new(Code::EXCLUSIVE_NO_EIP, format!("the whitelist of `{}` waits for the EIP of exclusive resource group `{}`", target.name.node, compute.name.node))
                        .primary(f.to.span, "whitelists its clients")
                        .secondary(compute.name.span, "no `eip` declared")
                        .help(format!("the plan looks the EIP up (the group's Details → EIPAddress); add `eip = <address>` to `{}` to whitelist it exactly", compute.name.node))
                        .note("old-version resource groups have an EIP associated automatically; it may change when the group is scaled out (seed 003)"),
                );
            }
        }
        RgKind::Serverless => {
            let nats = &flow_path.nats;
            for v in &f.via {
                if let Via::Nat(n) = v.node {
                    let nat = &m.nat_gateways[n.index()];
                    let nat_vpc = &m.vpcs[m.vswitches[nat.vswitch.node.index()].vpc.index()];
                    if m.vswitches[nat.vswitch.node.index()].vpc != from_vpc {
                        out.push(
                            Diagnostic::new(Code::VIA_MISMATCH, format!("NAT gateway `{}` is in `{}`, not in `{}`'s VPC", nat.name.node, nat_vpc.name.node, compute.name.node))
                                .primary(v.span, "named in `via`")
                                .help(format!("name a NAT gateway of `{}`, the VPC the resource group is bound to", m.vpcs[from_vpc.index()].name.node)),
                        );
                        return;
                    }
                }
            }
            let good = flow_path
                .nat
                .is_some_and(|n| m.nat_gateways[n.index()].eip.is_some());
            if !good {
                let vs = &m.vswitches[from_vs.index()];
                let vpc = &m.vpcs[from_vpc.index()];
                let (msg, help) = match nats.first().map(|n| &m.nat_gateways[n.index()]) {
                    None => (format!("`{}` has no NAT gateway", vpc.name.node), format!("declare `nat_gateway {}_nat {{ vswitch = {}  eip = <address>  snat = [{}] }}`", vpc.name.node, vs.qualified, vs.qualified)),
                    Some(nat) if nat.eip.is_none() => (format!("NAT gateway `{}` has no EIP", nat.name.node), format!("add `eip = <address>` to `{}`", nat.name.node)),
                    Some(nat) => (format!("NAT gateway `{}` has no SNAT entry for `{}`", nat.name.node, vs.qualified), format!("add `{}` to `snat` of `{}`", vs.qualified, nat.name.node)),
                };
                out.push(
                    Diagnostic::new(
                        Code::NO_NAT,
                        format!(
                            "serverless resource group `{}` cannot reach the internet: {msg}",
                            compute.name.node
                        ),
                    )
                    .primary(f.to.span, "reached over the internet")
                    .secondary(
                        compute.name.span,
                        "a serverless resource group has no internet access of its own",
                    )
                    .help(help),
                );
            }
        }
    }
}

fn path(
    m: &Model,
    f: &Flow,
    flow_path: &FlowPath,
    compute: &Compute,
    from_vpc: VpcId,
    out: &mut Vec<Diagnostic>,
) {
    let site = flow_path.site;
    let target = &m.targets[f.to.node.index()];
    let vpc_name = &m.vpcs[from_vpc.index()].name.node;
    let via = via_connections(f);
    match &flow_path.joins {
        None => {
            let what = match site {
                TargetSite::Idc(_) => "an Express Connect circuit or VPN gateway",
                _ => "a peering, a CEN or a VPN gateway (`peer_vpc`)",
            };
            let mut d = Diagnostic::new(
                Code::NO_PATH,
                format!("nothing joins `{vpc_name}` to {}", describe_site(m, site)),
            )
            .primary(
                f.to.span,
                match site {
                    TargetSite::Idc(_) => format!("`{}` is a data centre", target.name.node),
                    _ => format!("`{}` is in {}", target.name.node, describe_site(m, site)),
                },
            )
            .secondary(
                f.from.span,
                format!("`{}` is bound to `{vpc_name}`", compute.name.node),
            )
            .help(format!(
                "declare {what} between `{vpc_name}` and {} and name it in `via`",
                describe_site(m, site)
            ));
            if let TargetSite::Vpc(v) = site {
                let other = &m.vpcs[v.index()];
                let mine = &m.vpcs[from_vpc.index()];
                if other.region.node != mine.region.node {
                    d = d.note(format!(
                        "the VPCs are in different regions (`{}`, `{}`)",
                        mine.region.node, other.region.node
                    ));
                }
                if other.account.node != mine.account.node {
                    d = d.note("the VPCs belong to different accounts");
                }
            }
            out.push(d);
            return;
        }
        Some(joins) => {
            if !joins.is_empty() && !via.is_empty() && !via.iter().any(|(c, _)| joins.contains(c)) {
                out.push(via_mismatch(m, f, &via, vpc_name, &describe_site(m, site)));
            }
        }
    }
    if let (ComputeKind::ResourceGroup { account, .. }, Some(acc)) =
        (&compute.kind, target_account(m, f.to.node))
    {
        if acc != account.node && f.ram_role.is_none() {
            let owner = &m.accounts[acc.index()].name.node;
            out.push(
                Diagnostic::new(Code::RAM_ROLE, format!("`{}` belongs to account `{owner}`; the data source needs a cross-account RAM role", target.name.node))
                    .primary(f.to.span, "a cross-account data source")
                    .help(format!("authorize a RAM role in `{owner}` for the DataWorks account and write `ram_role = \"<role name>\"` on the flow"))
                    .note("the data source is registered with the other account's UID and that RAM role (seed 004)"),
            );
        }
    }
}

/// NL3113 (seed 003): a source on an ECS instance is admitted by the instance's security group;
/// undeclared, netlink can neither add the rule nor check it.
fn ecs_group(m: &Model, f: &Flow, out: &mut Vec<Diagnostic>) {
    let t = &m.targets[f.to.node.index()];
    if t.kind != SymbolKind::EcsService || t.security_group.is_some() {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::ECS_NO_GROUP,
            format!("the security group of ECS-hosted `{}` is not declared", t.name.node),
        )
        .primary(f.to.span, "reached on an ECS instance")
        .secondary(t.name.span, "no `security_group`")
        .help(format!(
            "declare the instance's group: `security_group = <vpc>.<group>` on `{}` (with `managed = false` if netlink must not change it)",
            t.name.node
        ))
        .note("seed 003: the ECS instance's security group must allow the resource group's vSwitch block (or its public address)"),
    );
}

/// NL3114 (seed 004, the CEN attachment): "select the vSwitch where the resource group is
/// located", and another in a second zone.
fn attached_vswitch(
    m: &Model,
    f: &Flow,
    path: &FlowPath,
    compute: &Compute,
    vswitch: &crate::source::Spanned<VSwitchId>,
    seen: &mut rustc_hash::FxHashSet<(AttachmentId, ComputeId)>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(c) = path.connection else {
        return;
    };
    let ConnectionKind::Cen { attachments, .. } = &m.connections[c.index()].kind else {
        return;
    };
    let vpc = m.vswitches[vswitch.node.index()].vpc;
    let Some(aid) = attachments
        .iter()
        .copied()
        .find(|a| m.attachments[a.index()].vpc.node == vpc)
    else {
        return;
    };
    let att = &m.attachments[aid.index()];
    if att.vswitches.iter().any(|v| v.node == vswitch.node) || !seen.insert((aid, f.from.node)) {
        return;
    }
    let vs = &m.vswitches[vswitch.node.index()];
    out.push(
        Diagnostic::new(
            Code::RG_VSWITCH_ATTACHMENT,
            format!(
                "attachment `{}` leaves out `{}`, the vSwitch of resource group `{}`",
                att.name.node, vs.qualified, compute.name.node
            ),
        )
        .primary(att.name.span, "the resource group's vSwitch is not among its vSwitches")
        .secondary(f.from.span, "the flow crosses the CEN from here")
        .help(format!("add `{}` to `vswitches` of `{}`", vs.qualified, att.name.node))
        .note("seed 004 attaches the resource group's VPC through the resource group's own vSwitch and one in another zone"),
    );
}

/// An advanced, unmanaged group on the compute needs egress to the target.
fn own_group(m: &Model, f: &Flow, g: &crate::source::Spanned<SgId>, out: &mut Vec<Diagnostic>) {
    let sg = &m.security_groups[g.node.index()];
    if sg.managed || sg.kind.node != SgType::Advanced {
        return;
    }
    let to_group = m.targets[f.to.node.index()]
        .security_group
        .as_ref()
        .map(|s| s.node);
    for net in target_nets(m, f.to.node) {
        for ports in flow_ports(m, f) {
            let peer = PeerEnd {
                net,
                group: to_group,
            };
            if !admits(sg, Direction::Egress, Protocol::Tcp, ports, &peer) {
                let rule = suggest_rule(
                    Direction::Egress,
                    Protocol::Tcp,
                    ports,
                    &PeerEnd { net, group: None },
                    group_name(m),
                );
                out.push(
                    Diagnostic::new(Code::SG_EGRESS, format!("advanced security group `{}` blocks flow `{}` outbound", sg.qualified, f.name.node))
                        .primary(g.span, format!("no outbound rule to {net} on {ports}"))
                        .secondary(f.to.span, "the flow's target")
                        .help(format!("add `{rule}` to `{}`", sg.qualified))
                        .note("advanced security groups deny outbound traffic unless a rule allows it; `managed = false` keeps netlink from adding the rule"),
                );
            }
        }
    }
}

/// Seed 003 (F32): an advanced, unmanaged group on a resource group needs an inbound rule from
/// the group's own vSwitch block. Checked once per resource group.
fn rg_group_ingress(
    m: &Model,
    vs: VSwitchId,
    g: &crate::source::Spanned<SgId>,
    out: &mut Vec<Diagnostic>,
) {
    let sg = &m.security_groups[g.node.index()];
    if sg.managed || sg.kind.node != SgType::Advanced {
        return;
    }
    let own = m.vswitches[vs.index()].cidr.node;
    let peer = PeerEnd {
        net: own,
        group: None,
    };
    if !admits(sg, Direction::Ingress, Protocol::Tcp, PortRange::ALL, &peer) {
        let rule = suggest_rule(
            Direction::Ingress,
            Protocol::Tcp,
            PortRange::ALL,
            &peer,
            group_name(m),
        );
        out.push(
            Diagnostic::new(Code::SG_INGRESS, format!("advanced security group `{}` has no inbound rule from its vSwitch {own}", sg.qualified))
                .primary(g.span, "no inbound rule from the resource group's vSwitch block")
                .help(format!("add `{rule}` to `{}`", sg.qualified))
                .note("seed 003: an advanced group on a resource group needs an inbound rule from the bound vSwitch's block"),
        );
    }
}
