//! The plan and artifacts: snapshots of every artifact for every example, the seeds' own facts
//! stated outright, determinism, and atomic writing.

mod common;

use common::{assert_exit, dir_contents, netlink, planned, root, run, scratch, stderr_of};
use serde_json::Value;
use std::fs;
use std::path::PathBuf;

/// Build one example in memory: every artifact, by name.
fn build(example: &str) -> Vec<(&'static str, String)> {
    std::env::set_current_dir(root()).unwrap();
    let project = netlink::project::load(&[PathBuf::from(example)]).unwrap();
    let compiled = netlink::compile(&project.sources);
    let (model, plan) = planned(&compiled, example);
    netlink::emit::artifacts(model, plan, &compiled.proofs, &project.sources)
}

fn artifact(example: &str, name: &str) -> Value {
    let files = build(example);
    let text = &files.iter().find(|(n, _)| *n == name).unwrap().1;
    serde_json::from_str(text).unwrap()
}

#[test]
fn every_artifact_of_every_example() {
    std::env::set_current_dir(root()).unwrap();
    insta::glob!("../examples", "*.netlink", |path| {
        let rel = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut all = String::new();
        for (name, text) in build(&rel) {
            all.push_str(&format!("==> {name} <==\n{text}\n"));
        }
        insta::assert_snapshot!(all);
    });
}

fn steps(plan: &Value) -> &Vec<Value> {
    plan["steps"].as_array().unwrap()
}

fn step<'a>(plan: &'a Value, id: &str) -> &'a Value {
    steps(plan)
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

/// Seed 004, "Configuration example" over VPC peering.
/// F31, F35, F36, F41, F42, N4: the peering variant of seed 004, read as a person would.
#[test]
fn seed_004_cross_account_peering() {
    let ex = "examples/dataworks_cross_account_peering.netlink";
    let routes = artifact(ex, "routes.json");
    let table = |kind: &str, name: &str| -> Vec<(String, String)> {
        routes["tables"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["table"]["kind"] == kind && t["table"]["name"] == name)
            .flat_map(|t| t["entries"].as_array().unwrap().iter())
            .map(|e| {
                (
                    e["destination"].as_str().unwrap().to_string(),
                    format!(
                        "{}:{}",
                        e["next_hop"]["kind"].as_str().unwrap(),
                        e["next_hop"]["name"].as_str().unwrap()
                    ),
                )
            })
            .collect()
    };
    // Requester (Hangzhou, account A) routes to the accepter's vSwitch, and back.
    assert_eq!(
        table("vpc", "account_a_hangzhou_vpc"),
        vec![("172.16.66.0/24".to_string(), "peering:hz_to_sh".to_string())]
    );
    assert_eq!(
        table("vpc", "account_b_shanghai_vpc"),
        vec![("192.168.6.0/24".to_string(), "peering:hz_to_sh".to_string())]
    );
    // The resource group's custom route to the data source's vSwitch.
    assert_eq!(
        table("resource_group", "dw_rg"),
        vec![("192.168.6.0/24".to_string(), "peering:hz_to_sh".to_string())]
    );
    // The RDS whitelist holds the resource group's vSwitch block.
    let wl = artifact(ex, "whitelists.json");
    assert_eq!(wl["targets"][0]["target"], "mysql_source");
    assert_eq!(wl["targets"][0]["entries"][0]["entry"], "172.16.66.0/24");
    // Accept comes after create and before the routes, in the other account.
    let plan = artifact(ex, "plan.json");
    let pos = |id: &str| steps(&plan).iter().position(|s| s["id"] == id).unwrap();
    let create = step(&plan, "peering.hz_to_sh.create");
    let accept = step(&plan, "peering.hz_to_sh.accept");
    assert_eq!(create["account"], "account_a");
    assert_eq!(accept["account"], "account_b");
    assert_eq!(accept["manual"]["kind"], "acceptance");
    assert!(accept["manual"]["deadline"]
        .as_str()
        .unwrap()
        .contains("7 days"));
    assert_eq!(
        accept["values"][0]["known_after"]["step"],
        "peering.hz_to_sh.create"
    );
    assert!(pos("peering.hz_to_sh.create") < pos("peering.hz_to_sh.accept"));
    for route in [
        "vpc.account_a_hangzhou_vpc.route.172.16.66.0_24",
        "vpc.account_b_shanghai_vpc.route.192.168.6.0_24",
        "resource_group.dw_rg.route.192.168.6.0_24",
    ] {
        assert!(
            pos("peering.hz_to_sh.accept") < pos(route),
            "{route} before accept"
        );
        let deps: Vec<&str> = step(&plan, route)["depends_on"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["step"].as_str().unwrap())
            .collect();
        assert!(
            deps.contains(&"peering.hz_to_sh.accept"),
            "{route}: {deps:?}"
        );
    }
    // The last step tests connectivity, after everything else (seed 003/004).
    assert_eq!(steps(&plan).last().unwrap()["id"], "flow.sync_orders.test");
    // Cross-account data source: RAM role in account A, registration with A's UID (F36).
    let reg = step(&plan, "flow.sync_orders.register");
    assert!(reg["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["value"] == "1234567890123456"));
    assert_eq!(
        step(&plan, "flow.sync_orders.ram_role")["account"],
        "account_a"
    );
}

/// Seed 000: a network link's steps in the documented order, with the job settings.
/// F11 (permissions first), F12 (the link's group rule), F14 (Passthrough), F18 (the session
/// setting): seed 000's network-link walkthrough.
#[test]
fn seed_000_network_link_order_and_settings() {
    let ex = "examples/maxcompute_rds_network_link.netlink";
    let plan = artifact(ex, "plan.json");
    let ids: Vec<&str> = steps(&plan)
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let pos = |prefix: &str| {
        ids.iter()
            .position(|i| i.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in {ids:?}"))
    };
    assert!(pos("maxcompute.") < pos("network_link."));
    assert!(ids.iter().any(|i| i.ends_with(".authorize_eni")));
    let link = steps(&plan)
        .iter()
        .find(|s| s["action"] == "create-network-link")
        .unwrap();
    assert!(link["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["value"] == "Passthrough"));
    let sgs = artifact(ex, "security-groups.json");
    let f12 = sgs["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap())
        .find(|r| {
            r["origin"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["kind"] == "link")
        })
        .unwrap();
    assert_eq!(f12["protocol"], "all");
    // The API's PortRange for all protocols; the console step keeps seed 000's "1/65535".
    assert_eq!(f12["ports"], "-1/-1");
    assert_eq!(f12["priority"], 1);
    assert_eq!(f12["action"], "allow");
    let jobs = artifact(ex, "jobs.json");
    let settings: Vec<&str> = jobs["flows"][0]["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|j| j["settings"].as_array().unwrap())
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        settings
            .iter()
            .any(|s| s.starts_with("set odps.session.networklink=")),
        "{settings:?}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = scratch("twice");
    let (a, b) = (dir.join("a"), dir.join("b"));
    for out in [&a, &b] {
        let o = netlink()
            .args(["build", "examples", "--out"])
            .arg(out)
            .output()
            .unwrap();
        assert_exit(&o, 0);
    }
    let (ra, rb) = (dir_contents(&a), dir_contents(&b));
    let top = ra
        .iter()
        .filter(|(n, _)| !n.starts_with("terraform/"))
        .count();
    assert_eq!(top, 6);
    assert!(
        ra.iter().any(|(n, _)| n.starts_with("terraform/")),
        "the Terraform export"
    );
    assert_eq!(ra, rb);
    let plan =
        String::from_utf8(ra.iter().find(|(n, _)| n == "plan.json").unwrap().1.clone()).unwrap();
    assert!(
        !plan.contains(&*root().to_string_lossy()),
        "absolute path in plan.json"
    );
}

#[test]
fn a_failed_build_leaves_out_as_it_was() {
    let dir = scratch("failed");
    let out = dir.join("out");
    let o = netlink()
        .args(["build", "examples/dataworks_same_region.netlink", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_exit(&o, 0);
    let before = dir_contents(&out);
    let o = netlink()
        .args(["build", "tests/fixtures/multi", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_exit(&o, 1);
    assert_eq!(dir_contents(&out), before);
    // No temporary directory is left beside it.
    let left: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["out".to_string()]);
}

#[test]
fn never_replaces_a_directory_with_foreign_files() {
    let dir = scratch("foreign");
    let out = dir.join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = netlink()
        .args(["build", "examples/dataworks_same_region.netlink", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_exit(&o, 2);
    assert!(stderr_of(&o).contains("notes.txt"));
    assert_eq!(
        dir_contents(&out),
        vec![("notes.txt".to_string(), b"mine".to_vec())]
    );
}

#[test]
fn plan_reads_like_terraform_plan() {
    let o = run(&["plan", "examples/dataworks_cross_account_peering.netlink"]);
    assert_exit(&o, 0);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("# account `account_a` (1234567890123456)"),
        "{text}"
    );
    assert!(text.contains("!   3. Accept peering `hz_to_sh`"), "{text}");
    assert!(text.trim_end().ends_with("(peering.hz_to_sh.accept: 7 days after the request; the accepter's account must have CDT enabled)."), "{text}");
}

/// Resources that exist (they have an `id`) are not created again.
#[test]
fn existing_peering_and_cen_are_not_created() {
    let dir = scratch("existing");
    let src = dir.join("existing.netlink");
    fs::write(
        &src,
        r#"
account a { uid = "1234567890123456" }
account b { uid = "6543210987654321" }
vpc hz { account = a  region = cn-hangzhou  cidr = 192.168.0.0/16
  vswitch h { zone = cn-hangzhou-h  cidr = 192.168.6.0/24 }
  vswitch i { zone = cn-hangzhou-i  cidr = 192.168.7.0/24 } }
vpc sh { account = b  region = cn-shanghai  cidr = 172.16.0.0/16
  vswitch e { zone = cn-shanghai-e  cidr = 172.16.66.0/24 }
  vswitch g { zone = cn-shanghai-g  cidr = 172.16.67.0/24 } }
rds db { vswitch = hz.h  engine = mysql }
resource_group rg { account = b  kind = serverless  vswitch = sh.e }
peering p { requester = hz  accepter = sh  id = "pcc-0123456789abcdef" }
cen c { account = b  id = "cen-0123456789abcdef"
  attach x { vpc = hz  vswitches = [hz.h, hz.i] }
  attach y { vpc = sh  vswitches = [sh.e, sh.g] } }
flow f { from = rg  to = db:3306  via = p  ram_role = "R" }
"#,
    )
    .unwrap();
    let project = netlink::project::load(&[src]).unwrap();
    let compiled = netlink::compile(&project.sources);
    let plan = compiled.plan.as_ref().expect("plans");
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert!(!ids.iter().any(|i| i.starts_with("peering.p.")), "{ids:?}");
    assert!(!ids.contains(&"cen.c.create"), "{ids:?}");
    assert!(ids.contains(&"cen.c.attach.x.grant"), "{ids:?}");
    // The existing ids are the values to enter.
    let route = plan
        .steps
        .iter()
        .find(|s| s.id == "vpc.hz.route.172.16.66.0_24")
        .unwrap();
    assert!(route
        .values
        .iter()
        .any(|(_, v)| *v == netlink::plan::Val::Text("pcc-0123456789abcdef".into())));
    let grant = plan
        .steps
        .iter()
        .find(|s| s.id == "cen.c.attach.x.grant")
        .unwrap();
    assert!(grant
        .values
        .iter()
        .any(|(_, v)| *v == netlink::plan::Val::Text("cen-0123456789abcdef".into())));
    // No note about accepting a peering that exists.
    assert!(!compiled
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "NL3205"));
}

/// Two route blocks writing the same entry share one step; `after` naming the second block
/// waits for that step (it used to order nothing: the step was listed under the first only).
#[test]
fn after_a_block_whose_step_is_shared() {
    let files = build("tests/fixtures/after_shared_route.netlink");
    let plan: Value = serde_json::from_str(&files[0].1).unwrap();
    let steps = plan["steps"].as_array().unwrap();
    let ids: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"route.to_b"), "{ids:?}");
    assert!(
        !ids.contains(&"route.to_b_again"),
        "one entry, one step: {ids:?}"
    );
    let wl = steps
        .iter()
        .find(|s| s["id"] == "whitelist.orders.10.0.1.0_24")
        .unwrap();
    let deps: Vec<&str> = wl["depends_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["step"].as_str().unwrap())
        .collect();
    assert!(deps.contains(&"route.to_b"), "{deps:?}");
}

#[test]
fn icmp_and_all_protocol_rules_take_the_apis_port_range() {
    // Issue 12 finding 10: AuthorizeSecurityGroup takes -1/-1 for ICMP and all protocols.
    let groups = artifact("examples/emr_endpoints.netlink", "security-groups.json");
    let rules: Vec<&Value> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap())
        .collect();
    let icmp: Vec<&&Value> = rules.iter().filter(|r| r["protocol"] == "icmp").collect();
    assert!(!icmp.is_empty(), "the EMR example has ICMP rules");
    for r in icmp {
        assert_eq!(r["ports"], "-1/-1", "{r}");
    }
    for r in rules.iter().filter(|r| r["protocol"] == "tcp") {
        let ports = r["ports"].as_str().unwrap();
        let (a, b) = ports.split_once('/').unwrap();
        let (a, b): (u16, u16) = (a.parse().unwrap(), b.parse().unwrap());
        assert!(1 <= a && a <= b, "{r}");
    }
    // A group netlink manages gets the ICMP rule from the plan: its step says -1/-1 too.
    let text = fs::read_to_string(root().join("examples/emr_endpoints.netlink")).unwrap();
    let managed: String = text
        .replace("managed = false", "managed = true")
        .lines()
        .filter(|l| !l.contains("rule {"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (compiled, sources) = common::compile_text("emr_managed.netlink", &managed);
    let (model, plan) = planned(&compiled, "the managed EMR variant");
    let files = netlink::emit::artifacts(model, plan, &compiled.proofs, &sources);
    let plan: Value =
        serde_json::from_str(&files.iter().find(|(n, _)| *n == "plan.json").unwrap().1).unwrap();
    let icmp_step = steps(&plan)
        .iter()
        .find(|s| s["id"].as_str().unwrap().contains(".icmp."))
        .expect("a step adds an ICMP rule");
    let range = icmp_step["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "port range")
        .expect("the step says the port range");
    assert_eq!(range["value"], "-1/-1", "{icmp_step}");
    assert!(
        !icmp_step["title"].as_str().unwrap().contains("65535"),
        "{icmp_step}"
    );
}

#[test]
fn comma_joined_access_entries_are_entries_of_their_own() {
    // F04, issue 12 finding 5: seed 000's `"restapi.amap.com:443,restapi.amap.com:80"`.
    let path = "tests/corpus/pass/NL3008_comma_joined_entries.netlink";
    let text = fs::read_to_string(root().join(path)).unwrap();
    let (compiled, sources) = common::compile_text("comma.netlink", &text);
    let (model, plan) = planned(&compiled, path);
    let hosts: Vec<String> = model.internet_accesses[0]
        .hosts
        .iter()
        .map(|e| format!("{}:{}", e.host, e.port.unwrap_or(0)))
        .collect();
    assert_eq!(hosts, ["restapi.amap.com:443", "restapi.amap.com:80"]);
    let files = netlink::emit::artifacts(model, plan, &compiled.proofs, &sources);
    let jobs = &files.iter().find(|(n, _)| *n == "jobs.json").unwrap().1;
    assert!(
        jobs.contains("set odps.internet.access.list=restapi.amap.com:443,restapi.amap.com:80;"),
        "{jobs}"
    );
    assert!(
        compiled.proofs.iter().all(|p| p.proven()),
        "every flow proven"
    );
}

#[test]
fn cen_connects_only_the_region_pairs_flows_cross() {
    // F40, issue 12 finding 1: three regions, flows Shanghai→Hangzhou and Shanghai→Beijing.
    let ex = "examples/dataworks_cen_three_regions.netlink";
    let plan = artifact(ex, "plan.json");
    let inter: Vec<&str> = steps(&plan)
        .iter()
        .filter(|s| s["action"] == "create-inter-region-connection")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        inter,
        [
            "cen.tri_cen.inter_region.cn-hangzhou.cn-shanghai",
            "cen.tri_cen.inter_region.cn-beijing.cn-shanghai"
        ]
    );
    // No transit router learns a route over a connection that does not exist.
    let routes = artifact(ex, "routes.json");
    let text = routes.to_string();
    assert!(!text.contains("cn-beijing.cn-hangzhou"), "{text}");
    let hops_of = |table: &str| -> Vec<String> {
        routes["tables"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["table"]["name"] == table)
            .flat_map(|t| t["entries"].as_array().unwrap())
            .map(|e| e["next_hop"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    let hangzhou = hops_of("tri_cen/cn-hangzhou");
    let beijing = hops_of("tri_cen/cn-beijing");
    assert!(
        hangzhou.contains(&"tri_cen/cn-shanghai".to_string()),
        "{hangzhou:?}"
    );
    assert!(
        !hangzhou.contains(&"tri_cen/cn-beijing".to_string()),
        "{hangzhou:?}"
    );
    assert!(
        !beijing.contains(&"tri_cen/cn-hangzhou".to_string()),
        "{beijing:?}"
    );
}

#[test]
fn vpn_between_vpcs_plans_both_sides() {
    // F31, issue 12 finding 2: seed 003 joins VPCs of other regions or accounts by VPN gateways.
    let ex = "examples/dataworks_cross_account_vpn.netlink";
    let plan = artifact(ex, "plan.json");
    let account_of = |id: &str| step(&plan, id)["account"].as_str().unwrap().to_string();
    assert_eq!(
        account_of("vpn_gateway.vpn_dw_to_source.create"),
        "vpn_dataworks_team"
    );
    assert_eq!(
        account_of("vpn_gateway.vpn_dw_to_source.peer.create"),
        "vpn_source_team"
    );
    assert_eq!(
        account_of("vpn_gateway.vpn_dw_to_source.ipsec"),
        "vpn_dataworks_team"
    );
    assert_eq!(
        account_of("vpn_gateway.vpn_dw_to_source.peer.ipsec"),
        "vpn_source_team"
    );
    // Each side's customer gateway is the other side's gateway.
    let ipsec = step(&plan, "vpn_gateway.vpn_dw_to_source.ipsec").to_string();
    assert!(
        ipsec.contains(r#""step":"vpn_gateway.vpn_dw_to_source.peer.create""#),
        "{ipsec}"
    );
    let deps: Vec<&str> = step(&plan, "vpn_gateway.vpn_dw_to_source.peer.ipsec")["depends_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["step"].as_str().unwrap())
        .collect();
    assert!(
        deps.contains(&"vpn_gateway.vpn_dw_to_source.create"),
        "{deps:?}"
    );
    assert!(
        deps.contains(&"vpn_gateway.vpn_dw_to_source.peer.create"),
        "{deps:?}"
    );
    // The return route in the source's VPC points at the source side's gateway.
    let back = step(&plan, "vpc.vpn_source_vpc.route.172.20.1.0_24").to_string();
    assert!(
        back.contains("vpn_gateway.vpn_dw_to_source.peer.create"),
        "{back}"
    );
    // And the flow is proven both ways over the tunnel.
    std::env::set_current_dir(root()).unwrap();
    let project = netlink::project::load(&[PathBuf::from(ex)]).unwrap();
    let compiled = netlink::compile(&project.sources);
    assert!(
        compiled.proofs.iter().all(|p| p.proven()),
        "every flow proven"
    );
    let trace = netlink::verify::trace_text(compiled.model.as_ref().unwrap(), &compiled.proofs[0]);
    assert!(trace.contains("vpn_dw_to_source"), "{trace}");
}

/// The value named `name` of a step, as text.
fn value_of(step: &Value, name: &str) -> String {
    step["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .map(|v| v.to_string())
        .unwrap_or_else(|| panic!("no value `{name}` in {step}"))
}

#[test]
fn the_plan_says_what_the_seeds_caution() {
    // Issue 12 findings 6-9: each of these lived nowhere or only in one artifact.
    // F08: MaxCompute's outbound IPs may change; do not enable access control on the target.
    let plan = artifact("examples/maxcompute_internet.netlink", "plan.json");
    let ask = step(&plan, "maxcompute.mc_internet.outbound_ip");
    assert!(value_of(ask, "caution").contains("access control"), "{ask}");
    let entry = steps(&plan)
        .iter()
        .find(|s| s["action"] == "add-whitelist")
        .expect("a whitelist step");
    assert!(value_of(entry, "caution").contains("may change"), "{entry}");
    // F25: a job started from DataWorks needs the resource group's own connection.
    let settings = steps(&plan)
        .iter()
        .find(|s| s["action"] == "set-job-settings")
        .unwrap();
    assert!(value_of(settings, "from DataWorks").contains("sandbox whitelist"));
    // F24, F26: the proxy cautions on a network-link job, not only on internet ones.
    let jobs = artifact("examples/maxcompute_rds_network_link.netlink", "jobs.json");
    let notes = jobs["flows"][0]["jobs"].to_string();
    assert!(
        notes.contains("persistent") && notes.contains("bandwidth"),
        "{notes}"
    );
    // F21: a UDF's OSS or Tablestore public endpoint is added to the whitelist by ticket.
    let plan = artifact("examples/maxcompute_cloud_services.netlink", "plan.json");
    let ticket = step(&plan, "maxcompute.mc_services.endpoint.lake_bucket");
    assert_eq!(ticket["manual"]["kind"], "ticket");
    let settings = step(&plan, "flow.oss_udf.settings");
    assert!(settings["depends_on"]
        .to_string()
        .contains("maxcompute.mc_services.endpoint.lake_bucket"));
    // F44: choose the payer carefully.
    let plan = artifact("examples/dataworks_cross_account_cen.netlink", "plan.json");
    let grant = steps(&plan)
        .iter()
        .find(|s| s["action"] == "grant-cen")
        .unwrap();
    assert!(value_of(grant, "caution").contains("payer"), "{grant}");
}

#[test]
fn same_region_cross_account_peering_is_free() {
    // F43: seed 004, "Using a VPC Peering Connection is free if ... different accounts but the
    // same region".
    let text = r#"
account a { uid = "1234567890123456" }
account b { uid = "6543210987654321" }
vpc va {
  account = a
  region  = cn-hangzhou
  cidr    = 192.168.0.0/16
}
vpc vb {
  account = b
  region  = cn-hangzhou
  cidr    = 172.16.0.0/16
}
peering p { requester = va  accepter = vb }
peering q { requester = va  accepter = vc }
vpc vc {
  account = a
  region  = cn-shanghai
  cidr    = 10.0.0.0/16
}
"#;
    let (compiled, sources) = common::compile_text("free.netlink", text);
    let (model, plan) = planned(&compiled, "the peering project");
    let files = netlink::emit::artifacts(model, plan, &compiled.proofs, &sources);
    let plan: Value =
        serde_json::from_str(&files.iter().find(|(n, _)| *n == "plan.json").unwrap().1).unwrap();
    assert!(value_of(step(&plan, "peering.p.create"), "cost").contains("free"));
    let across = step(&plan, "peering.q.create");
    assert!(
        !across["values"].to_string().contains("\"cost\""),
        "same account, other region: not free"
    );
}

#[test]
fn one_job_reaching_two_hosts_has_one_access_list() {
    // F04, F05, F06, issue 12 finding 3: a second `set odps.internet.access.list` in a session
    // replaces the first, so one job reaching two hosts gets one list with both.
    let path = "tests/corpus/pass/NL3020_one_job_two_hosts.netlink";
    let text = fs::read_to_string(root().join(path)).unwrap();
    let (compiled, sources) = common::compile_text("two_hosts.netlink", &text);
    let (model, plan_rows) = planned(&compiled, path);
    assert!(
        compiled.proofs.iter().all(|p| p.proven()),
        "both targets proven"
    );
    let files = netlink::emit::artifacts(model, plan_rows, &compiled.proofs, &sources);
    let jobs: Value =
        serde_json::from_str(&files.iter().find(|(n, _)| *n == "jobs.json").unwrap().1).unwrap();
    let flows: Vec<&str> = jobs["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["flow"].as_str().unwrap())
        .collect();
    assert_eq!(
        flows,
        ["enrich_orders.amap_api", "enrich_orders.partner_api"]
    );
    for f in jobs["flows"].as_array().unwrap() {
        let udf = &f["jobs"][0];
        assert_eq!(udf["job"], "udf");
        assert_eq!(
            udf["settings"],
            serde_json::json!([
                "set odps.internet.access.list=restapi.amap.com:443,api.partner-example.com:443;"
            ])
        );
    }
    let plan: Value =
        serde_json::from_str(&files.iter().find(|(n, _)| *n == "plan.json").unwrap().1).unwrap();
    let settings: Vec<&Value> = steps(&plan)
        .iter()
        .filter(|s| s["action"] == "set-job-settings")
        .collect();
    assert_eq!(settings.len(), 1, "one settings step for the job");
    assert_eq!(settings[0]["id"], "flow.enrich_orders.settings");
    let tests: Vec<&str> = steps(&plan)
        .iter()
        .filter(|s| s["action"] == "test-connectivity")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        tests,
        [
            "flow.enrich_orders.amap_api.test",
            "flow.enrich_orders.partner_api.test"
        ]
    );
}
