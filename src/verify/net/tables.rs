//! Route tables: longest-prefix lookup and one hop through a table.

use super::*;

impl<'m> Net<'m> {
    /// Longest-prefix match in a table; `Err` for two equal-length matches that disagree.
    pub(super) fn lookup(&self, table: &TableRef, dest: &Ipv4Net) -> Result<Option<usize>, ()> {
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
    pub(super) fn route(
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
            let (kind, hop_name) = crate::names::hop_name(m, &r.hop);
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
                (Loc::Vpc(here), NextHop::ExpressConnect(c) | NextHop::Vpn(c)) => {
                    match &m.connections[c.index()].kind {
                        ConnectionKind::ExpressConnect { idc, .. }
                        | ConnectionKind::Vpn { idc, .. } => Loc::Idc(idc.node),
                        // The tunnel leads to the other VPC's gateway.
                        ConnectionKind::VpnVpcs { vpc, peer_vpc } if vpc.node == *here => {
                            Loc::Vpc(peer_vpc.node)
                        }
                        ConnectionKind::VpnVpcs { vpc, peer_vpc } if peer_vpc.node == *here => {
                            Loc::Vpc(vpc.node)
                        }
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
}
