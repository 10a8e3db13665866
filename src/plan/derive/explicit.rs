//! Rows the user wrote: `route` and `whitelist` blocks, and the rules declared in security
//! groups (existing rules need no step; rules of a group netlink creates do).

use super::links::add_rule;
use super::{block, connection_block, target_block, vpc_val};
use crate::model::*;
use crate::plan::step::Console;
use crate::plan::{
    Hop, Origin, Planner, SgRuleRow, Step, TableRef, Val, WhitelistItem, WhitelistRow,
};
use crate::resolve::SymbolKind;

pub(super) fn all(p: &mut Planner<'_>) {
    let m = p.m;
    for (i, r) in m.routes.iter().enumerate() {
        route(p, RouteId(i as u32), r);
    }
    for (i, w) in m.whitelists.iter().enumerate() {
        whitelist(p, i, w);
    }
    for (i, sg) in m.security_groups.iter().enumerate() {
        for rule in &sg.rules {
            let row = SgRuleRow {
                group: SgId(i as u32),
                direction: rule.direction,
                protocol: rule.protocol,
                ports: rule.ports,
                peer: rule.peer,
                priority: rule.priority,
                action: rule.action,
                why: "declared in the project".to_string(),
                origins: vec![Origin::Explicit(block(SymbolKind::Vpc, sg.vpc.index()))],
                step: None,
            };
            // An existing group (it has an id) or one netlink must not touch already has its rules.
            if !super::creates_group(p, SgId(i as u32)) {
                p.sg_rule(row, None);
            } else {
                super::ensure_group(
                    p,
                    SgId(i as u32),
                    block(SymbolKind::Vpc, sg.vpc.index()),
                    sg.span,
                );
                add_rule(p, row, rule.span);
            }
        }
    }
}

fn route(p: &mut Planner<'_>, id: RouteId, r: &Route) {
    let m = p.m;
    let me = block(SymbolKind::Route, id.index());
    let (hop, hop_name, hop_block) = match r.next_hop.node {
        NextHop::Connection(c) => {
            let conn = &m.connections[c.index()];
            let hop = crate::net::hop_of(m, c);
            // An existing peering is entered by its id, as the derived routes do.
            let shown = match &conn.kind {
                ConnectionKind::Peering { id: Some(i), .. } => i.node.clone(),
                _ => conn.name.node.clone(),
            };
            (hop, shown, connection_block(m, c))
        }
        NextHop::Nat(n) => (
            Hop::Nat(n),
            m.nat_gateways[n.index()].name.node.clone(),
            block(SymbolKind::NatGateway, n.index()),
        ),
    };
    let (table, account, region, console, path) = match r.table.node {
        RouteTable::Vpc(v) => {
            let vpc = &m.vpcs[v.index()];
            (
                TableRef::Vpc(v),
                Some(vpc.account.node),
                Some(vpc.region.node.clone()),
                Console::Vpc,
                super::vpc_route_path(&vpc.name.node),
            )
        }
        RouteTable::ResourceGroup(c) => {
            let comp = &m.computes[c.index()];
            let (account, region) = match &comp.kind {
                ComputeKind::ResourceGroup {
                    account, vswitch, ..
                } => (
                    Some(account.node),
                    Some(m.vpc_of_vswitch(vswitch.node).region.node.clone()),
                ),
                _ => (None, None),
            };
            (TableRef::ResourceGroup(c), account, region, Console::DataWorks, format!("DataWorks console → Resource Groups → {} → Network Settings → Custom Route → Add Route", crate::text::code(&comp.name.node)))
        }
        RouteTable::TransitRouter(t) => {
            let tr = &m.transit_routers[t.index()];
            let owner = match &m.connections[tr.cen.index()].kind {
                ConnectionKind::Cen { account, .. } => Some(account.node),
                _ => None,
            };
            (
                TableRef::TransitRouter(tr.cen, tr.region.node.clone()),
                owner,
                Some(tr.region.node.clone()),
                Console::Cen,
                format!(
                    "CEN console → {} → Transit Router ({}) → Route Table → Add Route Entry",
                    crate::text::code(&m.connections[tr.cen.index()].name.node),
                    tr.region.node
                ),
            )
        }
    };
    let mut values = vec![
        (
            "destination CIDR block",
            Val::text(r.destination.node.to_string()),
        ),
        ("next hop", Val::text(hop_name.clone())),
    ];
    if let RouteTable::Vpc(v) = r.table.node {
        values.insert(0, ("VPC", vpc_val(m, v)));
    }
    let step = Step {
        id: format!("route.{}", r.name.node),
        title: format!(
            "Route {} through {} (route {})",
            r.destination.node,
            crate::text::code(&hop_name),
            crate::text::code(&r.name.node)
        ),
        action: "add-route",
        account,
        region,
        console,
        path: path.into(),
        values,
        manual: None,
        origin: me,
        span: r.name.span,
    };
    if let Some(i) = p.route(
        table,
        r.destination.node,
        hop,
        Origin::Explicit(me),
        Some(step),
    ) {
        // Wait for what makes the next hop usable (created, accepted, attached), not for every
        // step of its block: a CEN may have thousands.
        let ready: Vec<(usize, String)> = match r.next_hop.node {
            NextHop::Connection(c) => {
                let vpcs: Vec<VpcId> = match r.table.node {
                    RouteTable::Vpc(v) => vec![v],
                    RouteTable::ResourceGroup(rg) => match &m.computes[rg.index()].kind {
                        ComputeKind::ResourceGroup { vswitch, .. } => {
                            vec![m.vswitches[vswitch.node.index()].vpc]
                        }
                        _ => Vec::new(),
                    },
                    RouteTable::TransitRouter(_) => Vec::new(),
                };
                super::joins::ready_steps(p, c, &vpcs)
                    .into_iter()
                    .map(|(s, why)| (s, why.to_string()))
                    .collect()
            }
            NextHop::Nat(_) => p
                .steps_of(hop_block)
                .into_iter()
                .map(|s| (s, format!("the route points at `{hop_name}`")))
                .collect(),
        };
        for (s, why) in ready {
            p.dep(i, s, why);
        }
    }
}

fn whitelist(p: &mut Planner<'_>, index: usize, w: &Whitelist) {
    let m = p.m;
    let t = &m.targets[w.target.node.index()];
    let me = block(SymbolKind::Whitelist, index);
    let (account, console, path, region) = super::whitelist_place(m, t);
    for e in &w.entries {
        let step = Step {
            id: format!(
                "whitelist.{}.{}",
                t.name.node,
                e.net.to_string().replace('/', "_")
            ),
            title: format!(
                "Whitelist {} on {} (whitelist {})",
                e.net,
                crate::text::code(&t.name.node),
                crate::text::code(&w.name.node)
            ),
            action: "add-whitelist",
            account,
            region: region.clone(),
            console,
            path: path.clone().into(),
            values: vec![("entry", Val::text(e.net.to_string()))],
            manual: account.is_none().then_some(crate::plan::Manual {
                kind: "on-premises",
                lead_time: None,
                deadline: None,
            }),
            origin: me,
            span: e.span,
        };
        let warning = (e.net.prefix_len() == 0).then_some("open-to-all");
        let _ = target_block;
        p.whitelist(
            WhitelistRow {
                target: w.target.node,
                item: WhitelistItem::Cidr(e.net),
                why: format!("whitelist `{}`", w.name.node),
                warning,
                origins: vec![Origin::Explicit(me)],
                step: 0,
            },
            step,
        );
    }
}
