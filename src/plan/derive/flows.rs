//! From each flow: the routes on both sides, the whitelist entries and security-group rules on
//! the target (and on the compute's advanced group), data-source registration, job settings and
//! the closing connectivity test.

use super::jobs::{access_line, AccessList};
use super::joins::{idc_route, vpc_route};
use super::links::{add_rule, binding_id};
use super::{target_block, ticket};
use crate::model::*;
use crate::net::sites::{target_site, TargetSite};
use crate::net::Network;
use crate::plan::step::Console;
use crate::plan::{
    cidr_id, JobRow, Origin, Planner, SgRuleRow, Step, TableRef, Val, WhitelistItem, WhitelistRow,
};
use crate::resolve::SymbolKind;
use ipnet::Ipv4Net;

/// Who starts a flow, as the network sees it.
struct Source {
    /// The VPC the traffic leaves from (none for MaxCompute over the internet).
    vpc: Option<VpcId>,
    /// The source address block whitelisted on the target.
    net: Option<Ipv4Net>,
    /// The source's security group (for group-to-group rules in one VPC).
    group: Option<SgId>,
    /// Steps that must precede anything the flow adds.
    ready: Vec<usize>,
}

pub(super) fn flow(p: &mut Planner<'_>, net: &Network, id: FlowId) {
    let m = p.m;
    let f = &m.flows[id.index()];
    match &m.computes[f.from.node.index()].kind {
        ComputeKind::MaxCompute { .. } => maxcompute(p, net, id),
        ComputeKind::ResourceGroup { .. } | ComputeKind::Client { .. } => vpc_compute(p, net, id),
    }
}

fn flow_span(m: &Model, id: FlowId) -> crate::source::Span {
    m.flows[id.index()].name.span
}

fn origin(m: &Model, id: FlowId) -> BlockRef {
    m.flow_block(id)
}

/// The steps of the route entries the flow's path needs, both ways (the path lists them).
fn join(p: &mut Planner<'_>, net: &Network, id: FlowId) -> Vec<usize> {
    let path = net.path(id);
    let (Some(conn), Some(from_vpc)) = (path.connection, path.source.vpc) else {
        return Vec::new(); // nothing to cross, or the checker reported the missing path
    };
    // Route steps wait for the connection to carry traffic between the two VPCs.
    let mut ready = vec![from_vpc];
    if let TargetSite::Vpc(v) = path.site {
        ready.push(v);
    }
    let mut steps = Vec::new();
    for r in &path.routes {
        steps.extend(match r.table {
            TableRef::Vpc(v) => vpc_route(p, v, r.destination, conn, id, &ready),
            TableRef::ResourceGroup(rg) => rg_route(p, rg, r.destination, conn, id),
            TableRef::Idc(t) => idc_route(p, t, r.destination, conn, id),
            // A transit router learns the blocks of its attachments (propagated rows).
            TableRef::TransitRouter(..) => None,
        });
    }
    steps
}

/// Seed 004 step 3: a custom route in the resource group to the data source's block.
fn rg_route(
    p: &mut Planner<'_>,
    rg: ComputeId,
    dest: Ipv4Net,
    conn: ConnectionId,
    id: FlowId,
) -> Option<usize> {
    let m = p.m;
    let c = &m.computes[rg.index()];
    let ComputeKind::ResourceGroup {
        account, vswitch, ..
    } = &c.kind
    else {
        return None;
    };
    let vpc = m.vpc_of_vswitch(vswitch.node);
    let hop = crate::net::hop_of(m, conn);
    let step = Step {
        id: format!("resource_group.{}.route.{}", c.name.node, cidr_id(&dest)),
        title: format!("Add custom route {dest} to resource group {}", crate::text::code(&c.name.node)),
        action: "add-custom-route",
        account: Some(account.node),
        region: Some(vpc.region.node.clone()),
        console: Console::DataWorks,
        path: format!("DataWorks console → Resource Groups → {} → Network Settings → {} → Custom Route → Add Route", crate::text::code(&c.name.node), crate::text::code(&vpc.name.node)).into(),
        values: vec![("connection method", Val::text("CIDR Block")), ("destination CIDR block", Val::text(dest.to_string()))],
        manual: None,
        origin: origin(m, id),
        span: flow_span(m, id),
    };
    let i = p.route(
        TableRef::ResourceGroup(rg),
        dest,
        hop,
        Origin::Flow(id),
        Some(step),
    )?;
    if let Some(b) = p.find(&binding_id(m, rg)) {
        p.dep(i, b, "custom routes belong to the VPC binding");
    }
    let mut vpcs = vec![vpc_of(m, vswitch.node)];
    if let TargetSite::Vpc(v) = target_site(m, m.flows[id.index()].to.node) {
        vpcs.push(v);
    }
    for (s, why) in super::joins::ready_steps(p, conn, &vpcs) {
        p.dep(i, s, why);
    }
    Some(i)
}

/// Whitelist `item` on the flow's target (if it takes a whitelist).
fn whitelist(
    p: &mut Planner<'_>,
    id: FlowId,
    item: WhitelistItem,
    why: String,
    warning: Option<&'static str>,
    after: &[usize],
) -> Option<usize> {
    let m = p.m;
    let f = &m.flows[id.index()];
    let t = &m.targets[f.to.node.index()];
    if !t.whitelist {
        return None;
    }
    let (account, console, path, region) = super::whitelist_place(m, t);
    let text = match &item {
        WhitelistItem::Cidr(c) => c.to_string(),
        WhitelistItem::Pending(s) => s.clone(),
    };
    let step = Step {
        id: format!("whitelist.{}.{}", t.name.node, crate::plan::slug(&text)),
        title: format!("Whitelist {text} on {}", crate::text::code(&t.name.node)),
        action: "add-whitelist",
        account,
        region,
        console,
        path: path.into(),
        values: match warning.and_then(caution) {
            Some(c) => vec![
                ("entry", Val::text(text.clone())),
                ("caution", Val::text(c)),
            ],
            None => vec![("entry", Val::text(text.clone()))],
        },
        // Outside Alibaba Cloud the target's owners add the entry themselves.
        manual: account.is_none().then_some(crate::plan::Manual {
            kind: "on-premises",
            lead_time: None,
            deadline: None,
        }),
        origin: origin(m, id),
        span: f.to.span,
    };
    let row = WhitelistRow {
        target: f.to.node,
        item,
        why,
        warning,
        origins: vec![Origin::Flow(id)],
        step: 0,
    };
    let i = p.whitelist(row, step);
    for a in after {
        p.dep(
            i,
            *a,
            "the entry admits traffic the earlier steps make possible",
        );
    }
    Some(i)
}

/// What a whitelist entry's warning means, for the person adding it (the warning's key is in
/// `whitelists.json`).
fn caution(warning: &str) -> Option<&'static str> {
    match warning {
        // Seed 000 (F08).
        "maxcompute-ip-may-change" => Some("MaxCompute's outbound IP addresses may change, and the target then refuses MaxCompute; seed 000 advises not enabling access control on the target"),
        // Seed 003 (F34).
        "eip-may-change" => Some("the EIP may change (a resource group scaled out, an EIP rebound): review this entry after such changes"),
        _ => None,
    }
}

/// Rules on the target's security group (if netlink manages it) admitting the source.
fn target_rules(
    p: &mut Planner<'_>,
    net: &Network,
    id: FlowId,
    src: &Source,
    emr_icmp: bool,
) -> Vec<usize> {
    let m = p.m;
    let f = &m.flows[id.index()];
    let t = &m.targets[f.to.node.index()];
    let mut out = Vec::new();
    let Some(g) = &t.security_group else {
        return out;
    };
    let sg = &m.security_groups[g.node.index()];
    if !sg.managed {
        return out;
    }
    // A group reference works inside one VPC; across a connection the source block is named.
    let same_vpc = src.vpc == Some(sg.vpc);
    let peer = match (src.group, same_vpc, src.net) {
        (Some(gr), true, _) => RulePeer::Group(gr),
        (_, _, Some(n)) => RulePeer::Cidr(n),
        (Some(gr), _, None) => RulePeer::Group(gr),
        (None, _, None) => return out,
    };
    let mut wanted: Vec<(Protocol, PortRange)> = net
        .path(id)
        .ports
        .iter()
        .map(|p| (Protocol::Tcp, *p))
        .collect();
    if emr_icmp {
        wanted.insert(0, (Protocol::Icmp, PortRange::ALL));
    }
    for (protocol, ports) in wanted {
        let row = SgRuleRow {
            group: g.node,
            direction: Direction::Ingress,
            protocol,
            ports,
            peer,
            priority: 1,
            action: Action::Allow,
            why: format!(
                "flow `{}` reaches `{}` on {}",
                f.name.node,
                t.name.node,
                if protocol == Protocol::Icmp {
                    "ICMP (ping)".to_string()
                } else {
                    ports.to_string()
                }
            ),
            origins: vec![Origin::Flow(id)],
            step: None,
        };
        if let Some(i) = add_rule(p, row, f.to.span) {
            for r in &src.ready {
                p.dep(i, *r, "the source exists before it is admitted");
            }
            out.push(i);
        }
    }
    out
}

fn maxcompute(p: &mut Planner<'_>, net: &Network, id: FlowId) {
    let m = p.m;
    let f = &m.flows[id.index()];
    let t = &m.targets[f.to.node.index()];
    let jobs = f.job_kinds(m);
    let mut done: Vec<usize> = Vec::new();
    match target_site(m, f.to.node) {
        TargetSite::Vpc(_) | TargetSite::Idc(_) => {
            let Some(link_id) = net.path(id).link else {
                return;
            };
            let link = &m.network_links[link_id.index()];
            let vs = &m.vswitches[link.vswitch.node.index()];
            let Some(create) = p.find(&format!("network_link.{}.create", link.name.node)) else {
                return;
            };
            let src = Source {
                vpc: Some(vs.vpc),
                net: Some(vs.cidr.node),
                group: Some(link.security_group.node),
                ready: vec![create],
            };
            let routes = join(p, net, id);
            done.extend(routes.iter().copied());
            // Seed 000 (F12): MaxCompute's group admits return traffic from the target's block;
            // the link's own VPC block is admitted when the link is made.
            if target_site(m, f.to.node) != TargetSite::Vpc(vs.vpc) {
                for dest in &net.path(id).dests {
                    let row = SgRuleRow {
                        group: link.security_group.node,
                        direction: Direction::Ingress,
                        protocol: Protocol::All,
                        ports: PortRange::ALL,
                        peer: RulePeer::Cidr(*dest),
                        priority: 1,
                        action: Action::Allow,
                        why: format!(
                            "return traffic from `{}` in another VPC reaches network link `{}`",
                            t.name.node, link.name.node
                        ),
                        origins: vec![Origin::Flow(id)],
                        step: None,
                    };
                    if let Some(r) = add_rule(p, row, f.to.span) {
                        p.dep(r, create, "the link's group exists once the link is made");
                        done.push(r);
                    }
                }
            }
            done.extend(target_rules(p, net, id, &src, false));
            done.extend(whitelist(p, id, WhitelistItem::Cidr(vs.cidr.node), format!("network link `{}` (vSwitch `{}`; its ENI addresses change, so the block is listed)", link.name.node, vs.qualified), None, &[create]));
            done.push(create);
            let region = &m.vpcs[vs.vpc.index()].region.node;
            let vpc_id = m.vpcs[vs.vpc.index()]
                .id
                .as_ref()
                .map(|i| i.node.clone())
                .unwrap_or_else(|| format!("<id of vpc {}>", m.vpcs[vs.vpc.index()].name.node));
            for job in &jobs {
                let settings = match job {
                    JobKind::Sql | JobKind::Udf => {
                        vec![format!("set odps.session.networklink={};", link.name.node)]
                    }
                    JobKind::ExternalTable => {
                        vec![format!("TBLPROPERTIES('networklink'='{}')", link.name.node)]
                    }
                    JobKind::Lakehouse => vec![format!(
                        "networklink = {} (external data source / lakehouse setting)",
                        link.name.node
                    )],
                    JobKind::Spark => vec![
                        "spark.hadoop.odps.cupid.eni.enable = true".to_string(),
                        format!("spark.hadoop.odps.cupid.eni.info={region}:{vpc_id}"),
                    ],
                    JobKind::Maxframe => vec![format!(
                        "options.sql.settings = {{\"odps.session.networklink\": \"{}\"}}",
                        link.name.node
                    )],
                    JobKind::DataSync => continue,
                };
                let mut notes =
                    vec!["failover may rerun tasks: prefer read-only access".to_string()];
                if matches!(job, JobKind::Sql | JobKind::Udf) {
                    // Seed 000: "this setting is valid only for the current session".
                    notes.push("`odps.session.networklink` lasts for one session: set it in every session that reads the target".to_string());
                }
                notes.extend(proxy_notes(*job));
                if f.mode.node == Mode::Write {
                    notes.push("this flow writes: make the writes idempotent".to_string());
                }
                p.job(JobRow {
                    flow: id,
                    job: *job,
                    scheme: "network_link",
                    settings,
                    endpoint: None,
                    notes,
                });
            }
        }
        TargetSite::Internet => {
            let Placement::Internet(host) = &t.placement else {
                return;
            };
            let ports = &net.path(id).ports;
            // The access list takes single ports: a range is every port in it.
            let list: Vec<String> = ports
                .iter()
                .flat_map(|p| (p.start..=p.end).map(|x| format!("{}:{x}", host.node)))
                .collect();
            let joined = list.join(",");
            for port in ports {
                done.extend(access_steps(p, net, id, |h, p2| {
                    h == &host.node && port.start <= p2 && p2 <= port.end
                }));
            }
            if t.whitelist {
                let c = &m.computes[f.from.node.index()];
                let ComputeKind::MaxCompute {
                    account, region, ..
                } = &c.kind
                else {
                    return;
                };
                let ask = p.step(Step {
                    id: format!("maxcompute.{}.outbound_ip", c.name.node),
                    title: format!("Ask for the outbound public IP addresses of MaxCompute in {}", crate::text::code(&region.node)),
                    action: "submit-ticket",
                    account: Some(account.node),
                    region: Some(region.node.clone()),
                    console: Console::Ticket,
                    path: "Alibaba Cloud support → Submit a ticket (MaxCompute: outbound internet IP addresses)".into(),
                    values: vec![
                        ("project", Val::text(project_name(c))),
                        ("caution", Val::text("the addresses may change; seed 000 advises not enabling access control on the target (F08)")),
                    ],
                    manual: ticket("answered by MaxCompute support"),
                    origin: super::compute_block(m, f.from.node),
                    span: f.from.span,
                });
                done.extend(whitelist(
                    p,
                    id,
                    WhitelistItem::Pending(format!("MaxCompute outbound IPs ({})", region.node)),
                    format!(
                        "project `{}` reaches `{}` over the internet",
                        c.name.node, t.name.node
                    ),
                    Some("maxcompute-ip-may-change"),
                    &[ask],
                ));
            }
            for job in &jobs {
                let settings = match job {
                    JobKind::Sql | JobKind::Udf => {
                        vec![access_line(AccessList::Session, &joined)]
                    }
                    // Not served by the internet scheme: refused by `check` (NL3019).
                    JobKind::ExternalTable | JobKind::Lakehouse => continue,
                    JobKind::Spark => vec![
                        "spark.hadoop.odps.cupid.smartnat.enable = true".to_string(),
                        access_line(AccessList::Spark, &joined),
                    ],
                    JobKind::Maxframe => vec![access_line(AccessList::Maxframe, &joined)],
                    JobKind::DataSync => continue,
                };
                p.job(JobRow {
                    flow: id,
                    job: *job,
                    scheme: "internet",
                    settings,
                    endpoint: None,
                    notes: {
                        let mut notes = proxy_notes(*job);
                        // Seed 000 and 001, the disclaimer.
                        notes.insert(1, "the outbound proxy IP addresses are limited in number: for connection errors that come from it, contact Alibaba Cloud support".to_string());
                        notes
                    },
                });
            }
        }
        TargetSite::Service => {
            let Placement::Service { region, .. } = &t.placement else {
                return;
            };
            if jobs.contains(&JobKind::Udf)
                && matches!(t.kind, SymbolKind::Oss | SymbolKind::Tablestore)
            {
                // Seed 000 (and 001), F21: a UDF reaches OSS or Tablestore only by the public
                // endpoint, which a ticket adds to MaxCompute's whitelist.
                let (_, public) = endpoint(t, &region.node, JobKind::Udf);
                let c = &m.computes[f.from.node.index()];
                if let ComputeKind::MaxCompute {
                    account,
                    region: project_region,
                    ..
                } = &c.kind
                {
                    done.push(p.step(Step {
                        id: format!("maxcompute.{}.endpoint.{}", c.name.node, t.name.node),
                        title: format!(
                            "Ask MaxCompute support to add {} to the whitelist of {}",
                            crate::text::code(&public),
                            crate::text::code(&c.name.node)
                        ),
                        action: "submit-ticket",
                        account: Some(account.node),
                        region: Some(project_region.node.clone()),
                        console: Console::Ticket,
                        path: "Alibaba Cloud support → Submit a ticket (MaxCompute: add an OSS or Tablestore public endpoint to the whitelist)".into(),
                        values: vec![
                            ("project", Val::text(project_name(c))),
                            ("public endpoint", Val::text(format!("{public}:443"))),
                        ],
                        manual: ticket("answered by MaxCompute support"),
                        origin: origin(m, id),
                        span: f.to.span,
                    }));
                }
            }
            if jobs.contains(&JobKind::Udf) {
                let (_, public) = endpoint(t, &region.node, JobKind::Udf);
                let suffix = public
                    .split_once('.')
                    .map(|(_, rest)| format!(".{rest}"))
                    .unwrap_or_default();
                done.extend(access_steps(p, net, id, |h, _| match h {
                    Host::Domain(d) => {
                        *d == public
                            || (t.kind == SymbolKind::Oss && d.ends_with(&format!(".{public}")))
                            || (public.starts_with('<') && d.ends_with(&suffix))
                    }
                    _ => false,
                }));
            }
            for job in &jobs {
                let (ep, host) = endpoint(t, &region.node, *job);
                let mut settings = Vec::new();
                if *job == JobKind::Udf {
                    settings.push(access_line(AccessList::Session, &format!("{host}:443")));
                }
                p.job(JobRow {
                    flow: id,
                    job: *job,
                    scheme: "endpoint",
                    settings,
                    endpoint: Some((ep, host)),
                    notes: {
                        let mut notes = proxy_notes(*job);
                        if t.kind == SymbolKind::Hologres {
                            notes.insert(
                                0,
                                "Hologres answers on port 80 of this endpoint".to_string(),
                            );
                        }
                        notes
                    },
                });
            }
        }
    }
    let settings = settings_step(p, id, &done);
    test_step(
        p,
        id,
        &[settings],
        "Run a test job with the settings in jobs.json",
        Console::MaxCompute,
        "MaxCompute console → SQL / DataWorks → run a query against the target",
    );
}

/// Seed 000's cautions for every scheme (F24, F25): requests pass a proxy that forwards a limited
/// number of them, and no bandwidth is guaranteed. Its FAQ (F26) for UDF and Spark tasks: resolve
/// names at start-up (concurrent lookups fail), and set the Host header when reaching HTTPS
/// services such as KMS or OSS by IP address.
fn proxy_notes(job: JobKind) -> Vec<String> {
    let mut notes = vec![
        "requests pass a proxy that forwards a limited number: keep connections persistent and the number of nodes bounded; no bandwidth is guaranteed".to_string(),
    ];
    if job == JobKind::Lakehouse {
        // Seed 000, prerequisites.
        notes.push(
            "lakehouse needs the project's data type edition set to Hive-compatible".to_string(),
        );
    }
    if matches!(job, JobKind::Udf | JobKind::Spark) {
        notes.push("resolve host names once when the task starts (concurrent DNS lookups may fail); for HTTPS by IP address (KMS, OSS, ...) set the Host header to the domain name".to_string());
    }
    notes.push(FROM_DATAWORKS.to_string());
    notes
}

/// Seed 000 (F25): a MaxCompute job started from DataWorks also runs on a DataWorks resource
/// group, which needs its own connection to the target.
pub(super) const FROM_DATAWORKS: &str = "if the job is started from DataWorks (sync or cleansing in its console), the DataWorks resource group needs its own connection to the target too, and the target's address in DataWorks' sandbox whitelist if that is restricted (a flow from the resource group plans it)";

/// The job settings of a MaxCompute flow, as one step (the lines are in `jobs.json` too).
fn settings_step(p: &mut Planner<'_>, id: FlowId, after: &[usize]) -> usize {
    let m = p.m;
    let f = &m.flows[id.index()];
    let c = &m.computes[f.from.node.index()];
    let (account, region) = match &c.kind {
        ComputeKind::MaxCompute {
            account, region, ..
        } => (Some(account.node), Some(region.node.clone())),
        _ => (None, None),
    };
    // One job reaching several targets has one settings step; `jobs::merge_jobs` fills it.
    let values = super::jobs::settings_values(p, &[id]);
    let block = f.block_name();
    let i = p.step(Step {
        id: format!("flow.{}.settings", block.node),
        title: format!("Use the connection in {} jobs (flow {})", crate::text::code(&c.name.node), crate::text::code(&block.node)),
        action: "set-job-settings",
        account,
        region,
        console: Console::MaxCompute,
        path: "MaxCompute: the SQL session, the external table DDL, the Spark configuration or the MaxFrame session (see jobs.json)".into(),
        values,
        manual: None,
        origin: origin(m, id),
        span: f.name.span,
    });
    for a in after {
        p.dep(i, *a, "jobs use the connection once it exists");
    }
    i
}

/// Seed 000 (F20-F22): which endpoint a job kind uses for OSS, Tablestore and Hologres.
fn endpoint(t: &Target, region: &str, job: JobKind) -> (EndpointType, String) {
    let instance = match &t.detail {
        TargetDetail::Instance { instance: Some(i) } => i.node.clone(),
        _ => "<instance>".to_string(),
    };
    let public = job == JobKind::Udf;
    match (t.kind, public) {
        (SymbolKind::Oss, true) => (EndpointType::Public, format!("oss-{region}.aliyuncs.com")),
        (SymbolKind::Oss, false) => (
            EndpointType::Classic,
            format!("oss-{region}-internal.aliyuncs.com"),
        ),
        (SymbolKind::Tablestore, true) => (
            EndpointType::Public,
            format!("{instance}.{region}.ots.aliyuncs.com"),
        ),
        (SymbolKind::Tablestore, false) => (
            EndpointType::Classic,
            format!("{instance}.{region}.ots-internal.aliyuncs.com"),
        ),
        (SymbolKind::Hologres, _) => (
            EndpointType::Classic,
            format!("{instance}-{region}-internal.hologres.aliyuncs.com"),
        ),
        _ => (EndpointType::Vpc, format!("dlf-vpc.{region}.aliyuncs.com")),
    }
}

fn vpc_compute(p: &mut Planner<'_>, net: &Network, id: FlowId) {
    let m = p.m;
    let f = &m.flows[id.index()];
    let c = &m.computes[f.from.node.index()];
    let t = &m.targets[f.to.node.index()];
    let (vswitch, group, rg, eip) = match &c.kind {
        ComputeKind::ResourceGroup {
            vswitch,
            security_group,
            eip,
            kind,
            ..
        } => (
            vswitch.node,
            security_group.as_ref().map(|g| g.node),
            Some(f.from.node),
            (kind.node == RgKind::Exclusive)
                .then_some(eip.as_ref().map(|e| e.node))
                .flatten(),
        ),
        ComputeKind::Client {
            vswitch,
            security_group,
            ..
        } => (
            vswitch.node,
            security_group.as_ref().map(|g| g.node),
            None,
            None,
        ),
        ComputeKind::MaxCompute { .. } => return,
    };
    let exclusive = matches!(&c.kind, ComputeKind::ResourceGroup { kind, .. } if kind.node == RgKind::Exclusive);
    let vs = &m.vswitches[vswitch.index()];
    let mut ready = Vec::new();
    if rg.is_some() {
        ready.extend(p.find(&binding_id(m, f.from.node)));
    }
    let src = Source {
        vpc: Some(vs.vpc),
        net: Some(vs.cidr.node),
        group,
        ready: ready.clone(),
    };
    let mut done = ready.clone();
    let site = target_site(m, f.to.node);
    match site {
        TargetSite::Internet => {
            // Serverless: the NAT gateway's EIP; exclusive: the group's own EIP (seed 003, F34).
            let nat = net.path(id).nat.map(|n| &m.nat_gateways[n.index()]);
            // No entry: nothing on the target to add (the checks reported what is missing).
            let entry = match (nat, eip) {
                (_, Some(e)) => Some((
                    WhitelistItem::Cidr(Ipv4Net::from(e)),
                    format!("EIP of exclusive resource group `{}`", c.name.node),
                    Vec::new(),
                )),
                (_, None) if exclusive && t.whitelist => {
                    // Seed 003: the old-version group's own EIP, read from its details.
                    let look = p.step(Step {
                        id: format!("resource_group.{}.eip", c.name.node),
                        title: format!("Read the EIP of exclusive resource group {}", crate::text::code(&c.name.node)),
                        action: "read-eip",
                        account: Some(m.vpc_of_vswitch(vswitch).account.node),
                        region: Some(m.vpc_of_vswitch(vswitch).region.node.clone()),
                        console: Console::DataWorks,
                        path: "DataWorks console → Resource Groups → Exclusive Resource Groups → the group → Details → Basic Information → EIPAddress".into(),
                        values: vec![("resource group", Val::text(c.name.node.clone()))],
                        manual: None,
                        origin: super::compute_block(m, f.from.node),
                        span: f.from.span,
                    });
                    Some((
                        WhitelistItem::Pending(format!("EIP of {}", c.name.node)),
                        format!("EIP of exclusive resource group `{}`", c.name.node),
                        vec![look],
                    ))
                }
                // Without a whitelist on the target the group's own EIP needs no step.
                (_, None) if exclusive => None,
                (Some(n), None) => {
                    let item = match &n.eip {
                        Some(e) => WhitelistItem::Cidr(Ipv4Net::from(e.node)),
                        None => WhitelistItem::Pending(format!("EIP of {}", n.name.node)),
                    };
                    let snat = p.find(&format!(
                        "nat_gateway.{}.snat.{}",
                        n.name.node, vs.qualified
                    ));
                    Some((
                        item,
                        format!(
                            "`{}` reaches the internet through NAT gateway `{}`",
                            c.name.node, n.name.node
                        ),
                        snat.into_iter().collect(),
                    ))
                }
                (None, None) => None,
            };
            if let Some((item, why, after)) = entry {
                done.extend(after.iter().copied());
                done.extend(whitelist(p, id, item, why, Some("eip-may-change"), &after));
            }
        }
        TargetSite::Vpc(_) | TargetSite::Idc(_) => {
            let routes = join(p, net, id);
            done.extend(routes.iter().copied());
            let emr_client = t.kind == SymbolKind::Hadoop && rg.is_none();
            done.extend(target_rules(p, net, id, &src, emr_client));
            done.extend(whitelist(
                p,
                id,
                WhitelistItem::Cidr(vs.cidr.node),
                format!("vSwitch `{}` of `{}`", vs.qualified, c.name.node),
                None,
                &ready,
            ));
            if let TargetSite::Vpc(v) = site {
                if v != vs.vpc && t.kind == SymbolKind::Hadoop {
                    done.extend(privatezone(p, id, vs.vpc, &routes));
                }
            }
        }
        TargetSite::Service => {}
    }
    done.extend(own_group_rules(p, net, id, vswitch, group, &ready));
    if let Some(rg) = rg {
        data_source(p, id, rg, &mut done);
        test_step(p, id, &done, "Test network connectivity from the resource group", Console::DataWorks, "DataWorks console → Data Integration → Data Sources → the source → Test Network Connectivity (choose the resource group)");
    } else {
        test_step(p, id, &done, "From the client, ping the endpoint and connect to the service ports", Console::Ecs, "on the ECS instance or ACK pod: `ping <endpoint>`, then connect to each port; /etc/resolv.conf must list 100.100.2.136 and 100.100.2.138");
    }
}

/// Seed 002 (F47): another VPC resolves EMR endpoints only after EMR associates its PrivateZone.
fn privatezone(
    p: &mut Planner<'_>,
    id: FlowId,
    client_vpc: VpcId,
    routes: &[usize],
) -> Option<usize> {
    let m = p.m;
    let f = &m.flows[id.index()];
    let t = &m.targets[f.to.node.index()];
    let TargetDetail::Hadoop { cluster_id, .. } = &t.detail else {
        return None;
    };
    let Placement::Vpc(vs) = &t.placement else {
        return None;
    };
    let vpc = m.vpc_of_vswitch(vs.node);
    let cv = &m.vpcs[client_vpc.index()];
    let i = p.step(Step {
        id: format!("emr.{}.privatezone.{}", t.name.node, cv.name.node),
        title: format!(
            "Ask EMR to associate cluster {}'s PrivateZone with {}",
            crate::text::code(&cluster_id.node),
            crate::text::code(&cv.name.node)
        ),
        action: "submit-ticket",
        account: Some(vpc.account.node),
        region: Some(vpc.region.node.clone()),
        console: Console::Ticket,
        path: "Alibaba Cloud support → Submit a ticket to EMR (PrivateZone association)".into(),
        values: vec![
            ("cluster", Val::text(cluster_id.node.clone())),
            ("VPC to associate", super::vpc_val(m, client_vpc)),
        ],
        manual: ticket("answered by EMR support"),
        origin: target_block(m, f.to.node),
        span: f.to.span,
    });
    for r in routes {
        p.dep(i, *r, "name resolution matters once packets can flow");
    }
    Some(i)
}

/// Seed 003 (F32): an advanced group netlink manages gets egress to the target and ingress from
/// its own vSwitch block.
fn own_group_rules(
    p: &mut Planner<'_>,
    net: &Network,
    id: FlowId,
    vswitch: VSwitchId,
    group: Option<SgId>,
    ready: &[usize],
) -> Vec<usize> {
    let m = p.m;
    let mut out = Vec::new();
    let Some(g) = group else { return out };
    let sg = &m.security_groups[g.index()];
    if !sg.managed || sg.kind.node != SgType::Advanced {
        return out;
    }
    let f = &m.flows[id.index()];
    let path = net.path(id);
    for &dest in &path.dests {
        for &ports in &path.ports {
            out.extend(add_rule(
                p,
                SgRuleRow {
                    group: g,
                    direction: Direction::Egress,
                    protocol: Protocol::Tcp,
                    ports,
                    peer: RulePeer::Cidr(dest),
                    priority: 1,
                    action: Action::Allow,
                    why: format!("advanced group: flow `{}` goes out to {dest}", f.name.node),
                    origins: vec![Origin::Flow(id)],
                    step: None,
                },
                f.name.span,
            ));
        }
    }
    let own = m.vswitches[vswitch.index()].cidr.node;
    let is_rg = matches!(
        m.computes[f.from.node.index()].kind,
        ComputeKind::ResourceGroup { .. }
    );
    if is_rg {
        out.extend(add_rule(
            p,
            SgRuleRow {
                group: g,
                direction: Direction::Ingress,
                protocol: Protocol::Tcp,
                ports: PortRange::ALL,
                peer: RulePeer::Cidr(own),
                priority: 1,
                action: Action::Allow,
                why:
                    "advanced group: inbound from the resource group's own vSwitch block (seed 003)"
                        .to_string(),
                origins: vec![Origin::Flow(id)],
                step: None,
            },
            f.name.span,
        ));
    }
    for i in &out {
        for r in ready {
            p.dep(*i, *r, "the binding names the group");
        }
    }
    out
}

/// Seed 004 (F36): cross-account data sources need a RAM role in the source's account; then the
/// data source is registered in Data Integration.
fn data_source(p: &mut Planner<'_>, id: FlowId, rg: ComputeId, done: &mut Vec<usize>) {
    let m = p.m;
    let f = &m.flows[id.index()];
    let t = &m.targets[f.to.node.index()];
    let ComputeKind::ResourceGroup {
        account, vswitch, ..
    } = &m.computes[rg.index()].kind
    else {
        return;
    };
    let region = m.vpc_of_vswitch(vswitch.node).region.node.clone();
    let owner = crate::net::sites::target_account(m, f.to.node);
    let cross = owner.is_some_and(|o| o != account.node);
    let mut values = vec![(
        "data source type",
        Val::text(match &t.detail {
            TargetDetail::Rds { engine } => engine.node.to_string(),
            _ => t.kind.keyword().to_string(),
        }),
    )];
    let mut role_step = None;
    if let (true, Some(o)) = (cross, owner) {
        let role = f
            .ram_role
            .as_ref()
            .map(|r| r.node.clone())
            .unwrap_or_default();
        role_step = Some(p.step(Step {
            id: format!("flow.{}.ram_role", f.name.node),
            title: format!("Authorize RAM role {} in {} for DataWorks' account", crate::text::code(&role), crate::text::code(&m.accounts[o.index()].name.node)),
            action: "authorize-ram-role",
            account: Some(o),
            region: None,
            console: Console::Ram,
            path: "RAM console → Roles → Create Role (trusted entity: Alibaba Cloud account) → grant access to the data source".into(),
            values: vec![("trusted account UID", Val::text(m.accounts[account.node.index()].uid.node.clone())), ("role name", Val::text(role.clone()))],
            manual: None,
            origin: origin(m, id),
            span: f.ram_role.as_ref().map(|r| r.span).unwrap_or(f.name.span),
        }));
        values.push((
            "Alibaba Cloud account",
            Val::text("Another Alibaba Cloud Account"),
        ));
        values.push((
            "ID of another Alibaba Cloud account",
            Val::text(m.accounts[o.index()].uid.node.clone()),
        ));
        values.push(("name of role assigned to RAM user", Val::text(role)));
    } else {
        values.push((
            "Alibaba Cloud account",
            Val::text("Current Alibaba Cloud Account"),
        ));
    }
    if let Some(o) = owner {
        let _ = o;
        if let Placement::Vpc(vs) = &t.placement {
            values.push((
                "region",
                Val::text(m.vpc_of_vswitch(vs.node).region.node.clone()),
            ));
        }
    }
    values.push((
        "instance",
        Val::text(
            t.id.as_ref()
                .map(|i| i.node.clone())
                .unwrap_or_else(|| t.name.node.clone()),
        ),
    ));
    let reg = p.step(Step {
        id: format!("flow.{}.register", f.name.node),
        title: format!(
            "Register {} as a data source",
            crate::text::code(&t.name.node)
        ),
        action: "register-data-source",
        account: Some(account.node),
        region: Some(region),
        console: Console::DataWorks,
        path: "DataWorks console → Data Integration → Data Sources → Add Data Source".into(),
        values,
        manual: None,
        origin: origin(m, id),
        span: f.name.span,
    });
    if let Some(r) = role_step {
        p.dep(
            reg,
            r,
            "the data source is configured with the other account's RAM role",
        );
    }
    done.push(reg);
}

fn test_step(
    p: &mut Planner<'_>,
    id: FlowId,
    after: &[usize],
    title: &str,
    console: Console,
    path: &str,
) {
    let m = p.m;
    let f = &m.flows[id.index()];
    let account = match &m.computes[f.from.node.index()].kind {
        ComputeKind::MaxCompute { account, .. } | ComputeKind::ResourceGroup { account, .. } => {
            Some(account.node)
        }
        ComputeKind::Client { vswitch, .. } => Some(m.vpc_of_vswitch(vswitch.node).account.node),
    };
    let jobs = m.flows[id.index()].job_kinds(m);
    let mut values = vec![("flow", Val::text(f.name.node.clone()))];
    if !jobs.is_empty() {
        values.push((
            "jobs",
            Val::List(jobs.iter().map(|j| j.to_string()).collect()),
        ));
    }
    let i = p.step(Step {
        id: format!("flow.{}.test", f.name.node),
        title: format!("{title} ({})", crate::text::code(&f.name.node)),
        action: "test-connectivity",
        account,
        region: None,
        console,
        path: path.to_string().into(),
        values,
        manual: None,
        origin: origin(m, id),
        span: f.name.span,
    });
    for a in after {
        p.dep(i, *a, "test once everything on the path is in place");
    }
}

fn vpc_of(m: &Model, vs: VSwitchId) -> VpcId {
    m.vswitches[vs.index()].vpc
}

/// The project's name in MaxCompute (its `project`, else the block's name).
fn project_name(c: &Compute) -> String {
    match &c.kind {
        ComputeKind::MaxCompute {
            project: Some(p), ..
        } => p.node.clone(),
        _ => c.name.node.clone(),
    }
}

/// The steps that put a matching `host:port` on the project's internet access list: the
/// auto-approved addition or the application, of the lists the flow names (else all of the
/// project's).
fn access_steps(
    p: &Planner<'_>,
    net: &Network,
    id: FlowId,
    wanted: impl Fn(&Host, u16) -> bool,
) -> Vec<usize> {
    let m = p.m;
    let mut out = Vec::new();
    for &a in &net.path(id).access {
        let access = &m.internet_accesses[a.index()];
        for e in &access.hosts {
            let Some(port) = e.port else { continue };
            if !wanted(&e.host, port) {
                continue;
            }
            let suffix = if crate::net::hosts::auto_approved(&e.host) {
                "add_hosts"
            } else {
                "apply"
            };
            if let Some(s) = p.find(&format!("internet_access.{}.{suffix}", access.name.node)) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}
