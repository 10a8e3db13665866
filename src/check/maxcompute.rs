//! MaxCompute (seeds 000/001): network links, internet access, endpoints, job kinds.

use super::blocks::Blocks;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::regions::{region, vpc_scheme_zones, zone_letter};
use crate::model::*;
use crate::net::hosts::auto_approved;
use crate::net::path::FlowPath;
use crate::net::sites::{
    describe_site, joins_to, target_account, target_site, via_connections, TargetSite,
};
use crate::net::{Index, Network};
use crate::resolve::SymbolKind;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Run the family.
pub fn check(m: &Model, net: &Network, out: &mut Vec<Diagnostic>) {
    let ix = &net.index;
    one_link_per_job(m, net, out);
    let mut sg_users: HashMap<SgId, usize> = HashMap::default();
    count_sg_users(m, &mut sg_users);
    for link in &m.network_links {
        network_link(m, link, &sg_users, out);
    }
    for access in &m.internet_accesses {
        internet_access(m, access, out);
    }
    eni_whitelists(m, out);
    for (i, f) in m.flows.iter().enumerate() {
        let path = net.path(FlowId(i as u32));
        let ComputeKind::MaxCompute { account, .. } = &m.computes[f.from.node.index()].kind else {
            continue;
        };
        for job in &f.jobs {
            if !job.node.runs_on_maxcompute() {
                out.push(
                    Diagnostic::new(Code::JOB_KIND, format!("`{}` jobs do not run on MaxCompute", job.node))
                        .primary(job.span, "this job kind runs on a DataWorks resource group")
                        .secondary(f.from.span, "the flow starts at a MaxCompute project")
                        .help("start the flow at a `resource_group` for data sync, or use `sql`, `udf`, `external_table`, `lakehouse`, `spark` or `maxframe`"),
                );
            }
        }
        if f.mode.node == Mode::Write {
            out.push(
                Diagnostic::new(Code::MAXCOMPUTE_WRITE, format!("flow `{}` writes from MaxCompute to `{}`", f.name.node, m.targets[f.to.node.index()].name.node))
                    .primary(f.mode.span, "writes may be repeated")
                    .help("prefer read-only access; if you must write, make the writes idempotent (or write to a staging table and swap)")
                    .note("on failover MaxCompute may rerun tasks, which can write the same data twice and leave dirty data (seed 000)"),
            );
        }
        if let Some(d) = super::classic::classic_target(
            m,
            f,
            "MaxCompute reaches databases through network links into VPCs",
        ) {
            out.push(d);
            continue;
        }
        match path.site {
            TargetSite::Internet => internet_flow(m, ix, f, out),
            TargetSite::Vpc(_) | TargetSite::Idc(_) => link_flow(m, ix, f, path, account.node, out),
            TargetSite::Service => service_flow(m, ix, f, out),
        }
    }
}

/// NL3020: a flow naming several targets is one job, and a session names one network link
/// (`set odps.session.networklink=…;`, F18), so its VPC targets must share a link.
fn one_link_per_job(m: &Model, net: &Network, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<u32, (FlowId, NetworkLinkId)> = HashMap::default();
    for (i, f) in m.flows.iter().enumerate() {
        let (Some(job), Some(link)) = (&f.job, net.path(FlowId(i as u32)).link) else {
            continue;
        };
        match first.get(&f.block) {
            None => {
                first.insert(f.block, (FlowId(i as u32), link));
            }
            Some(&(other, l)) if l != link => {
                let name = |l: NetworkLinkId| m.network_links[l.index()].name.node.clone();
                let o = &m.flows[other.index()];
                out.push(
                    Diagnostic::new(
                        Code::JOB_TWO_LINKS,
                        format!(
                            "flow `{}` reaches `{}` through network link `{}` and `{}` through `{}`",
                            job.node,
                            m.targets[o.to.node.index()].name.node,
                            name(l),
                            m.targets[f.to.node.index()].name.node,
                            name(link)
                        ),
                    )
                    .primary(f.to.span, format!("reached through `{}`", name(link)))
                    .secondary(o.to.span, format!("reached through `{}`", name(l)))
                    .help("split the flow in two (a job per network link), or reach both targets through one link (join their VPCs)")
                    .note("a session sets one `odps.session.networklink` (seed 000)"),
                );
            }
            Some(_) => {}
        }
    }
}

fn count_sg_users(m: &Model, users: &mut HashMap<SgId, usize>) {
    let mut add = |g: SgId| *users.entry(g).or_insert(0) += 1;
    for l in &m.network_links {
        add(l.security_group.node);
    }
    for t in &m.targets {
        if let Some(g) = &t.security_group {
            add(g.node);
        }
    }
    for c in &m.computes {
        match &c.kind {
            ComputeKind::ResourceGroup {
                security_group: Some(g),
                ..
            }
            | ComputeKind::Client {
                security_group: Some(g),
                ..
            } => add(g.node),
            _ => {}
        }
    }
}

/// Seed 000 (F14): starts with a letter; letters, digits and `_`; 1 to 63 characters.
pub fn valid_link_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn network_link(
    m: &Model,
    link: &NetworkLink,
    sg_users: &HashMap<SgId, usize>,
    out: &mut Vec<Diagnostic>,
) {
    let name = &link.name.node;
    if !valid_link_name(name) {
        let fixed: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(63)
            .collect();
        let fixed = if fixed.starts_with(|c: char| c.is_ascii_alphabetic()) {
            fixed
        } else {
            format!("nl_{}", fixed.trim_start_matches('_'))
        };
        out.push(
            Diagnostic::new(Code::LINK_NAME, format!("`{name}` is not a valid network link name"))
                .primary(link.name.span, "a network link name starts with a letter and holds letters, digits and `_` (1-63 characters)")
                .help(format!("rename it, e.g. `{}`", &fixed[..fixed.len().min(63)])),
        );
    }
    let project = &m.computes[link.maxcompute.node.index()];
    let ComputeKind::MaxCompute {
        account,
        region: project_region,
        ..
    } = &project.kind
    else {
        return;
    };
    let vs = &m.vswitches[link.vswitch.node.index()];
    let vpc = &m.vpcs[vs.vpc.index()];
    // A region netlink does not list (NL2013) is not among seed 000's scheme regions either.
    match region(&project_region.node) {
        info if info.is_none_or(|i| i.maxcompute_vpc_zones.is_empty()) => out.push(
            Diagnostic::new(Code::MC_VPC_REGION, format!("MaxCompute has no VPC connection scheme in `{}`", project_region.node))
                .primary(link.name.span, "this network link cannot be created")
                .secondary(project_region.span, "the project's region")
                .help("network links exist in cn-beijing, cn-shanghai, cn-zhangjiakou, cn-wulanchabu, cn-hangzhou, cn-shenzhen, cn-hongkong, cn-shanghai-finance-1, ap-northeast-1, ap-southeast-1, ap-southeast-3, ap-southeast-5, eu-central-1, us-west-1 and us-east-1"),
        ),
        Some(info) => {
            if vpc.region.node != project_region.node {
                out.push(
                    Diagnostic::new(Code::MC_VPC_REGION, format!("network link `{name}` uses a VPC in `{}`, but project `{}` is in `{}`", vpc.region.node, project.name.node, project_region.node))
                        .primary(link.vswitch.span, format!("this vSwitch is in `{}`", vpc.region.node))
                        .secondary(project_region.span, "the project's region")
                        .help(format!("put the network link in a VPC of `{}` and join that VPC to `{}` with a peering or CEN", project_region.node, vpc.name.node)),
                );
            } else if let Some(letter) = zone_letter(&vpc.region.node, &vs.zone.node) {
                if !info.maxcompute_vpc_zones.contains(&letter) {
                    let zones = vpc_scheme_zones(info).iter().map(|z| format!("`{z}`")).collect::<Vec<_>>().join(", ");
                    out.push(
                        Diagnostic::new(Code::MC_VPC_ZONE, format!("MaxCompute's VPC connection is not available in zone `{}`", vs.zone.node))
                            .primary(link.vswitch.span, format!("`{}` is in `{}`", vs.qualified, vs.zone.node))
                            .secondary(vs.zone.span, "the vSwitch's zone")
                            .help(format!("use a vSwitch in {zones}")),
                    );
                }
            }
        }
        None => {}
    }
    if vpc.account.node != account.node {
        let acc = |a: AccountId| m.accounts[a.index()].name.node.clone();
        out.push(
            Diagnostic::new(Code::MC_ACCOUNT, format!("network link `{name}` joins project `{}` (account `{}`) to a VPC of account `{}`", project.name.node, acc(account.node), acc(vpc.account.node)))
                .primary(link.vswitch.span, format!("this VPC belongs to `{}`", acc(vpc.account.node)))
                .secondary(account.span, "the project's account")
                .help("the VPC owner, the MaxCompute project and the target must be one Alibaba Cloud account; connect a VPC of the project's account and peer it with this one"),
        );
    }
    let sg = &m.security_groups[link.security_group.node.index()];
    if sg.kind.node != SgType::Basic {
        out.push(
            Diagnostic::new(
                Code::MC_SG_BASIC,
                format!(
                    "MaxCompute's security group `{}` is {}",
                    sg.qualified, sg.kind.node
                ),
            )
            .primary(
                link.security_group.span,
                "an advanced security group denies outbound traffic",
            )
            .secondary(sg.kind.span, "declared advanced here")
            .help(format!(
                "create a new basic security group in `{}` for MaxCompute",
                vpc.name.node
            )),
        );
    }
    if sg_users
        .get(&link.security_group.node)
        .copied()
        .unwrap_or(0)
        > 1
    {
        out.push(
            Diagnostic::new(Code::SG_SHARED, format!("MaxCompute's security group `{}` is also used elsewhere", sg.qualified))
                .primary(link.security_group.span, "shared with other resources")
                .help("give MaxCompute a new, unused basic security group; rules added for other resources would change what MaxCompute's ENIs can reach"),
        );
    }
}

fn internet_access(m: &Model, access: &InternetAccess, out: &mut Vec<Diagnostic>) {
    let project = &m.computes[access.maxcompute.node.index()];
    if let ComputeKind::MaxCompute { region: r, .. } = &project.kind {
        if region(&r.node).is_none_or(|i| !i.maxcompute_internet) {
            out.push(
                Diagnostic::new(Code::MC_INTERNET_REGION, format!("MaxCompute has no internet access scheme in `{}`", r.node))
                    .primary(access.maxcompute.span, format!("project `{}` is in `{}`", project.name.node, r.node))
                    .help("internet access exists in cn-beijing, cn-shanghai, cn-zhangjiakou, cn-wulanchabu, cn-hangzhou, cn-shenzhen, cn-hongkong, ap-northeast-1, ap-southeast-1, ap-southeast-3, ap-southeast-5, eu-central-1, us-west-1 and us-east-1"),
            );
        }
    }
    for e in &access.hosts {
        if let Host::Ipv6(a) = &e.host {
            out.push(
                Diagnostic::new(Code::IPV6_ACCESS, format!("`{a}` is an IPv6 address"))
                    .primary(
                        e.span,
                        "MaxCompute's internet access list takes no IPv6 addresses",
                    )
                    .help("use the host's domain name or its IPv4 address"),
            );
            continue;
        }
        if let Some(bad) = &e.bad_port {
            out.push(bad_port(e, bad));
            continue;
        }
        if e.port.is_none() {
            out.push(
                Diagnostic::new(Code::MISSING_PORT, format!("`{}` has no port", e.host))
                    .primary(e.span, "entries are `host:port`")
                    .help(format!(
                        "write `\"{}:443\"` (one entry per port: `\"{0}:80\"`, `\"{0}:443\"`)",
                        e.host
                    )),
            );
            continue;
        }
        if !auto_approved(&e.host) {
            out.push(
                Diagnostic::new(Code::NEEDS_APPLICATION, format!("`{}` is not under an auto-approved domain", e.host))
                    .primary(e.span, "this host needs an application")
                    .help("file the internet access application for this project; review takes about three business days")
                    .note("hosts under aliyuncs.com, aliyun.com, amap.com, dingtalk.com, alicloudapi.com, cainiao.com, alicdn.com, taobao.com, alibaba.com, alipaydev.com and alibabadns.com are approved at once"),
            );
        }
    }
}

/// An entry whose port is not a port: `0` or `99999` (NL2007), or a name such as `https`
/// (NL3008, with the number it stands for when it is a well-known one).
fn bad_port(e: &AccessEntry, bad: &str) -> Diagnostic {
    let shown = crate::text::quote(bad);
    if !bad.is_empty() && bad.bytes().all(|b| b.is_ascii_digit()) {
        return Diagnostic::new(
            Code::PORT_RANGE,
            format!("port `{shown}` of `{}` is outside 1-65535", e.host),
        )
        .primary(
            e.span,
            "entries are `host:port` with a port from 1 to 65535",
        )
        .help(format!(
            "write the port the host serves: `\"{}:443\"`",
            e.host
        ));
    }
    let known = match bad.to_ascii_lowercase().as_str() {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    };
    let help = match known {
        Some(n) => format!("write the number: `\"{}:{n}\"`", e.host),
        None => format!("write the port as a number: `\"{}:443\"`", e.host),
    };
    Diagnostic::new(
        Code::MISSING_PORT,
        format!("`{shown}` is not a port number"),
    )
    .primary(e.span, "entries are `host:port` with a numeric port")
    .help(help)
}

/// A whitelist entry that is one address inside a network link's vSwitch is an ENI address.
fn eni_whitelists(m: &Model, out: &mut Vec<Diagnostic>) {
    let links = Blocks::new(
        m.network_links
            .iter()
            .map(|l| (m.vswitches[l.vswitch.node.index()].cidr.node, l)),
    );
    for w in &m.whitelists {
        for e in &w.entries {
            if e.net.prefix_len() != 32 {
                continue;
            }
            let hit = links.holding(e.net.addr());
            if let Some((link, net)) = hit {
                out.push(
                    Diagnostic::new(
                        Code::ENI_IP_WHITELIST,
                        format!(
                            "`{}` looks like an ENI address of network link `{}`",
                            e.net.addr(),
                            link.name.node
                        ),
                    )
                    .primary(e.span, format!("inside the link's vSwitch {net}"))
                    .help(format!("whitelist the vSwitch block `{net}` instead"))
                    .note("MaxCompute's ENI addresses change when its configuration changes"),
                );
            }
        }
    }
}

fn internet_flow(m: &Model, ix: &Index, f: &Flow, out: &mut Vec<Diagnostic>) {
    let t = &m.targets[f.to.node.index()];
    let Placement::Internet(host) = &t.placement else {
        return;
    };
    for v in &f.via {
        if let Via::InternetAccess(a) = v.node {
            let access = &m.internet_accesses[a.index()];
            if access.maxcompute.node != f.from.node {
                let project = &m.computes[f.from.node.index()].name.node;
                out.push(
                    Diagnostic::new(
                        Code::VIA_MISMATCH,
                        format!(
                            "internet access `{}` belongs to another project",
                            access.name.node
                        ),
                    )
                    .primary(
                        v.span,
                        format!("not an internet access list of `{project}`"),
                    )
                    .secondary(access.maxcompute.span, "its project")
                    .help(format!(
                        "name an `internet_access` whose `maxcompute = {project}`, or remove `via`"
                    )),
                );
                return;
            }
        }
    }
    let project = &m.computes[f.from.node.index()].name.node;
    // Seed 000, scheme 1: the internet scheme serves UDF, Spark, MapReduce, PyODPS and Mars (and
    // the SQL that calls UDFs, and MaxFrame, F07); external tables and lakehouse read VPCs and
    // services, not internet hosts.
    for job in &f.jobs {
        if matches!(job.node, JobKind::ExternalTable | JobKind::Lakehouse) {
            out.push(
                Diagnostic::new(
                    Code::INTERNET_JOB,
                    format!("`{}` jobs do not reach internet host `{}`", job.node, t.name.node),
                )
                .primary(job.span, "not served by MaxCompute's internet scheme")
                .secondary(f.to.span, "an internet host")
                .help("reach the host from a `udf` or `spark` job, or copy its data to OSS and read that with an external table")
                .note("seed 000: the internet scheme serves UDF, Spark, MapReduce, PyODPS and Mars"),
            );
        }
    }
    // F03: no IPv6 in the list, so no entry can admit this flow; say so rather than suggest one.
    if let Host::Ipv6(a) = &host.node {
        out.push(
            Diagnostic::new(
                Code::IPV6_ACCESS,
                format!("project `{project}` cannot reach the IPv6 address `{a}`"),
            )
            .primary(f.to.span, "an IPv6 internet host")
            .secondary(host.span, "declared here")
            .help(format!(
                "give `{}` a domain name or an IPv4 address as its `host`",
                t.name.node
            ))
            .note("MaxCompute's internet access list takes no IPv6 addresses (seed 000)"),
        );
        return;
    }
    let accesses = crate::net::sites::access_lists(ix, f.from.node, f.via.iter().map(|v| v.node));
    // Every port of a range must be listed: the list takes single ports only.
    let listed_ports: std::collections::BTreeSet<u16> = accesses
        .iter()
        .flat_map(|a| m.internet_accesses[a.index()].hosts.iter())
        .filter(|e| e.host == host.node)
        .filter_map(|e| e.port)
        .collect();
    for port in crate::net::sites::flow_ports(m, f) {
        let listed = listed_ports.range(port.start..=port.end).count()
            == usize::from(port.end - port.start) + 1;
        if listed {
            continue;
        }
        let entry = if port.start == port.end {
            format!("\"{}:{}\"", host.node, port.start)
        } else {
            format!(
                "\"{0}:{1}\", ..., \"{0}:{2}\"",
                host.node, port.start, port.end
            )
        };
        let mut help = match accesses.first() {
            Some(a) => format!("add `{entry}` to `hosts` of internet_access `{}`", m.internet_accesses[a.index()].name.node),
            None => format!("declare `internet_access {project}_internet {{ maxcompute = {project}  hosts = [{entry}] }}`"),
        };
        if port.start != port.end {
            help.push_str(" (the list takes one `host:port` entry per port, no ranges)");
        }
        out.push(
            Diagnostic::new(
                Code::HOST_NOT_LISTED,
                format!("project `{project}` may not reach `{}:{port}`", host.node),
            )
            .primary(f.to.span, "not in the project's internet access list")
            .help(help),
        );
    }
}

fn link_flow(
    m: &Model,
    ix: &Index,
    f: &Flow,
    path: &FlowPath,
    project_account: AccountId,
    out: &mut Vec<Diagnostic>,
) {
    let project = &m.computes[f.from.node.index()].name.node;
    let site = target_site(m, f.to.node);
    let named_links: Vec<(NetworkLinkId, crate::source::Span)> = f
        .via
        .iter()
        .filter_map(|v| match v.node {
            Via::NetworkLink(l) => Some((l, v.span)),
            _ => None,
        })
        .collect();
    for (l, span) in &named_links {
        let link = &m.network_links[l.index()];
        if link.maxcompute.node != f.from.node {
            out.push(
                Diagnostic::new(
                    Code::VIA_MISMATCH,
                    format!(
                        "network link `{}` belongs to another project",
                        link.name.node
                    ),
                )
                .primary(*span, format!("not a network link of `{project}`"))
                .help(format!(
                    "name a network link whose `maxcompute = {project}`"
                )),
            );
            return;
        }
    }
    let links = &path.links;
    let target = &m.targets[f.to.node.index()];
    if links.is_empty() {
        let where_ = match site {
            TargetSite::Vpc(v) => format!(" in `{}`", m.vpcs[v.index()].name.node),
            _ => String::new(),
        };
        out.push(
            Diagnostic::new(Code::NO_NETWORK_LINK, format!("project `{project}` has no network link to reach `{}`", target.name.node))
                .primary(f.to.span, format!("`{}` is in a VPC; MaxCompute reaches VPCs through network links", target.name.node))
                .help(format!("declare a `network_link` for `{project}` with a vSwitch and a basic security group{where_}")),
        );
        return;
    }
    let via = via_connections(f);
    let Some(link) = path.link else {
        let l = &m.network_links[links[0].index()];
        let link_vpc = &m.vpcs[m.vswitches[l.vswitch.node.index()].vpc.index()];
        let joined_at_all = links.iter().any(|l| {
            let v = m.vswitches[m.network_links[l.index()].vswitch.node.index()].vpc;
            joins_to(ix, v, site).is_some()
        });
        if joined_at_all && !via.is_empty() {
            out.push(via_mismatch(
                m,
                f,
                &via,
                &link_vpc.name.node,
                &describe_site(m, site),
            ));
        } else {
            out.push(
                Diagnostic::new(Code::LINK_OTHER_VPC, format!("network link `{}` reaches only `{}`, but `{}` is in {}", l.name.node, link_vpc.name.node, target.name.node, describe_site(m, site)))
                    .primary(f.to.span, format!("not in `{}`", link_vpc.name.node))
                    .secondary(l.name.span, "the project's network link")
                    .help(format!("join `{}` to {} with a peering or CEN (Express Connect or VPN for a data centre) and name it in `via`, or add a network link in the target's VPC", link_vpc.name.node, describe_site(m, site))),
            );
        }
        return;
    };
    let l = &m.network_links[link.index()];
    super::security::target_group(
        m,
        f,
        m.vswitches[l.vswitch.node.index()].cidr.node,
        Some(l.security_group.node),
        out,
    );
    if let Some(acc) = target_account(m, f.to.node) {
        if acc != project_account {
            let name = |a: AccountId| m.accounts[a.index()].name.node.clone();
            out.push(
                Diagnostic::new(Code::MC_ACCOUNT, format!("`{}` belongs to account `{}`, project `{project}` to `{}`", target.name.node, name(acc), name(project_account)))
                    .primary(f.to.span, "the target is in another account")
                    .help("a network link needs the VPC owner, the project and the target in one account; move the project or use a DataWorks resource group with cross-account access"),
            );
        }
    }
}

pub(super) fn via_mismatch(
    m: &Model,
    f: &Flow,
    via: &[(ConnectionId, crate::source::Span)],
    from: &str,
    to: &str,
) -> Diagnostic {
    let (c, span) = via[0];
    Diagnostic::new(
        Code::VIA_MISMATCH,
        format!(
            "`{}` does not join `{from}` and {to}",
            m.connections[c.index()].name.node
        ),
    )
    .primary(span, "named in `via`")
    .secondary(f.to.span, format!("the target is in {to}"))
    .help(format!(
        "name a peering, CEN or VPN gateway that joins `{from}` to {to}, or remove `via` to let netlink find it"
    ))
}

fn service_flow(m: &Model, ix: &Index, f: &Flow, out: &mut Vec<Diagnostic>) {
    let t = &m.targets[f.to.node.index()];
    let Placement::Service { region, endpoint } = &t.placement else {
        return;
    };
    let jobs = f.job_kinds(m);
    let oss_like = matches!(t.kind, SymbolKind::Oss | SymbolKind::Tablestore);
    if let Some(ep) = endpoint {
        let wrong = |want: EndpointType, job: &str, why: &str| {
            Diagnostic::new(
                Code::WRONG_ENDPOINT,
                format!(
                    "`{}` jobs reach {} `{}` only through its {want} endpoint",
                    job, t.kind, t.name.node
                ),
            )
            .primary(ep.span, format!("`{}` is set here", ep.node))
            .secondary(f.name.span, "the flow")
            .help(format!(
                "write `endpoint = {want}` on `{}`, or split the flow by job kind",
                t.name.node
            ))
            .note(why.to_string())
        };
        if oss_like && jobs.contains(&JobKind::Udf) && ep.node != EndpointType::Public {
            out.push(wrong(EndpointType::Public, "udf", "UDFs run outside MaxCompute's internal network and reach OSS and Tablestore over the public endpoint (seed 000)"));
        }
        if oss_like && jobs.contains(&JobKind::ExternalTable) && ep.node != EndpointType::Classic {
            out.push(wrong(EndpointType::Classic, "external_table", "external tables read OSS and Tablestore through the internal (classic network) endpoint (seed 000)"));
        }
        if t.kind == SymbolKind::Hologres
            && jobs.contains(&JobKind::ExternalTable)
            && ep.node != EndpointType::Classic
        {
            out.push(wrong(
                EndpointType::Classic,
                "external_table",
                "Hologres external tables support only the classic network endpoint (seed 000)",
            ));
        }
    }
    if oss_like && jobs.contains(&JobKind::Udf) {
        let (host, wanted) = public_endpoint(t, &region.node);
        let listed = ix.access_of_project.get(&f.from.node).is_some_and(|list| {
            list.iter().any(|a| {
                m.internet_accesses[a.index()].hosts.iter().any(|e| {
                    matches!(&e.host, Host::Domain(d) if wanted.matches(d)) && e.port.is_some()
                })
            })
        });
        if !listed {
            let project = &m.computes[f.from.node.index()].name.node;
            out.push(
                Diagnostic::new(Code::ENDPOINT_NOT_LISTED, format!("UDFs of `{project}` reach `{}` through `{host}`, which the project may not reach", t.name.node))
                    .primary(f.to.span, "UDF access goes over the public endpoint")
                    .help(format!("add `\"{host}:443\"` to an `internet_access` of `{project}`")),
            );
        }
    }
}

/// Which internet access entries name a service's public endpoint.
enum EndpointHost {
    /// Exactly this host, or a bucket under it (`<bucket>.oss-<region>.aliyuncs.com`).
    OssRegion(String),
    /// Exactly this host.
    Exact(String),
    /// Any host ending so (a Tablestore instance whose name the project does not give).
    Suffix(String),
}

impl EndpointHost {
    fn matches(&self, d: &str) -> bool {
        match self {
            EndpointHost::OssRegion(h) => {
                d == h || d.strip_suffix(h.as_str()).is_some_and(|p| p.ends_with('.'))
            }
            EndpointHost::Exact(h) => d == h,
            EndpointHost::Suffix(s) => d.ends_with(s.as_str()),
        }
    }
}

/// The public endpoint a UDF uses for OSS or Tablestore, as shown to the user and as matched.
fn public_endpoint(t: &Target, region: &str) -> (String, EndpointHost) {
    match (&t.kind, &t.detail) {
        (SymbolKind::Oss, _) => {
            let h = format!("oss-{region}.aliyuncs.com");
            (h.clone(), EndpointHost::OssRegion(h))
        }
        (_, TargetDetail::Instance { instance: Some(i) }) => {
            let h = format!("{}.{region}.ots.aliyuncs.com", i.node);
            (h.clone(), EndpointHost::Exact(h))
        }
        _ => {
            let suffix = format!(".{region}.ots.aliyuncs.com");
            (format!("<instance>{suffix}"), EndpointHost::Suffix(suffix))
        }
    }
}
