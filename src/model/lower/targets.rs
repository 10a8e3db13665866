//! Data sources and targets: `rds`, `hbase`, `hadoop`, `ecs_service`, `idc`, `internet_host`,
//! `oss`, `tablestore`, `hologres`, `dlf`.

use super::attrs::{Attrs, Cx};
use super::network::resource_id;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::{SymbolId, SymbolKind};
use crate::source::Spanned;
use crate::syntax::ast::{Block, ValueKind};

/// Default service ports of an EMR Hadoop cluster (seed 000: Hive metastore, NameNode, DataNode).
pub const HADOOP_SERVICES: &[(&str, u16)] = &[
    ("hive_metastore", 9083),
    ("hdfs_namenode", 8020),
    ("hdfs_datanode", 50010),
];

/// Default HBase ports: ZooKeeper, master, region server.
const HBASE_PORTS: &[u16] = &[2181, 16000, 16020];

fn engine_port(e: Engine) -> u16 {
    match e {
        Engine::Mysql | Engine::Mariadb => 3306,
        Engine::Postgresql => 5432,
        Engine::Sqlserver => 1433,
    }
}

fn id_prefixes(kind: SymbolKind) -> &'static [&'static str] {
    match kind {
        SymbolKind::Rds => &["rm-", "pgm-", "rr-"],
        SymbolKind::Hbase => &["ld-", "hb-"],
        SymbolKind::EcsService => &["i-"],
        _ => &[],
    }
}

pub(super) fn target(cx: &mut Cx<'_>, block: &Block, kind: SymbolKind) -> Option<Target> {
    let mut a = Attrs::new(block);
    let in_vpc = matches!(
        kind,
        SymbolKind::Rds | SymbolKind::Hbase | SymbolKind::Hadoop | SymbolKind::EcsService
    );
    let network = if in_vpc {
        a.opt(cx, "network", |cx, v| cx.keyword::<NetworkType>(v))
    } else {
        None
    }
    .unwrap_or(Spanned::new(NetworkType::Vpc, block.header()));

    // Where it lives.
    let mut vswitch_sym: Option<SymbolId> = None;
    let placement = match kind {
        _ if in_vpc && network.node == NetworkType::Classic => a
            .req(cx, "region", "cn-hangzhou", |cx, v| cx.region(v))
            .map(|region| Placement::Service {
                region,
                endpoint: None,
            }),
        _ if in_vpc => a
            .req(cx, "vswitch", "my_vpc.my_vswitch", |cx, v| {
                cx.reference(v, &[SymbolKind::VSwitch])
            })
            .map(|s| {
                vswitch_sym = Some(s.node);
                Placement::Vpc(Spanned::new(
                    VSwitchId(cx.symbols.get(s.node).index),
                    s.span,
                ))
            }),
        SymbolKind::Idc => a
            .req(cx, "cidrs", "[10.0.0.0/8]", |cx, v| {
                cx.non_empty_list(v, |cx, v| cx.cidr(v))
            })
            .map(|c| Placement::Idc(c.node)),
        SymbolKind::InternetHost => a
            .req(cx, "host", "\"api.example.com\"", host)
            .map(Placement::Internet),
        _ => {
            let region = a.req(cx, "region", "cn-hangzhou", |cx, v| cx.region(v));
            let endpoint = a.opt(cx, "endpoint", |cx, v| cx.keyword::<EndpointType>(v));
            region.map(|region| Placement::Service { region, endpoint })
        }
    };

    // Who administers it, where no VPC says so (a service endpoint, a classic-network instance).
    let account = match &placement {
        Some(Placement::Service { .. }) => a.opt(cx, "account", |cx, v| {
            cx.reference(v, &[SymbolKind::Account])
                .map(|s| AccountId(cx.symbols.get(s).index))
        }),
        _ => None,
    };

    // What it serves, and kind-specific facts.
    let mut detail = TargetDetail::None;
    let mut ports: Vec<Spanned<PortRange>> = Vec::new();
    match kind {
        SymbolKind::Rds => {
            let engine = a.req(cx, "engine", "mysql", |cx, v| cx.keyword::<Engine>(v));
            let port = a.opt(cx, "port", |cx, v| cx.port(v));
            if let Some(e) = &engine {
                ports.push(
                    port.unwrap_or(Spanned::new(PortRange::single(engine_port(e.node)), e.span)),
                );
                detail = TargetDetail::Rds { engine: e.clone() };
            }
        }
        SymbolKind::Hadoop => {
            let cluster_id = a.req(cx, "cluster_id", "\"c-1234567890abcdef\"", |cx, v| {
                cx.string(v)
            });
            let nodes = a
                .opt(cx, "nodes", |cx, v| cx.list(v, |cx, v| cx.string(v)))
                .map(|n| n.node)
                .unwrap_or_default();
            let services = match a.opt(cx, "services", |cx, v| {
                cx.non_empty_list(v, |cx, v| service(cx, v))
            }) {
                Some(s) => s.node.into_iter().map(|s| s.node).collect(),
                None => HADOOP_SERVICES
                    .iter()
                    .map(|(n, p)| (n.to_string(), PortRange::single(*p)))
                    .collect::<Vec<_>>(),
            };
            let span = a.block().header();
            ports = services
                .iter()
                .map(|(_, p)| Spanned::new(*p, span))
                .collect();
            if let Some(cluster_id) = cluster_id {
                detail = TargetDetail::Hadoop {
                    cluster_id,
                    nodes,
                    services,
                };
            }
        }
        SymbolKind::Hbase => {
            ports = match a.opt(cx, "ports", |cx, v| {
                cx.non_empty_list(v, |cx, v| cx.port(v))
            }) {
                Some(p) => p.node,
                None => HBASE_PORTS
                    .iter()
                    .map(|p| Spanned::new(PortRange::single(*p), block.header()))
                    .collect(),
            };
        }
        SymbolKind::EcsService | SymbolKind::InternetHost => {
            ports = a
                .req(cx, "ports", "[443]", |cx, v| {
                    cx.non_empty_list(v, |cx, v| cx.port(v))
                })
                .map(|p| p.node)
                .unwrap_or_default();
        }
        _ => {
            ports = a
                .opt(cx, "ports", |cx, v| {
                    cx.non_empty_list(v, |cx, v| cx.port(v))
                })
                .map(|p| p.node)
                .unwrap_or_default();
            if matches!(kind, SymbolKind::Tablestore | SymbolKind::Hologres) {
                let instance = a.opt(cx, "instance", |cx, v| cx.string(v));
                detail = TargetDetail::Instance { instance };
            }
            if kind == SymbolKind::Oss {
                a.opt(cx, "bucket", |cx, v| cx.string(v));
            }
        }
    }

    // How it admits clients.
    // An internet host's access control is its owner's business (seed 000 calls whitelisting
    // MaxCompute's addresses optional): `access = [whitelist]` asks for it.
    let default_whitelist = matches!(kind, SymbolKind::Rds | SymbolKind::Hbase | SymbolKind::Idc);
    let access = a.opt(cx, "access", |cx, v| {
        cx.list(v, |cx, v| cx.keyword::<AccessControl>(v))
    });
    let security_group = if in_vpc {
        a.opt(cx, "security_group", |cx, v| {
            cx.reference(v, &[SymbolKind::SecurityGroup])
        })
    } else {
        None
    };
    let whitelist = match &access {
        Some(list) => list.node.iter().any(|x| x.node == AccessControl::Whitelist),
        None => default_whitelist,
    };
    if let Some(list) = &access {
        let wants_sg = list
            .node
            .iter()
            .any(|x| x.node == AccessControl::SecurityGroup);
        if wants_sg && security_group.is_none() && !a.failed {
            if in_vpc {
                a.missing(cx, "security_group", "my_vpc.my_group");
            } else {
                a.failed = true;
                cx.report(
                    Diagnostic::new(
                        Code::UNKNOWN_VALUE,
                        format!("a `{}` cannot take security groups", kind.keyword()),
                    )
                    .primary(list.span, "only targets in a VPC take security groups")
                    .help("write `access = [whitelist]`"),
                );
            }
        }
    }
    if let (Some(sg), Some(vs)) = (&security_group, vswitch_sym) {
        if let Some(vpc) = cx.symbols.get(vs).parent {
            if !super::require_in_vpc(cx, sg.node, sg.span, vpc, "the target is in") {
                a.failed = true;
            }
        }
    }
    let id = resource_id(cx, &mut a, id_prefixes(kind));
    let ok = a.finish(cx);
    let t = Target {
        name: block.label.as_ref()?.owned(),
        kind,
        placement: placement?,
        ports,
        whitelist,
        security_group: security_group
            .map(|s| Spanned::new(SgId(cx.symbols.get(s.node).index), s.span)),
        network,
        detail,
        id,
        account,
        span: block.span,
    };
    ok.then_some(t)
}

/// `name:port` in a hadoop `services` list.
fn service(cx: &mut Cx<'_>, v: &crate::syntax::ast::Value) -> Option<(String, PortRange)> {
    match &v.kind {
        ValueKind::Endpoint(e) if e.target.segment_count() == 1 && e.ports.len() == 1 => {
            let port = cx.port(&e.ports[0])?;
            Some((e.target.text.to_string(), port))
        }
        _ => {
            cx.report(
                Diagnostic::new(Code::WRONG_TYPE, format!("expected a `service:port` pair, found {}", v.kind.describe()))
                    .primary(v.span, "expected `name:port`")
                    .help("write services as `[hive_metastore:9083, hdfs_namenode:8020, hdfs_datanode:50010]`"),
            );
            None
        }
    }
}

/// An internet host: a domain name, an IPv4 address or an IPv6 address, as a string.
fn host(cx: &mut Cx<'_>, v: &crate::syntax::ast::Value) -> Option<Host> {
    if let ValueKind::Ipv4(_) = &v.kind {
        return cx.ipv4(v).map(Host::Ipv4);
    }
    let s = cx.string(v)?;
    Some(parse_host(&s))
}

/// Classify a host as written.
pub fn parse_host(s: &str) -> Host {
    let bare = s.trim_start_matches('[').trim_end_matches(']');
    if let Ok(a) = bare.parse::<std::net::Ipv4Addr>() {
        Host::Ipv4(a)
    } else if bare.parse::<std::net::Ipv6Addr>().is_ok() {
        Host::Ipv6(bare.to_string())
    } else {
        Host::Domain(s.to_ascii_lowercase())
    }
}
