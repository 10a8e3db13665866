//! CEN and VPC peering (seeds 002/004): attachments, grants, inter-region connections, peering
//! link types and acceptance.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::net::Network;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Run the family.
pub fn check(m: &Model, net: &Network, out: &mut Vec<Diagnostic>) {
    cen_accounts(m, net, out);
    for (i, c) in m.connections.iter().enumerate() {
        match &c.kind {
            ConnectionKind::Peering {
                requester,
                accepter,
                link_type,
                ..
            } => peering(m, c, requester, accepter, link_type.as_ref(), out),
            ConnectionKind::Cen {
                account,
                attachments,
                transit_routers,
                ..
            } => cen(
                m,
                net,
                ConnectionId(i as u32),
                c,
                account,
                attachments,
                transit_routers,
                out,
            ),
            // A VPN between a VPC and itself overlaps itself: NL2005 in `addresses`.
            ConnectionKind::ExpressConnect { .. }
            | ConnectionKind::Vpn { .. }
            | ConnectionKind::VpnVpcs { .. } => {}
        }
    }
}

/// NL3207 (F37): seed 004 recommends creating the CEN in DataWorks' own account. A CEN the plan
/// creates (no `id`) in an account none of the resource groups crossing it belong to gets a note.
fn cen_accounts(m: &Model, net: &Network, out: &mut Vec<Diagnostic>) {
    let mut users: FxHashMap<ConnectionId, Vec<AccountId>> = FxHashMap::default();
    for (f, path) in m.flows.iter().zip(&net.paths) {
        let (Some(c), ComputeKind::ResourceGroup { account, .. }) =
            (path.connection, &m.computes[f.from.node.index()].kind)
        else {
            continue;
        };
        let list = users.entry(c).or_default();
        if !list.contains(&account.node) {
            list.push(account.node);
        }
    }
    let mut crossed: Vec<(&ConnectionId, &Vec<AccountId>)> = users.iter().collect();
    crossed.sort_unstable_by_key(|(c, _)| **c);
    for (c, accounts) in crossed {
        let conn = &m.connections[c.index()];
        let ConnectionKind::Cen {
            account, id: None, ..
        } = &conn.kind
        else {
            continue;
        };
        if accounts.contains(&account.node) {
            continue;
        }
        let name = |a: AccountId| m.accounts[a.index()].name.node.clone();
        let dw = name(accounts[0]);
        out.push(
            Diagnostic::new(
                Code::CEN_ACCOUNT,
                format!(
                    "CEN `{}` is created in `{}`, not in DataWorks' account `{dw}`",
                    conn.name.node,
                    name(account.node)
                ),
            )
            .primary(account.span, "the account the plan creates it in")
            .help(format!("write `account = {dw}` on the CEN, unless another account must own it"))
            .note("seed 004 recommends creating the CEN instance in the DataWorks account, for central management of the data sources it connects"),
        );
    }
}

fn peering(
    m: &Model,
    c: &Connection,
    requester: &crate::source::Spanned<VpcId>,
    accepter: &crate::source::Spanned<VpcId>,
    link_type: Option<&crate::source::Spanned<PeeringLinkType>>,
    out: &mut Vec<Diagnostic>,
) {
    let (r, a) = (
        &m.vpcs[requester.node.index()],
        &m.vpcs[accepter.node.index()],
    );
    if requester.node == accepter.node {
        out.push(
            Diagnostic::new(
                Code::PEERING_SELF,
                format!(
                    "peering `{}` joins `{}` to itself",
                    c.name.node, r.name.node
                ),
            )
            .primary(accepter.span, "the same VPC as the requester")
            .secondary(requester.span, "requester")
            .help("name the other VPC as `accepter`"),
        );
        return;
    }
    if let Some(lt) = link_type {
        if r.region.node == a.region.node {
            out.push(
                Diagnostic::new(
                    Code::PEERING_LINK_TYPE,
                    format!(
                        "`link_type` has no effect on same-region peering `{}`",
                        c.name.node
                    ),
                )
                .primary(lt.span, format!("both VPCs are in `{}`", r.region.node))
                .help("remove `link_type`; gold and platinum apply to cross-region peering only"),
            );
        }
    }
    // An existing peering (it has an id) was accepted already.
    let exists = matches!(&c.kind, ConnectionKind::Peering { id: Some(_), .. });
    if r.account.node != a.account.node && !exists {
        let acc = &m.accounts[a.account.node.index()];
        out.push(
            Diagnostic::new(Code::PEERING_ACCEPT, format!("account `{}` must accept peering `{}` within 7 days", acc.name.node, c.name.node))
                .primary(c.name.span, "a cross-account peering waits in Pending Acceptance")
                .secondary(accepter.span, format!("`{}` belongs to `{}`", a.name.node, acc.name.node))
                .help(format!("log in as `{}` and accept the request in the VPC console (Pending Acceptance → Activated)", acc.name.node))
                .note("an unanswered request expires after 7 days; the accepter's account must have CDT (Cloud Data Transfer) enabled"),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn cen(
    m: &Model,
    net: &Network,
    id: ConnectionId,
    c: &Connection,
    account: &crate::source::Spanned<AccountId>,
    attachments: &[AttachmentId],
    routers: &[TransitRouterId],
    out: &mut Vec<Diagnostic>,
) {
    let mut seen_vpc: BTreeMap<VpcId, &CenAttachment> = BTreeMap::new();
    let mut regions: BTreeMap<&str, ()> = BTreeMap::new();
    for id in attachments {
        let att = &m.attachments[id.index()];
        let vpc = &m.vpcs[att.vpc.node.index()];
        regions.insert(&vpc.region.node, ());
        if let Some(first) = seen_vpc.get(&att.vpc.node) {
            out.push(
                Diagnostic::new(
                    Code::CEN_VPC_TWICE,
                    format!("`{}` is attached to `{}` twice", vpc.name.node, c.name.node),
                )
                .primary(att.vpc.span, "attached again here")
                .secondary(first.vpc.span, "first attached here")
                .help("remove one of the attachments"),
            );
            continue;
        }
        seen_vpc.insert(att.vpc.node, att);
        let mut zones: Vec<&str> = att
            .vswitches
            .iter()
            .map(|v| m.vswitches[v.node.index()].zone.node.as_str())
            .collect();
        zones.sort_unstable();
        zones.dedup();
        if zones.len() < 2 {
            let others: Vec<&str> = vpc
                .vswitches
                .iter()
                .map(|v| &m.vswitches[v.index()])
                .filter(|v| !zones.contains(&v.zone.node.as_str()))
                .map(|v| v.qualified.as_str())
                .collect();
            let help = match others.first() {
                Some(o) => format!("add `{o}` (another zone) to `vswitches`"),
                None => format!(
                    "declare a vSwitch of `{}` in a second zone and add it to `vswitches`",
                    vpc.name.node
                ),
            };
            let span = att
                .vswitches
                .first()
                .map(|v| {
                    v.span
                        .to(att.vswitches.last().map(|l| l.span).unwrap_or(v.span))
                })
                .unwrap_or(att.name.span);
            out.push(
                Diagnostic::new(Code::CEN_TWO_ZONES, format!("attachment `{}` needs vSwitches in two zones", att.name.node))
                    .primary(span, match zones.first() { Some(z) => format!("only zone `{z}`"), None => "no vSwitch".to_string() })
                    .help(help)
                    .note("a transit router attaches a VPC through at least two vSwitches in different zones, for high availability"),
            );
        }
        if vpc.account.node != account.node {
            let owner = &m.accounts[vpc.account.node.index()];
            let cen_owner = &m.accounts[account.node.index()];
            let payer = att.payer.as_ref().map(|p| p.node).unwrap_or(Payer::Peer);
            out.push(
                Diagnostic::new(Code::CEN_GRANT, format!("`{}` must grant CEN `{}` access to `{}` before the attachment", owner.name.node, c.name.node, vpc.name.node))
                    .primary(att.vpc.span, format!("`{}` belongs to `{}`, the CEN to `{}`", vpc.name.node, owner.name.node, cen_owner.name.node))
                    .help(format!("in `{}`: VPC console → the VPC → Cross-account Authorization → CEN: peer UID {}, the CEN's id, payer `{payer}`", owner.name.node, cen_owner.uid.node))
                    .note("then attach it from the CEN's account with Resource Owner UID set to cross-account"),
            );
        }
    }
    let mut tr_regions: BTreeMap<&str, &TransitRouter> = BTreeMap::new();
    for id in routers {
        let tr = &m.transit_routers[id.index()];
        if let Some(first) = tr_regions.get(tr.region.node.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::CEN_TWO_ROUTERS,
                    format!(
                        "CEN `{}` has two transit routers in `{}`",
                        c.name.node, tr.region.node
                    ),
                )
                .primary(tr.region.span, "second transit router in this region")
                .secondary(first.region.span, "first one")
                .help("a CEN has one transit router per region; remove one"),
            );
            continue;
        }
        tr_regions.insert(&tr.region.node, tr);
    }
    if regions.len() > 1 {
        let list: Vec<&str> = regions.keys().copied().collect();
        let crossed: Vec<String> = net
            .crossings(id)
            .map(|(a, b)| format!("`{a}`–`{b}`"))
            .collect();
        // F40: a connection per pair that traffic crosses, never a full mesh (each is billed).
        let help = if crossed.is_empty() {
            "no flow or route crosses regions on it, so the plan adds no inter-region connection; a flow between VPCs of two regions adds one".to_string()
        } else {
            format!(
                "the plan adds an inter-region connection for each pair that flows or routes cross ({}); choose each one's bandwidth",
                crossed.join(", ")
            )
        };
        out.push(
            Diagnostic::new(Code::CEN_INTER_REGION, format!("CEN `{}` spans {}", c.name.node, list.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")))
                .primary(c.name.span, "members in several regions")
                .help(help)
                .note("traffic between regions flows only over an inter-region connection, billed by its bandwidth"),
        );
    }
}
