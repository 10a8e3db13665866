//! The return path: the reply from the target back to the source.

use super::*;

impl<'m> Net<'m> {
    /// The reply: from the target back to the source's block.
    pub(super) fn back(
        &self,
        p: &Probe,
        path: &FlowPath,
        hops: &mut Vec<Hop>,
        used: &mut Vec<usize>,
    ) -> Outcome {
        let m = self.m;
        let src = &path.source;
        let start = match path.site {
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
            for &d in &path.dests {
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
}
