//! Admission at the target: security groups, whitelists, access lists, the internet ways.

use super::*;

impl<'m> Net<'m> {
    /// The target's group and whitelist.
    pub(super) fn admit(
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
                    hops.push(at_target(t, "whitelist", &format!("lists {}", show(&net))));
                }
                Admission::Missing => {
                    hops.push(at_target(
                        t,
                        "whitelist",
                        &format!("does not list {}", show(&net)),
                    ));
                    return Outcome::DeniedIn { by: format!("the whitelist of `{}`", t.name.node), help: format!("whitelist {net} on `{}` (the source's vSwitch block, never ENI addresses)", t.name.node) };
                }
            }
        }
        hops.push(at_target(t, "target", "delivered"));
        Outcome::Delivered
    }

    /// A resource group to the internet: the NAT gateway's SNAT entry (serverless) or its EIP.
    pub(super) fn vpc_internet(
        &self,
        p: &Probe,
        path: &FlowPath,
        hops: &mut Vec<Hop>,
        wl_used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let compute = &m.computes[p.from.index()];
        let (Some(vpc), Some(net)) = (path.source.vpc, path.source.net) else {
            return Outcome::Delivered;
        };
        let public: Option<Ipv4Net>;
        let pending_label;
        match &compute.kind {
            // Seed 003: an old-version group has an EIP associated automatically; undeclared, it
            // is known once read from the group's details (a pending whitelist entry).
            ComputeKind::ResourceGroup { kind, eip, .. } if kind.node == RgKind::Exclusive => {
                public = eip.as_ref().map(|e| Ipv4Net::from(e.node));
                pending_label = format!("EIP of {}", compute.name.node);
                hops.push(Hop {
                    at: format!("resource group `{}`", compute.name.node),
                    consulted: "its EIP".into(),
                    decision: public
                        .map(|e| format!("leaves as {}", show(&e)))
                        .unwrap_or_else(|| "leaves as its EIP (read from its details)".into()),
                });
            }
            _ => {
                let nat = path.nat.map(|n| &m.nat_gateways[n.index()]);
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
            hops.push(at_target(t, "whitelist", "lists the public address"));
        }
        hops.push(at_target(t, "target", "delivered"));
        Outcome::Delivered
    }

    /// MaxCompute to the internet: the project's access list, then the target's whitelist.
    pub(super) fn maxcompute_internet(
        &self,
        p: &Probe,
        path: &FlowPath,
        hops: &mut Vec<Hop>,
        wl_used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let t = &m.targets[p.to.index()];
        let compute = &m.computes[p.from.index()];
        let Placement::Internet(host) = &t.placement else {
            return Outcome::Delivered;
        };
        let lists = &path.access;
        for port in &path.ports {
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
            hops.push(at_target(
                t,
                "whitelist",
                "lists MaxCompute's outbound addresses",
            ));
        }
        hops.push(at_target(t, "target", "delivered"));
        Outcome::Delivered
    }
}

/// A hop at the target itself (its whitelist, its access list, delivery).
fn at_target(t: &Target, consulted: &str, decision: &str) -> Hop {
    Hop {
        at: format!("`{}`", t.name.node),
        consulted: consulted.into(),
        decision: decision.into(),
    }
}
