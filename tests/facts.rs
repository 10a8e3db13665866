//! Seed facts stated outright on the artifacts: the facts `docs/fidelity.md` used to show only by
//! a snapshot (which says what is, not what must be), each asserted where it lands.

mod common;

use common::{compile_text, planned, root};
use serde_json::Value;
use std::fs;

/// Every artifact of a project held in memory, by name.
fn artifacts_of(name: &str, text: &str) -> Vec<(&'static str, String)> {
    let (compiled, sources) = compile_text(name, text);
    let (model, plan) = planned(&compiled, name);
    assert!(
        compiled.proofs.iter().all(|p| p.proven()),
        "{name}: every flow proven"
    );
    netlink::emit::artifacts(model, plan, &compiled.proofs, &sources)
}

/// One artifact of an example, parsed.
fn artifact(example: &str, file: &str) -> Value {
    let text = fs::read_to_string(root().join("examples").join(example)).unwrap();
    parsed(&artifacts_of(example, &text), file)
}

fn parsed(files: &[(&'static str, String)], file: &str) -> Value {
    let text = &files.iter().find(|(n, _)| *n == file).unwrap().1;
    serde_json::from_str(text).unwrap()
}

/// The settings of one flow's job kind in `jobs.json`.
fn settings(jobs: &Value, flow: &str, job: &str) -> Vec<String> {
    jobs["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["flow"] == flow)
        .flat_map(|f| f["jobs"].as_array().unwrap())
        .filter(|j| j["job"] == job)
        .flat_map(|j| j["settings"].as_array().unwrap())
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn steps(plan: &Value) -> &Vec<Value> {
    plan["steps"].as_array().unwrap()
}

fn ids(plan: &Value) -> Vec<&str> {
    steps(plan)
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect()
}

/// Every whitelist entry of a target, as text.
fn entries(whitelists: &Value, target: &str) -> Vec<String> {
    whitelists["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["target"] == target)
        .flat_map(|t| t["entries"].as_array().unwrap())
        .map(|e| e["entry"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn internet_scheme_job_settings() {
    let jobs = artifact("maxcompute_internet.netlink", "jobs.json");
    // F05: SQL UDFs list `host:port` entries, comma-separated (F04).
    assert_eq!(
        settings(&jobs, "udf_amap", "udf"),
        ["set odps.internet.access.list=restapi.amap.com:443,restapi.amap.com:80;"]
    );
    // F06: Spark turns smartnat on and lists the hosts.
    let spark = settings(&jobs, "spark_partner", "spark");
    assert_eq!(spark[0], "spark.hadoop.odps.cupid.smartnat.enable = true");
    assert!(
        spark[1].starts_with(
            "spark.hadoop.odps.cupid.internet.access.list=api.partner-example.com:443"
        ),
        "{spark:?}"
    );
    // F07: MaxFrame passes the list in its SQL settings.
    let maxframe = settings(&jobs, "maxframe_amap", "maxframe");
    assert!(
        maxframe[0].starts_with(
            r#"options.sql.settings = {"odps.internet.access.list": "restapi.amap.com:"#
        ),
        "{maxframe:?}"
    );
}

#[test]
fn network_link_spark_settings_name_the_vpc() {
    // F19: Spark reaches a VPC by ENI: eni.enable and eni.info=<region>:<vpc id>.
    let jobs = artifact("maxcompute_emr_hive.netlink", "jobs.json");
    let flow = jobs["flows"][0]["flow"].as_str().unwrap().to_string();
    let spark = settings(&jobs, &flow, "spark");
    assert_eq!(spark[0], "spark.hadoop.odps.cupid.eni.enable = true");
    assert!(
        spark[1].starts_with("spark.hadoop.odps.cupid.eni.info=cn-"),
        "{spark:?}"
    );
}

#[test]
fn targets_whitelist_the_link_vswitch_block_never_eni_addresses() {
    // F13, F16: ENI addresses change, so a whitelist-only target gets the link's vSwitch block.
    let wl = artifact("maxcompute_rds_network_link.netlink", "whitelists.json");
    let listed = entries(&wl, "orders_rds");
    assert_eq!(listed, ["192.168.10.0/24"], "the link's vSwitch block");
    assert!(listed.iter().all(|e| !e.ends_with("/32")));
}

#[test]
fn hadoop_targets_default_to_hive_and_hdfs_ports() {
    // F15: without `services`, a Hadoop cluster's group admits MaxCompute on the Hive metastore
    // (9083), the HDFS NameNode (8020) and DataNode (50010) ports.
    let text = r#"
account acme { uid = "1234567890123456" }

vpc hive_vpc {
  account = acme
  region  = cn-hangzhou
  cidr    = 10.0.0.0/16
  vswitch mc_h { zone = cn-hangzhou-h  cidr = 10.0.1.0/24 }
  security_group mc_sg { type = basic }
  security_group emr_sg { type = basic }
}

hadoop emr {
  vswitch        = hive_vpc.mc_h
  cluster_id     = "c-0123456789abcdef"
  security_group = hive_vpc.emr_sg
}

maxcompute mc {
  account = acme
  region  = cn-hangzhou
}

network_link mc_link {
  maxcompute     = mc
  vpc            = hive_vpc
  vswitch        = hive_vpc.mc_h
  security_group = hive_vpc.mc_sg
}

flow read_hive {
  from = mc
  to   = emr
}
"#;
    let groups = parsed(
        &artifacts_of("hadoop.netlink", text),
        "security-groups.json",
    );
    let ports: Vec<String> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["group"] == "hive_vpc.emr_sg")
        .flat_map(|g| g["rules"].as_array().unwrap())
        .map(|r| r["ports"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ports, ["9083/9083", "8020/8020", "50010/50010"]);
}

#[test]
fn managed_advanced_group_gets_egress_and_its_own_ingress() {
    // F32: an advanced group on a resource group needs an outbound rule to the source and an
    // inbound rule from the group's own vSwitch block; netlink adds both to a group it manages.
    let text = r#"
account acme { uid = "1234567890123456" }

vpc dw_vpc {
  account = acme
  region  = cn-hangzhou
  cidr    = 192.168.0.0/16
  vswitch dw_h { zone = cn-hangzhou-h  cidr = 192.168.20.0/24 }
  vswitch db_h { zone = cn-hangzhou-h  cidr = 192.168.30.0/24 }
  security_group rg_sg { type = advanced }
}

rds crm {
  vswitch = dw_vpc.db_h
  engine  = mysql
}

resource_group rg {
  account        = acme
  kind           = serverless
  vswitch        = dw_vpc.dw_h
  security_group = dw_vpc.rg_sg
}

flow sync_crm {
  from = rg
  to   = crm:3306
}
"#;
    let groups = parsed(
        &artifacts_of("advanced.netlink", text),
        "security-groups.json",
    );
    let rules: Vec<(String, String, String)> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["group"] == "dw_vpc.rg_sg")
        .flat_map(|g| g["rules"].as_array().unwrap())
        .map(|r| {
            let peer = if r["direction"] == "egress" {
                &r["destination"]
            } else {
                &r["source"]
            };
            (
                r["direction"].as_str().unwrap().to_string(),
                r["ports"].as_str().unwrap().to_string(),
                peer["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = |d: &str, p: &str, n: &str| (d.to_string(), p.to_string(), n.to_string());
    assert!(
        rules.contains(&want("egress", "3306/3306", "192.168.30.0/24")),
        "{rules:?}"
    );
    assert!(
        rules.contains(&want("ingress", "1/65535", "192.168.20.0/24")),
        "{rules:?}"
    );
}

#[test]
fn same_region_sources_bind_and_whitelist_the_vswitch_block() {
    // F30: one account, one region: bind the group to the source's VPC, whitelist its vSwitch.
    let plan = artifact("dataworks_same_region.netlink", "plan.json");
    let ids = ids(&plan);
    assert!(
        ids.contains(&"resource_group.same_region_rg.bind"),
        "{ids:?}"
    );
    assert!(
        !ids.iter().any(|i| i.contains(".route.")),
        "no routes in one VPC: {ids:?}"
    );
    let wl = artifact("dataworks_same_region.netlink", "whitelists.json");
    assert_eq!(entries(&wl, "crm_db"), ["192.168.20.0/24"]);
}

#[test]
fn internet_sources_whitelist_the_nat_gateways_eip() {
    // F34: over the internet a serverless group is seen as its NAT gateway's EIP, which may
    // change.
    let wl = artifact("dataworks_internet_nat.netlink", "whitelists.json");
    let target = wl["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == "partner_mysql")
        .unwrap();
    let entry = &target["entries"][0];
    assert_eq!(entry["entry"], "203.0.113.10");
    assert_eq!(entry["warning"], "eip-may-change", "{entry}");
}

#[test]
fn emr_endpoints_in_the_clusters_vpc_need_no_ticket() {
    // F46: in the cluster's VPC PrivateZone resolves the endpoints; F47: from another VPC a
    // ticket associates it; F49: the client keeps the VPC DNS servers.
    let plan = artifact("emr_endpoints.netlink", "plan.json");
    let tickets: Vec<&str> = ids(&plan)
        .into_iter()
        .filter(|i| i.contains(".privatezone."))
        .collect();
    assert_eq!(tickets, ["emr.emr_cluster.privatezone.app_vpc"]);
    let test = steps(&plan)
        .iter()
        .find(|s| s["id"] == "flow.same_vpc_web.test")
        .unwrap();
    let path = test["path"].as_str().unwrap();
    assert!(
        path.contains("100.100.2.136") && path.contains("100.100.2.138"),
        "{path}"
    );
}

/// Whether any job note of the flows in `jobs.json` contains `text`.
fn a_note_says(jobs: &Value, text: &str) -> bool {
    jobs["flows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["jobs"].as_array().unwrap())
        .flat_map(|j| j["notes"].as_array().into_iter().flatten())
        .any(|n| n.as_str().unwrap().contains(text))
}

#[test]
fn seed_facts_without_an_id_are_said_where_they_apply() {
    // Issue 12 finding 12, each from the seed that says it.
    // 000/001 disclaimer: the outbound proxy IP addresses are limited in number.
    let jobs = artifact("maxcompute_internet.netlink", "jobs.json");
    assert!(a_note_says(&jobs, "limited in number"));
    // 000, prerequisites: lakehouse needs the Hive-compatible data type edition.
    let jobs = artifact("maxcompute_emr_hive.netlink", "jobs.json");
    assert!(a_note_says(&jobs, "Hive-compatible"));
    // 000: the network-link setting lasts one session.
    let jobs = artifact("maxcompute_rds_network_link.netlink", "jobs.json");
    assert!(a_note_says(&jobs, "lasts for one session"));
    // 000/001: a host under security restrictions needs its organisation's owner.
    let plan = artifact("maxcompute_internet.netlink", "plan.json");
    let apply = steps(&plan)
        .iter()
        .find(|s| s["action"] == "apply-internet-access")
        .unwrap();
    assert!(
        apply["values"].to_string().contains("organisation's owner"),
        "{apply}"
    );
    // 002 step 1: a first peering enables CDT; step 2: the route goes into the table of the
    // sending vSwitch, one of perhaps several.
    let plan = artifact("emr_endpoints.netlink", "plan.json");
    let create = steps(&plan)
        .iter()
        .find(|s| s["action"] == "create-peering")
        .unwrap();
    assert!(
        create["values"].to_string().contains("enable CDT"),
        "{create}"
    );
    let route = steps(&plan)
        .iter()
        .find(|s| s["action"] == "add-route")
        .unwrap();
    assert!(
        route["path"].as_str().unwrap().contains("sending vSwitch"),
        "{route}"
    );
}
