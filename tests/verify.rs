//! Reachability: every example's flows are proven; removing one piece names the blocking hop.

mod common;

use common::{assert_exit, compile_text, root, run, stderr_of};
use netlink::verify::{self, Outcome, Probe};

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("examples").join(name)).unwrap()
}

fn codes(c: &netlink::Compiled) -> Vec<&str> {
    c.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn every_example_flow_is_proven_both_ways() {
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "netlink") {
            continue;
        }
        let (c, _) = compile_text("test.netlink", &std::fs::read_to_string(&path).unwrap());
        let model = c.model.as_ref().unwrap();
        assert_eq!(c.proofs.len(), model.flows.len(), "{}", path.display());
        for p in &c.proofs {
            assert!(
                p.proven(),
                "{}: flow `{}`: {:?} / {:?}",
                path.display(),
                p.probe.name,
                p.forward.outcome,
                p.back.as_ref().map(|b| &b.outcome)
            );
        }
    }
}

/// Trace the first flow of a project after removing the plan rows `drop` selects.
fn trace_without(
    text: &str,
    drop: impl Fn(&netlink::plan::Plan, usize) -> bool,
    which: &str,
) -> verify::Proof {
    let (c, _) = compile_text("test.netlink", text);
    let m = c.model.as_ref().unwrap();
    let mut plan = c.plan.clone().unwrap();
    let keep: Vec<bool> = (0..if which == "route" {
        plan.routes.len()
    } else {
        plan.whitelists.len()
    })
        .map(|i| !drop(&plan, i))
        .collect();
    let mut k = keep.iter();
    if which == "route" {
        plan.routes.retain(|_| *k.next().unwrap());
    } else {
        plan.whitelists.retain(|_| *k.next().unwrap());
    }
    verify::trace(m, &plan, &Probe::of_flow(m, netlink::model::FlowId(0)))
}

#[test]
fn without_the_accepter_side_route_the_reply_has_no_route() {
    let text = example("dataworks_cross_account_peering.netlink");
    let p = trace_without(
        &text,
        |plan, i| {
            plan.routes[i].destination.to_string() == "172.16.66.0/24"
                && matches!(plan.routes[i].table, netlink::plan::TableRef::Vpc(_))
        },
        "route",
    );
    assert!(p.forward.outcome.delivered());
    let back = p.back.unwrap();
    assert_eq!(
        back.outcome,
        Outcome::NoRoute {
            at: "vpc `account_a_hangzhou_vpc`".into(),
            destination: "172.16.66.0/24".into(),
            help: "declare the flow `via` a connection that reaches 172.16.66.0/24, or add a `route` in this table".into()
        }
    );
}

#[test]
fn without_the_resource_group_route_the_packet_stays_home() {
    let text = example("dataworks_cross_account_peering.netlink");
    let p = trace_without(
        &text,
        |plan, i| {
            matches!(
                plan.routes[i].table,
                netlink::plan::TableRef::ResourceGroup(_)
            )
        },
        "route",
    );
    match &p.forward.outcome {
        Outcome::NoRoute {
            at, destination, ..
        } => {
            assert_eq!(at, "resource group `dw_rg`");
            assert_eq!(destination, "192.168.6.0/24");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_the_whitelist_entry_the_target_denies() {
    let text = example("dataworks_cross_account_peering.netlink");
    let p = trace_without(&text, |_, _| true, "whitelist");
    match &p.forward.outcome {
        Outcome::DeniedIn { by, help } => {
            assert_eq!(by, "the whitelist of `mysql_source`");
            assert!(help.contains("172.16.66.0/24"), "{help}");
        }
        other => panic!("{other:?}"),
    }
    let last = p.forward.hops.last().unwrap();
    assert_eq!(
        (last.consulted.as_str(), last.decision.as_str()),
        ("whitelist", "does not list 172.16.66.0/24")
    );
}

#[test]
fn without_the_peering_the_check_names_the_missing_path() {
    let text = example("dataworks_cross_account_peering.netlink");
    let start = text.find("peering hz_to_sh").unwrap();
    let end = start + text[start..].find("}\n").unwrap() + 2;
    let cut = format!("{}{}", &text[..start], &text[end..]).replace("  via      = hz_to_sh\n", "");
    let (c, _) = compile_text("test.netlink", &cut);
    assert_eq!(codes(&c), vec!["NL3104"]);
    let d = &c.diagnostics[0];
    assert_eq!(
        d.message,
        "nothing joins `account_b_shanghai_vpc` to `account_a_hangzhou_vpc`"
    );
}

#[test]
fn without_the_snat_entry_the_resource_group_has_no_internet() {
    let text = example("dataworks_internet_nat.netlink");
    let start = text.find("snat").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let (c, _) = compile_text(
        "test.netlink",
        &format!("{}{}", &text[..start], &text[end..]),
    );
    assert!(codes(&c).contains(&"NL3102"), "{:?}", codes(&c));
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "NL3102")
        .unwrap();
    assert!(d.message.contains("has no SNAT entry for"), "{}", d.message);
}

#[test]
fn without_the_second_zone_the_cen_attachment_fails() {
    let text = example("dataworks_cross_region_cen.netlink");
    // Keep only the first vSwitch of the first attachment.
    let start = text.find("vswitches").unwrap();
    let open = start + text[start..].find('[').unwrap();
    let comma = open + text[open..].find(',').unwrap();
    let close = open + text[open..].find(']').unwrap();
    let cut = format!("{}{}", &text[..comma], &text[close..]);
    let (c, _) = compile_text("test.netlink", &cut);
    assert!(codes(&c).contains(&"NL3201"), "{:?}", codes(&c));
}

#[test]
fn unmanaged_target_group_blocks_at_the_right_hop() {
    // The plan adds no rule to a group netlink must not touch; the trace names that group.
    let text = r#"
account acme { uid = "1234567890123456" }
vpc hz { account = acme  region = cn-hangzhou  cidr = 192.168.0.0/16
  vswitch db { zone = cn-hangzhou-h  cidr = 192.168.6.0/24 }
  vswitch dw { zone = cn-hangzhou-i  cidr = 192.168.7.0/24 }
  security_group db_sg { type = basic  id = "sg-1234"  managed = false
    rule { direction = ingress  protocol = tcp  ports = 3306  cidr = 192.168.7.0/24 } } }
rds orders { vswitch = hz.db  engine = mysql  security_group = hz.db_sg  access = [security_group] }
resource_group rg { account = acme  kind = serverless  vswitch = hz.dw }
flow f { from = rg  to = orders:3306 }
"#;
    let (c, _) = compile_text("test.netlink", text);
    assert!(
        c.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        codes(&c)
    );
    let p = &c.proofs[0];
    assert!(p.proven());
    let hop = p
        .forward
        .hops
        .iter()
        .find(|h| h.at == "security group `hz.db_sg`")
        .unwrap();
    assert_eq!(hop.decision, "allows 192.168.7.0/24");
}

#[test]
fn dead_configuration_is_a_warning() {
    let text = r#"
account acme { uid = "1234567890123456" }
vpc a { account = acme  region = cn-hangzhou  cidr = 10.0.0.0/16
  vswitch s { zone = cn-hangzhou-h  cidr = 10.0.1.0/24 } }
vpc b { account = acme  region = cn-hangzhou  cidr = 10.1.0.0/16
  vswitch s { zone = cn-hangzhou-h  cidr = 10.1.1.0/24 } }
peering ab { requester = a  accepter = b }
rds db { vswitch = b.s  engine = mysql }
route spare { table = a  destination = 10.1.0.0/16  next_hop = ab }
whitelist old { target = db  entries = [10.9.9.0/24] }
"#;
    let (c, _) = compile_text("test.netlink", text);
    let mut got = codes(&c);
    got.sort();
    assert_eq!(got, vec!["NL5003", "NL5004"]);
}

#[test]
fn trace_cli_text_and_json() {
    let out = run(&[
        "trace",
        "examples/dataworks_cross_account_peering.netlink",
        "sync_orders",
    ]);
    assert_exit(&out, 0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("custom routes"), "{text}");
    assert!(
        text.contains("proven once the manual steps are done"),
        "{text}"
    );
    let out = run(&[
        "trace",
        "examples/dataworks_cross_account_peering.netlink",
        "--from",
        "dw_rg",
        "--to",
        "mysql_source:3306",
        "--format",
        "json",
    ]);
    assert_exit(&out, 0);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["proven"], true);
    assert_eq!(j["forward"]["outcome"]["kind"], "delivered");
    assert_eq!(j["return"]["hops"][0]["consulted"], "route table");
    let out = run(&[
        "trace",
        "examples/dataworks_cross_account_peering.netlink",
        "sync_order",
    ]);
    assert_exit(&out, 2);
    assert!(stderr_of(&out).contains("did you mean `sync_orders`?"));
}
