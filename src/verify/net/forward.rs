//! Forwarding: where a probe starts, which link it takes, the way to the target.

use super::*;

impl<'m> Net<'m> {
    pub(super) fn forward(
        &self,
        p: &Probe,
        path: &FlowPath,
        hops: &mut Vec<Hop>,
        used: &mut Vec<usize>,
        wl_used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let src = &path.source;
        let site = path.site;
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
            return self.maxcompute_internet(p, path, hops, wl_used);
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
        let dests = &path.dests;
        let ports = &path.ports;
        if let Some(g) = src.group {
            let sg = &m.security_groups[g.index()];
            for d in dests {
                for port in ports {
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
            return self.vpc_internet(p, path, hops, wl_used);
        }
        // Every block of the target is traced (a data centre may have several).
        for &dest in dests {
            if let Some(o) = self.reach(p, path, vpc, dest, hops, used) {
                return o;
            }
        }
        self.admit(p, src, net, ports, hops, wl_used)
    }

    /// The walk to one block of the target: the resource group's custom routes, then the route
    /// tables. `None` when it arrives.
    pub(super) fn reach(
        &self,
        p: &Probe,
        path: &FlowPath,
        vpc: VpcId,
        dest: Ipv4Net,
        hops: &mut Vec<Hop>,
        used: &mut Vec<usize>,
    ) -> Option<Outcome> {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let site = path.site;
        let src = &path.source;
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
}
