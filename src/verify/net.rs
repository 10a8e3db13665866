//! The forwarding simulation: from a source, table by table, to the target and back.

use super::filters::{Admission, Filters};
use super::{show, Direction as Way, Hop, Outcome, Probe, Proof, Trace};
use crate::check::paths::{target_nets, target_site, TargetSite};
use crate::check::security::PeerEnd;
use crate::check::Index;
use crate::model::*;
use crate::plan::{Hop as NextHop, Plan, TableRef};
use ipnet::Ipv4Net;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Where a packet is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Loc {
    Vpc(VpcId),
    TransitRouter(ConnectionId, String),
    Idc(TargetId),
    Internet,
}

/// Hops a trace may take before it is called a loop.
const MAX_HOPS: usize = 32;

/// The network as the plan leaves it.
pub struct Net<'m> {
    m: &'m Model,
    plan: &'m Plan,
    ix: Index,
    tables: HashMap<TableRef, Vec<usize>>,
    filters: Filters<'m>,
    step_index: HashMap<&'m str, usize>,
}

/// The source of a probe, as the network sees it.
struct Source {
    vpc: Option<VpcId>,
    net: Option<Ipv4Net>,
    group: Option<SgId>,
    rg: Option<ComputeId>,
    link: Option<NetworkLinkId>,
}

impl<'m> Net<'m> {
    /// Index the plan's tables.
    pub fn new(m: &'m Model, plan: &'m Plan) -> Net<'m> {
        let mut tables: HashMap<TableRef, Vec<usize>> = HashMap::default();
        for (i, r) in plan.routes.iter().enumerate() {
            tables.entry(r.table.clone()).or_default().push(i);
        }
        let step_index = plan
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        Net {
            m,
            plan,
            ix: Index::build(m),
            tables,
            filters: Filters::new(plan),
            step_index,
        }
    }

    fn loc_name(&self, l: &Loc) -> String {
        match l {
            Loc::Vpc(v) => format!("vpc `{}`", self.m.vpcs[v.index()].name.node),
            Loc::TransitRouter(c, r) => format!(
                "transit router of `{}` ({r})",
                self.m.connections[c.index()].name.node
            ),
            Loc::Idc(t) => format!("data centre `{}`", self.m.targets[t.index()].name.node),
            Loc::Internet => "the internet".to_string(),
        }
    }

    /// Longest-prefix match in a table; `Err` for two equal-length matches that disagree.
    fn lookup(&self, table: &TableRef, dest: &Ipv4Net) -> Result<Option<usize>, ()> {
        let rows = self.tables.get(table).map(Vec::as_slice).unwrap_or(&[]);
        let mut best: Option<usize> = None;
        let mut tie = false;
        for &i in rows {
            let r = &self.plan.routes[i];
            if !r.destination.contains(dest) {
                continue;
            }
            match best {
                Some(b)
                    if self.plan.routes[b].destination.prefix_len()
                        > r.destination.prefix_len() => {}
                Some(b)
                    if self.plan.routes[b].destination.prefix_len()
                        == r.destination.prefix_len() =>
                {
                    tie |= self.plan.routes[b].hop != r.hop;
                }
                _ => {
                    best = Some(i);
                    tie = false;
                }
            }
        }
        if tie {
            return Err(());
        }
        // A narrower route that takes part of the destination's block elsewhere makes the block
        // reachable only in part: ambiguous.
        if let Some(b) = best {
            let hop = self.plan.routes[b].hop;
            let split = rows.iter().any(|&i| {
                let r = &self.plan.routes[i];
                i != b && r.hop != hop && dest.contains(&r.destination) && r.destination != *dest
            });
            if split {
                return Err(());
            }
        }
        Ok(best)
    }

    /// Move a packet for `dest` from `start` until a location where `dest` is local.
    fn route(
        &self,
        start: Loc,
        dest: Ipv4Net,
        hops: &mut Vec<Hop>,
        used: &mut Vec<usize>,
    ) -> Result<Loc, Outcome> {
        let m = self.m;
        let mut at = start;
        let mut seen: Vec<Loc> = Vec::new();
        for _ in 0..MAX_HOPS {
            if seen.contains(&at) {
                return Err(Outcome::Loop {
                    at: self.loc_name(&at),
                });
            }
            seen.push(at.clone());
            let name = self.loc_name(&at);
            let table = match &at {
                Loc::Vpc(v) => {
                    let vpc = &m.vpcs[v.index()];
                    if vpc.cidr.node.contains(&dest) {
                        hops.push(Hop {
                            at: name,
                            consulted: "route table".into(),
                            decision: format!("{} is local ({})", show(&dest), vpc.cidr.node),
                        });
                        return Ok(at);
                    }
                    TableRef::Vpc(*v)
                }
                Loc::TransitRouter(c, r) => TableRef::TransitRouter(*c, r.clone()),
                Loc::Idc(t) => {
                    if let Placement::Idc(cidrs) = &m.targets[t.index()].placement {
                        if cidrs.iter().any(|c| c.node.contains(&dest)) {
                            hops.push(Hop {
                                at: name,
                                consulted: "data centre blocks".into(),
                                decision: format!("{} is local", show(&dest)),
                            });
                            return Ok(at);
                        }
                    }
                    TableRef::Idc(*t)
                }
                Loc::Internet => {
                    hops.push(Hop {
                        at: name,
                        consulted: "public routing".into(),
                        decision: format!("towards {}", show(&dest)),
                    });
                    return Ok(at);
                }
            };
            let row = match self.lookup(&table, &dest) {
                Err(()) => {
                    hops.push(Hop {
                        at: name.clone(),
                        consulted: "route table".into(),
                        decision: format!("routes split {}", show(&dest)),
                    });
                    return Err(Outcome::Ambiguous {
                        at: name,
                        destination: show(&dest),
                    });
                }
                Ok(None) => {
                    let help = match &at {
                        Loc::Vpc(_) => format!("declare the flow `via` a connection that reaches {}, or add a `route` in this table", show(&dest)),
                        Loc::TransitRouter(..) => format!("attach the VPC of {} to this CEN", show(&dest)),
                        _ => format!("route {} from the data centre's router", show(&dest)),
                    };
                    hops.push(Hop {
                        at: name.clone(),
                        consulted: "route table".into(),
                        decision: format!("no entry for {}", show(&dest)),
                    });
                    return Err(Outcome::NoRoute {
                        at: name,
                        destination: show(&dest),
                        help,
                    });
                }
                Ok(Some(r)) => r,
            };
            used.push(row);
            let r = &self.plan.routes[row];
            let (kind, hop_name) = crate::emit::hop_name(m, &r.hop);
            hops.push(Hop {
                at: name.clone(),
                consulted: "route table".into(),
                decision: format!("{} → {kind} `{hop_name}`", r.destination),
            });
            at = match (&at, r.hop) {
                (Loc::Vpc(v), NextHop::Peering(c)) => match &m.connections[c.index()].kind {
                    ConnectionKind::Peering {
                        requester,
                        accepter,
                        ..
                    } if requester.node == *v => Loc::Vpc(accepter.node),
                    ConnectionKind::Peering {
                        requester,
                        accepter,
                        ..
                    } if accepter.node == *v => Loc::Vpc(requester.node),
                    _ => {
                        return Err(Outcome::NoRoute {
                            at: name,
                            destination: show(&dest),
                            help: format!("`{hop_name}` does not reach this VPC"),
                        })
                    }
                },
                (Loc::Vpc(v), NextHop::Cen(c)) => {
                    Loc::TransitRouter(c, m.vpcs[v.index()].region.node.clone())
                }
                (_, NextHop::Attachment(a)) => Loc::Vpc(m.attachments[a.index()].vpc.node),
                // A written transit-router route through its own CEN: towards the attachment
                // whose VPC holds the destination.
                (Loc::TransitRouter(c, region), NextHop::Cen(c2)) if *c == c2 => {
                    // Only this CEN's own attachments (no scan of every attachment per hop).
                    let own: &[AttachmentId] = match &m.connections[c2.index()].kind {
                        ConnectionKind::Cen { attachments, .. } => attachments,
                        _ => &[],
                    };
                    let att = own
                        .iter()
                        .map(|a| &m.attachments[a.index()])
                        .find(|a| m.vpcs[a.vpc.node.index()].cidr.node.contains(&dest));
                    match att {
                        Some(a) if m.vpcs[a.vpc.node.index()].region.node == *region => {
                            Loc::Vpc(a.vpc.node)
                        }
                        Some(a) => {
                            Loc::TransitRouter(c2, m.vpcs[a.vpc.node.index()].region.node.clone())
                        }
                        None => {
                            return Err(Outcome::NoRoute {
                                at: name,
                                destination: show(&dest),
                                help: format!("attach the VPC of {} to `{hop_name}`", show(&dest)),
                            })
                        }
                    }
                }
                (Loc::TransitRouter(c, _), NextHop::InterRegion(a)) => Loc::TransitRouter(
                    *c,
                    m.vpcs[m.attachments[a.index()].vpc.node.index()]
                        .region
                        .node
                        .clone(),
                ),
                (Loc::Vpc(_), NextHop::ExpressConnect(c) | NextHop::Vpn(c)) => {
                    match &m.connections[c.index()].kind {
                        ConnectionKind::ExpressConnect { idc, .. }
                        | ConnectionKind::Vpn { idc, .. } => Loc::Idc(idc.node),
                        _ => {
                            return Err(Outcome::NoRoute {
                                at: name,
                                destination: show(&dest),
                                help: String::new(),
                            })
                        }
                    }
                }
                (Loc::Idc(_), NextHop::ExpressConnect(c) | NextHop::Vpn(c)) => {
                    match &m.connections[c.index()].kind {
                        ConnectionKind::ExpressConnect { vpc, .. }
                        | ConnectionKind::Vpn { vpc, .. } => Loc::Vpc(vpc.node),
                        _ => {
                            return Err(Outcome::NoRoute {
                                at: name,
                                destination: show(&dest),
                                help: String::new(),
                            })
                        }
                    }
                }
                // A NAT gateway carries traffic to the internet, not to private blocks.
                (_, NextHop::Nat(_)) if is_private(&dest) => {
                    return Err(Outcome::NoRoute { at: name, destination: show(&dest), help: format!("`{hop_name}` carries only internet traffic: route {} through a peering, CEN, Express Connect or VPN gateway", show(&dest)) });
                }
                (_, NextHop::Nat(_)) => Loc::Internet,
                _ => {
                    return Err(Outcome::NoRoute {
                        at: name,
                        destination: show(&dest),
                        help: format!("`{hop_name}` cannot be a next hop here"),
                    })
                }
            };
        }
        Err(Outcome::Loop {
            at: self.loc_name(&at),
        })
    }

    fn source(&self, p: &Probe) -> Source {
        let m = self.m;
        match &m.computes[p.from.index()].kind {
            ComputeKind::ResourceGroup {
                vswitch,
                security_group,
                ..
            } => Source {
                vpc: Some(m.vswitches[vswitch.node.index()].vpc),
                net: Some(m.vswitches[vswitch.node.index()].cidr.node),
                group: security_group.as_ref().map(|g| g.node),
                rg: Some(p.from),
                link: None,
            },
            ComputeKind::Client {
                vswitch,
                security_group,
                ..
            } => Source {
                vpc: Some(m.vswitches[vswitch.node.index()].vpc),
                net: Some(m.vswitches[vswitch.node.index()].cidr.node),
                group: security_group.as_ref().map(|g| g.node),
                rg: None,
                link: None,
            },
            ComputeKind::MaxCompute { .. } => {
                let link = self.pick_link(p);
                let vs =
                    link.map(|l| &m.vswitches[m.network_links[l.index()].vswitch.node.index()]);
                Source {
                    vpc: vs.map(|v| v.vpc),
                    net: vs.map(|v| v.cidr.node),
                    group: link.map(|l| m.network_links[l.index()].security_group.node),
                    rg: None,
                    link,
                }
            }
        }
    }

    fn pick_link(&self, p: &Probe) -> Option<NetworkLinkId> {
        let m = self.m;
        let named: Vec<NetworkLinkId> = p
            .via
            .iter()
            .filter_map(|v| match v {
                Via::NetworkLink(l) => Some(*l),
                _ => None,
            })
            .collect();
        let links = if named.is_empty() {
            self.ix
                .links_of_project
                .get(&p.from)
                .cloned()
                .unwrap_or_default()
        } else {
            named
        };
        let site = target_site(m, p.to);
        links
            .iter()
            .copied()
            .find(|l| {
                let v = m.vswitches[m.network_links[l.index()].vswitch.node.index()].vpc;
                crate::check::paths::joins_to(&self.ix, v, site).is_some()
            })
            .or_else(|| links.first().copied())
    }

    fn ports(&self, p: &Probe) -> Vec<PortRange> {
        if !p.ports.is_empty() {
            return p.ports.clone();
        }
        let t = &self.m.targets[p.to.index()];
        if t.ports.is_empty() {
            vec![PortRange::ALL]
        } else {
            t.ports.iter().map(|x| x.node).collect()
        }
    }

    /// Trace a probe both ways.
    pub fn prove(&self, p: &Probe) -> Proof {
        let mut used = Vec::new();
        let mut wl_used = Vec::new();
        let mut hops = Vec::new();
        let outcome = self.forward(p, &mut hops, &mut used, &mut wl_used);
        let forward = Trace {
            direction: Way::Forward,
            hops,
            outcome,
        };
        let back = forward.outcome.delivered().then(|| {
            let mut hops = Vec::new();
            let outcome = self.back(p, &mut hops, &mut used);
            Trace {
                direction: Way::Return,
                hops,
                outcome,
            }
        });
        Proof {
            probe: p.clone(),
            forward,
            back,
            pending: self.pending(p),
            routes_used: used,
            whitelists_used: wl_used,
        }
    }

    fn forward(
        &self,
        p: &Probe,
        hops: &mut Vec<Hop>,
        used: &mut Vec<usize>,
        wl_used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let src = self.source(p);
        let site = target_site(m, p.to);
        let compute = &m.computes[p.from.index()];
        if site == TargetSite::Service {
            hops.push(Hop {
                at: format!("`{}`", compute.name.node),
                consulted: "service endpoint".into(),
                decision: format!(
                    "`{}` is reached by its endpoint (see jobs.json)",
                    t.name.node
                ),
            });
            return Outcome::Delivered;
        }
        // MaxCompute's own internet access: the project's list, then the public internet.
        if site == TargetSite::Internet && matches!(compute.kind, ComputeKind::MaxCompute { .. }) {
            return self.maxcompute_internet(p, hops, wl_used);
        }
        let (Some(vpc), Some(net)) = (src.vpc, src.net) else {
            return Outcome::DeniedOut {
                by: format!("project `{}`", compute.name.node),
                help: "declare a `network_link` for the project".into(),
            };
        };
        let start_name = match src.link {
            Some(l) => format!("network link `{}`", m.network_links[l.index()].name.node),
            None => format!("`{}`", compute.name.node),
        };
        hops.push(Hop {
            at: start_name,
            consulted: "source".into(),
            decision: format!(
                "from {} in vpc `{}`",
                show(&net),
                m.vpcs[vpc.index()].name.node
            ),
        });
        // The compute's own group, outbound.
        let dests = target_nets(m, p.to);
        let ports = self.ports(p);
        if let Some(g) = src.group {
            let sg = &m.security_groups[g.index()];
            for d in &dests {
                for port in &ports {
                    let peer = PeerEnd {
                        net: *d,
                        group: t.security_group.as_ref().map(|s| s.node),
                    };
                    if !self.filters.group_admits(
                        g,
                        sg.kind.node,
                        Direction::Egress,
                        Protocol::Tcp,
                        *port,
                        &peer,
                    ) {
                        hops.push(Hop {
                            at: format!("security group `{}`", sg.qualified),
                            consulted: "outbound rules".into(),
                            decision: format!("denies {} port {port}", show(d)),
                        });
                        return Outcome::DeniedOut { by: format!("security group `{}`", sg.qualified), help: format!("add `rule {{ direction = egress  protocol = tcp  ports = {port}  cidr = {d} }}`") };
                    }
                }
            }
            hops.push(Hop {
                at: format!("security group `{}`", sg.qualified),
                consulted: "outbound rules".into(),
                decision: "allows".into(),
            });
        }
        if site == TargetSite::Internet {
            if src.rg.is_none() {
                // An ECS instance or ACK pod may have a public address of its own: not modelled.
                hops.push(Hop { at: "the internet".into(), consulted: "public routing".into(), decision: "through the client's public address or its VPC's NAT gateway (not modelled)".into() });
                return Outcome::Delivered;
            }
            return self.vpc_internet(p, &src, hops, wl_used);
        }
        // Every block of the target is traced (a data centre may have several).
        for dest in dests {
            if let Some(o) = self.reach(p, &src, vpc, dest, hops, used) {
                return o;
            }
        }
        self.admit(p, &src, net, &ports, hops, wl_used)
    }

    /// The walk to one block of the target: the resource group's custom routes, then the route
    /// tables. `None` when it arrives.
    fn reach(
        &self,
        p: &Probe,
        src: &Source,
        vpc: VpcId,
        dest: Ipv4Net,
        hops: &mut Vec<Hop>,
        used: &mut Vec<usize>,
    ) -> Option<Outcome> {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let site = target_site(m, p.to);
        let compute = &m.computes[p.from.index()];
        // A resource group leaves its bound VPC only by its custom routes (seed 004 step 3).
        if let Some(rg) = src.rg {
            if !m.vpcs[vpc.index()].cidr.node.contains(&dest) {
                let name = format!("resource group `{}`", compute.name.node);
                match self.lookup(&TableRef::ResourceGroup(rg), &dest) {
                    Ok(Some(r)) => {
                        used.push(r);
                        hops.push(Hop {
                            at: name,
                            consulted: "custom routes".into(),
                            decision: format!(
                                "{} → vpc `{}`",
                                self.plan.routes[r].destination,
                                m.vpcs[vpc.index()].name.node
                            ),
                        });
                    }
                    Err(()) => {
                        hops.push(Hop {
                            at: name.clone(),
                            consulted: "custom routes".into(),
                            decision: format!("routes split {}", show(&dest)),
                        });
                        return Some(Outcome::Ambiguous {
                            at: name,
                            destination: show(&dest),
                        });
                    }
                    Ok(None) => {
                        hops.push(Hop {
                            at: name.clone(),
                            consulted: "custom routes".into(),
                            decision: format!("no entry for {}", show(&dest)),
                        });
                        return Some(Outcome::NoRoute {
                            at: name,
                            destination: show(&dest),
                            help: format!(
                                "add a custom route to {} in the resource group (seed 004 step 3)",
                                show(&dest)
                            ),
                        });
                    }
                }
            }
        }
        let arrived = match self.route(Loc::Vpc(vpc), dest, hops, used) {
            Ok(l) => l,
            Err(o) => return Some(o),
        };
        let expected = match site {
            TargetSite::Vpc(v) => Loc::Vpc(v),
            TargetSite::Idc(i) => Loc::Idc(i),
            _ => Loc::Internet,
        };
        if arrived != expected {
            return Some(Outcome::NoRoute {
                at: self.loc_name(&arrived),
                destination: show(&dest),
                help: format!(
                    "{} is local here, but `{}` is in {}: the blocks overlap",
                    show(&dest),
                    t.name.node,
                    self.loc_name(&expected)
                ),
            });
        }
        None
    }

    /// The target's group and whitelist.
    fn admit(
        &self,
        p: &Probe,
        src: &Source,
        net: Ipv4Net,
        ports: &[PortRange],
        hops: &mut Vec<Hop>,
        wl_used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        if let Some(g) = &t.security_group {
            let sg = &m.security_groups[g.node.index()];
            // A group reference matches only inside one VPC.
            let group = src.group.filter(|_| src.vpc == Some(sg.vpc));
            let peer = PeerEnd { net, group };
            let mut wanted: Vec<(Protocol, PortRange)> =
                ports.iter().map(|p| (Protocol::Tcp, *p)).collect();
            if t.kind == crate::resolve::SymbolKind::Hadoop
                && matches!(m.computes[p.from.index()].kind, ComputeKind::Client { .. })
            {
                wanted.insert(0, (Protocol::Icmp, PortRange::ALL));
            }
            for (protocol, port) in wanted {
                if !self.filters.group_admits(
                    g.node,
                    sg.kind.node,
                    Direction::Ingress,
                    protocol,
                    port,
                    &peer,
                ) {
                    hops.push(Hop {
                        at: format!("security group `{}`", sg.qualified),
                        consulted: "inbound rules".into(),
                        decision: format!("denies {protocol} {port} from {}", show(&net)),
                    });
                    let help = if self.filters.denied_by_rule(
                        g.node,
                        Direction::Ingress,
                        protocol,
                        port,
                        &peer,
                    ) {
                        format!("a deny rule of `{}` matches: remove it, or add an allow rule with a smaller priority number than the deny's", sg.qualified)
                    } else {
                        format!("add `rule {{ direction = ingress  protocol = {protocol}  ports = {port}  cidr = {net} }}`")
                    };
                    return Outcome::DeniedIn {
                        by: format!("security group `{}`", sg.qualified),
                        help,
                    };
                }
            }
            hops.push(Hop {
                at: format!("security group `{}`", sg.qualified),
                consulted: "inbound rules".into(),
                decision: format!("allows {}", show(&net)),
            });
        }
        if t.whitelist {
            match self.filters.whitelist(p.to, Some(net), None) {
                Admission::Listed(i) | Admission::Pending(i) => {
                    wl_used.push(i);
                    hops.push(Hop {
                        at: format!("`{}`", t.name.node),
                        consulted: "whitelist".into(),
                        decision: format!("lists {}", show(&net)),
                    });
                }
                Admission::Missing => {
                    hops.push(Hop {
                        at: format!("`{}`", t.name.node),
                        consulted: "whitelist".into(),
                        decision: format!("does not list {}", show(&net)),
                    });
                    return Outcome::DeniedIn { by: format!("the whitelist of `{}`", t.name.node), help: format!("whitelist {net} on `{}` (the source's vSwitch block, never ENI addresses)", t.name.node) };
                }
            }
        }
        hops.push(Hop {
            at: format!("`{}`", t.name.node),
            consulted: "target".into(),
            decision: "delivered".into(),
        });
        Outcome::Delivered
    }

    /// A resource group to the internet: the NAT gateway's SNAT entry (serverless) or its EIP.
    fn vpc_internet(
        &self,
        p: &Probe,
        src: &Source,
        hops: &mut Vec<Hop>,
        wl_used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let compute = &m.computes[p.from.index()];
        let (Some(vpc), Some(net)) = (src.vpc, src.net) else {
            return Outcome::Delivered;
        };
        let public: Option<Ipv4Net>;
        let pending_label;
        match &compute.kind {
            ComputeKind::ResourceGroup { kind, eip, .. } if kind.node == RgKind::Exclusive => {
                public = eip.as_ref().map(|e| Ipv4Net::from(e.node));
                pending_label = String::new();
                hops.push(Hop {
                    at: format!("resource group `{}`", compute.name.node),
                    consulted: "its EIP".into(),
                    decision: public
                        .map(|e| format!("leaves as {}", show(&e)))
                        .unwrap_or_else(|| "no EIP".into()),
                });
                if public.is_none() {
                    return Outcome::NoRoute {
                        at: format!("resource group `{}`", compute.name.node),
                        destination: "the internet".into(),
                        help: "give the exclusive resource group its `eip`".into(),
                    };
                }
            }
            _ => {
                let nat = self
                    .ix
                    .nats_of_vpc
                    .get(&vpc)
                    .into_iter()
                    .flatten()
                    .map(|n| &m.nat_gateways[n.index()])
                    .find(|n| {
                        n.snat
                            .iter()
                            .any(|s| Some(m.vswitches[s.node.index()].cidr.node) == Some(net))
                    });
                let Some(nat) = nat else {
                    hops.push(Hop {
                        at: format!("vpc `{}`", m.vpcs[vpc.index()].name.node),
                        consulted: "NAT gateways".into(),
                        decision: format!("no SNAT entry for {}", show(&net)),
                    });
                    return Outcome::NoRoute { at: format!("vpc `{}`", m.vpcs[vpc.index()].name.node), destination: "the internet".into(), help: format!("add an SNAT entry for {} on a NAT gateway of the VPC, with an EIP (seed 003)", show(&net)) };
                };
                public = nat.eip.as_ref().map(|e| Ipv4Net::from(e.node));
                pending_label = format!("EIP of {}", nat.name.node);
                hops.push(Hop {
                    at: format!("NAT gateway `{}`", nat.name.node),
                    consulted: "SNAT entries".into(),
                    decision: format!(
                        "{} leaves as {}",
                        show(&net),
                        public.map(|e| show(&e)).unwrap_or_else(|| "its EIP".into())
                    ),
                });
            }
        }
        hops.push(Hop {
            at: "the internet".into(),
            consulted: "public routing".into(),
            decision: format!("towards `{}`", t.name.node),
        });
        if t.whitelist {
            match self.filters.whitelist(
                p.to,
                public,
                (!pending_label.is_empty()).then_some(pending_label.as_str()),
            ) {
                Admission::Listed(i) | Admission::Pending(i) => wl_used.push(i),
                Admission::Missing => {
                    return Outcome::DeniedIn {
                        by: format!("the whitelist of `{}`", t.name.node),
                        help: format!(
                            "whitelist the public address {} on `{}`",
                            public
                                .map(|e| show(&e))
                                .unwrap_or_else(|| "(the EIP)".into()),
                            t.name.node
                        ),
                    };
                }
            }
            hops.push(Hop {
                at: format!("`{}`", t.name.node),
                consulted: "whitelist".into(),
                decision: "lists the public address".into(),
            });
        }
        hops.push(Hop {
            at: format!("`{}`", t.name.node),
            consulted: "target".into(),
            decision: "delivered".into(),
        });
        Outcome::Delivered
    }

    /// MaxCompute to the internet: the project's access list, then the target's whitelist.
    fn maxcompute_internet(
        &self,
        p: &Probe,
        hops: &mut Vec<Hop>,
        wl_used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let compute = &m.computes[p.from.index()];
        let Placement::Internet(host) = &t.placement else {
            return Outcome::Delivered;
        };
        let named: Vec<InternetAccessId> = p
            .via
            .iter()
            .filter_map(|v| match v {
                Via::InternetAccess(a) => Some(*a),
                _ => None,
            })
            .collect();
        let lists = if named.is_empty() {
            self.ix
                .access_of_project
                .get(&p.from)
                .cloned()
                .unwrap_or_default()
        } else {
            named
        };
        for port in self.ports(p) {
            let listed = (port.start..=port.end).all(|x| {
                lists.iter().any(|a| {
                    m.internet_accesses[a.index()]
                        .hosts
                        .iter()
                        .any(|e| e.host == host.node && e.port == Some(x))
                })
            });
            if !listed {
                hops.push(Hop {
                    at: format!("project `{}`", compute.name.node),
                    consulted: "internet access list".into(),
                    decision: format!("does not list {}:{port}", host.node),
                });
                return Outcome::DeniedOut {
                    by: format!("the internet access list of `{}`", compute.name.node),
                    help: format!(
                        "add \"{}:{port}\" to an `internet_access` of the project",
                        host.node
                    ),
                };
            }
        }
        hops.push(Hop {
            at: format!("project `{}`", compute.name.node),
            consulted: "internet access list".into(),
            decision: format!("lists `{}`", host.node),
        });
        hops.push(Hop {
            at: "the internet".into(),
            consulted: "public routing".into(),
            decision: format!("towards `{}`", host.node),
        });
        if t.whitelist {
            match self
                .filters
                .whitelist(p.to, None, Some("MaxCompute outbound IPs"))
            {
                Admission::Listed(i) | Admission::Pending(i) => wl_used.push(i),
                Admission::Missing => {
                    return Outcome::DeniedIn {
                        by: format!("the whitelist of `{}`", t.name.node),
                        help: "whitelist MaxCompute's outbound addresses (obtained by ticket)"
                            .into(),
                    }
                }
            }
            hops.push(Hop {
                at: format!("`{}`", t.name.node),
                consulted: "whitelist".into(),
                decision: "lists MaxCompute's outbound addresses".into(),
            });
        }
        hops.push(Hop {
            at: format!("`{}`", t.name.node),
            consulted: "target".into(),
            decision: "delivered".into(),
        });
        Outcome::Delivered
    }

    /// The reply: from the target back to the source's block.
    fn back(&self, p: &Probe, hops: &mut Vec<Hop>, used: &mut Vec<usize>) -> Outcome {
        let m = self.m;
        let site = target_site(m, p.to);
        let src = self.source(p);
        let start = match site {
            TargetSite::Vpc(v) => Loc::Vpc(v),
            TargetSite::Idc(i) => Loc::Idc(i),
            // Replies over NAT, the internet and service endpoints follow the connection back.
            _ => {
                hops.push(Hop {
                    at: format!("`{}`", m.targets[p.to.index()].name.node),
                    consulted: "connection state".into(),
                    decision: "the reply follows the connection back".into(),
                });
                return Outcome::Delivered;
            }
        };
        let Some(net) = src.net else {
            return Outcome::Delivered;
        };
        let arrived = match self.route(start, net, hops, used) {
            Ok(l) => l,
            Err(o) => return o,
        };
        if Some(arrived.clone()) != src.vpc.map(Loc::Vpc) {
            return Outcome::NoRoute {
                at: self.loc_name(&arrived),
                destination: show(&net),
                help: "the source's block is local in another network: the blocks overlap".into(),
            };
        }
        // MaxCompute's group admits the return traffic from the target's block (seed 000, F12).
        if let (Some(l), Some(g)) = (src.link, src.group) {
            let sg = &m.security_groups[g.index()];
            for d in target_nets(m, p.to) {
                if !self.filters.group_admits(
                    g,
                    sg.kind.node,
                    Direction::Ingress,
                    Protocol::All,
                    PortRange::ALL,
                    &PeerEnd {
                        net: d,
                        group: None,
                    },
                ) {
                    hops.push(Hop {
                        at: format!("security group `{}`", sg.qualified),
                        consulted: "inbound rules".into(),
                        decision: format!("denies replies from {}", show(&d)),
                    });
                    return Outcome::DeniedIn { by: format!("MaxCompute's security group `{}`", sg.qualified), help: format!("add `rule {{ direction = ingress  protocol = all  cidr = {d} }}` (seed 000: the group admits the target's block)") };
                }
            }
            hops.push(Hop {
                at: format!("network link `{}`", m.network_links[l.index()].name.node),
                consulted: format!("security group `{}` (inbound)", sg.qualified),
                decision: "admits the reply".into(),
            });
        } else {
            hops.push(Hop {
                at: format!("`{}`", m.computes[p.from.index()].name.node),
                consulted: "source".into(),
                decision: "reply delivered".into(),
            });
        }
        Outcome::Delivered
    }

    /// Manual steps the flow's test step waits on, directly or not.
    fn pending(&self, p: &Probe) -> Vec<String> {
        let Some(f) = p.flow else { return Vec::new() };
        let name = &self.m.flows[f.index()].name.node;
        let Some(&test) = self.step_index.get(format!("flow.{name}.test").as_str()) else {
            return Vec::new();
        };
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![test];
        let mut out = Vec::new();
        while let Some(s) = stack.pop() {
            if !seen.insert(s) {
                continue;
            }
            if self.plan.steps[s].manual.is_some() {
                out.push(s);
            }
            for &e in &self.plan.incoming[s] {
                stack.push(self.plan.edges[e].before);
            }
        }
        out.sort_by_key(|&s| self.plan.position[s]);
        out.into_iter()
            .map(|s| self.plan.steps[s].id.clone())
            .collect()
    }
}

/// RFC 1918 and shared address space: never reached through a NAT gateway.
fn is_private(net: &Ipv4Net) -> bool {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ]
    .iter()
    .filter_map(|p| p.parse::<Ipv4Net>().ok())
    .any(|p| p.contains(net))
}
