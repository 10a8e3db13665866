//! The Terraform export against the alicloud provider's schema: every resource type exists, every
//! argument is one the schema lets a configuration set (not read-only, deprecated or removed),
//! every Required argument is set, values have the schema's types, and literal enum values are
//! from the allowed lists. Provider blocks likewise.
//!
//! `tests/fixtures/alicloud-schema.json` is copied from the team's extraction of
//! `aliyun/terraform-provider-alicloud` at commit 81c43b6727a09e9da37b3d88818c3ba5fa17fa14
//! (2026-08-21, v1.289.0-8-g81c43b672; SDK v1): argument names, kinds, flags and enum values read
//! from the provider's Go source, no provider code. It covers resources only (no data sources).

mod common;

use common::{compile_text, planned, root};
use serde_json::Value;
use std::fs;

fn schema() -> Value {
    let text = fs::read_to_string(root().join("tests/fixtures/alicloud-schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Is `v` an interpolation (`"${...}"`), which Terraform types at plan time?
fn interpolated(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.starts_with("${") && s.ends_with('}'))
}

/// Problems of one set of arguments against a schema's `{ name: ARG }`.
fn check_args(
    what: &str,
    body: &Value,
    args: &Value,
    allowed_meta: &[&str],
    out: &mut Vec<String>,
) {
    let Some(obj) = body.as_object() else {
        out.push(format!("{what}: not an object"));
        return;
    };
    for (k, v) in obj {
        if allowed_meta.contains(&k.as_str()) {
            continue;
        }
        let Some(arg) = args.get(k) else {
            out.push(format!("{what}: `{k}` is not an argument"));
            continue;
        };
        let settable = arg["required"] == true || arg["optional"] == true;
        if !settable {
            out.push(format!("{what}: `{k}` is read-only"));
        }
        if arg.get("deprecated").is_some() || arg.get("removed").is_some() {
            out.push(format!("{what}: `{k}` is deprecated or removed"));
        }
        let ty = arg["type"].as_str().unwrap_or("");
        let ok = interpolated(v)
            || match ty {
                // Terraform converts numbers and bools given as strings, as the provider's
                // own examples do for UIDs.
                "TypeString" => v.is_string(),
                "TypeInt" | "TypeFloat" => {
                    v.is_number() || v.as_str().is_some_and(|s| s.parse::<f64>().is_ok())
                }
                "TypeBool" => v.is_boolean(),
                "TypeList" | "TypeSet" => v.is_array(),
                "TypeMap" => v.is_object(),
                _ => false,
            };
        if !ok {
            out.push(format!("{what}: `{k}` should be {ty}, is {v}"));
        }
        if let (Some(s), Some(values)) = (v.as_str(), arg["validation"]["values"].as_array()) {
            if arg["validation"]["kind"] == "StringInSlice"
                && !interpolated(v)
                && !values.iter().any(|x| x == s)
            {
                out.push(format!("{what}: `{k}` = `{s}` is not one of {values:?}"));
            }
        }
        if let (Some(block), Some(items)) = (arg.get("block"), v.as_array()) {
            for (i, item) in items.iter().enumerate() {
                check_args(&format!("{what}.{k}[{i}]"), item, block, &[], out);
            }
        }
    }
    if let Some(args) = args.as_object() {
        for (k, arg) in args {
            if arg["required"] == true && !obj.contains_key(k) {
                out.push(format!("{what}: Required `{k}` is not set"));
            }
        }
    }
}

/// Every problem of an export (files by path) against the schema.
fn problems(files: &[(String, String)], schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".tf.json")) {
        let doc: Value = match serde_json::from_str(text) {
            Ok(d) => d,
            Err(e) => {
                out.push(format!("{path}: not JSON: {e}"));
                continue;
            }
        };
        if let Some(kinds) = doc["resource"].as_object() {
            for (kind, named) in kinds {
                let r = &schema["resources"][kind];
                if r["present"] != true {
                    out.push(format!(
                        "{path}: `{kind}` is not a resource of the provider"
                    ));
                    continue;
                }
                for (name, body) in named.as_object().into_iter().flatten() {
                    let what = format!("{path}: {kind}.{name}");
                    check_args(
                        &what,
                        body,
                        &r["arguments"],
                        &["//", "provider", "depends_on"],
                        &mut out,
                    );
                }
            }
        }
        if let Some(blocks) = doc["provider"]["alicloud"].as_array() {
            for (i, b) in blocks.iter().enumerate() {
                let what = format!("{path}: provider.alicloud[{i}]");
                check_args(
                    &what,
                    b,
                    &schema["provider"]["arguments"],
                    &["alias"],
                    &mut out,
                );
            }
        }
    }
    out
}

fn export_of(name: &str, text: &str) -> Vec<(String, String)> {
    let (compiled, _) = compile_text(name, text);
    let (model, plan) = planned(&compiled, name);
    netlink::emit::terraform_export(model, plan)
}

#[test]
fn every_example_exports_what_the_schema_accepts() {
    let schema = schema();
    let mut exported = 0;
    for entry in fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "netlink") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let files = export_of(&name, &fs::read_to_string(&path).unwrap());
        exported += files
            .iter()
            .filter(|(p, _)| p.ends_with(".tf.json"))
            .count();
        let found = problems(&files, &schema);
        assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
    }
    assert!(exported > 0, "the examples export something");
}

#[test]
fn generated_projects_export_what_the_schema_accepts() {
    let schema = schema();
    for seed in 0..3 {
        let project = netlink::gen::project_seeded(60, seed);
        let files = export_of("gen.netlink", &project);
        let found = problems(&files, &schema);
        assert!(found.is_empty(), "seed {seed}:\n{}", found.join("\n"));
    }
}

#[test]
fn the_check_fails_broken_exports() {
    // A misspelt argument, a missing Required one, a bad enum value, an unknown resource type.
    let schema = schema();
    let text = fs::read_to_string(root().join("examples/dataworks_cross_account_peering.netlink"))
        .unwrap();
    let files = export_of("peering.netlink", &text);
    let break_with = |from: &str, to: &str| -> Vec<String> {
        let broken: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.clone(), t.replacen(from, to, 1)))
            .collect();
        problems(&broken, &schema)
    };
    assert!(problems(&files, &schema).is_empty());
    let misspelt = break_with("\"accepting_vpc_id\"", "\"accepting_vpcid\"");
    assert!(
        misspelt
            .iter()
            .any(|p| p.contains("`accepting_vpcid` is not an argument")),
        "{misspelt:?}"
    );
    assert!(
        misspelt
            .iter()
            .any(|p| p.contains("Required `accepting_vpc_id`")),
        "{misspelt:?}"
    );
    let bad_enum = break_with("\"Gold\"", "\"Bronze\"");
    assert!(
        bad_enum
            .iter()
            .any(|p| p.contains("`Bronze` is not one of")),
        "{bad_enum:?}"
    );
    let unknown = break_with(
        "\"alicloud_vpc_peer_connection\"",
        "\"alicloud_vpc_peering\"",
    );
    assert!(
        unknown.iter().any(|p| p.contains("is not a resource")),
        "{unknown:?}"
    );
}

#[test]
fn a_step_done_by_hand_between_two_resources_splits_the_export() {
    // The target's group rule admits MaxCompute's group, and waits for the network link, made in
    // the MaxCompute console; MaxCompute's group comes before the link. So: phase 1 creates the
    // group, the link is made by hand, phase 2 adds the rule, taking the group's id from phase 1.
    let text = r#"
account acme { uid = "1234567890123456" }

vpc link_vpc {
  account = acme
  region  = cn-hangzhou
  cidr    = 192.168.0.0/16
  vswitch mc_h { zone = cn-hangzhou-h  cidr = 192.168.10.0/24 }
  security_group mc_sg { type = basic }
  security_group db_sg { type = basic }
}

rds orders {
  vswitch        = link_vpc.mc_h
  engine         = mysql
  access         = [security_group]
  security_group = link_vpc.db_sg
}

maxcompute mc {
  account = acme
  region  = cn-hangzhou
}

network_link mc_link {
  maxcompute     = mc
  vpc            = link_vpc
  vswitch        = link_vpc.mc_h
  security_group = link_vpc.mc_sg
}

flow read_orders {
  from = mc
  to   = orders:3306
}
"#;
    let files = export_of("phases.netlink", text);
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.contains(&"phase-1/acme.tf.json"), "{paths:?}");
    assert!(paths.contains(&"phase-2/acme.tf.json"), "{paths:?}");
    let file = |p: &str| -> Value {
        serde_json::from_str(&files.iter().find(|(q, _)| q == p).unwrap().1).unwrap()
    };
    let carried = "security_group_link_vpc__mc_sg_id";
    assert_eq!(
        file("phase-1/outputs.tf.json")["output"][carried]["value"],
        "${alicloud_security_group.link_vpc__mc_sg.id}"
    );
    assert!(file("phase-2/variables.tf.json")["variable"][carried].is_object());
    let phase2 = files
        .iter()
        .find(|(p, _)| p == "phase-2/acme.tf.json")
        .unwrap();
    assert!(
        phase2.1.contains(&format!("${{var.{carried}}}")),
        "{}",
        phase2.1
    );
    let readme = &files.iter().find(|(p, _)| p == "README.md").unwrap().1;
    assert!(
        readme.contains("`network_link.mc_link.create`")
            && readme.contains("after phase 1, before phase 2"),
        "{readme}"
    );
    assert!(problems(&files, &schema()).is_empty());
}

#[test]
fn every_plan_dependency_between_resources_is_a_reference_or_depends_on() {
    // Terraform orders resources by references and `depends_on` alone; a plan edge between two
    // exported steps of one phase must be one of them, or `apply` could run them in any order.
    for entry in fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "netlink") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (compiled, sources) = compile_text(&name, &fs::read_to_string(&path).unwrap());
        let (model, plan) = planned(&compiled, &name);
        let files = netlink::emit::terraform_export(model, plan);
        let artifacts = netlink::emit::artifacts(model, plan, &compiled.proofs, &sources);
        let plan_json: Value =
            serde_json::from_str(&artifacts.iter().find(|(n, _)| *n == "plan.json").unwrap().1)
                .unwrap();
        // Every resource: (module directory, address, step id, its body).
        let mut resources: Vec<(String, String, String, Value)> = Vec::new();
        for (p, text) in files.iter().filter(|(p, _)| p.ends_with(".tf.json")) {
            let dir = p
                .rsplit_once('/')
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            let doc: Value = serde_json::from_str(text).unwrap();
            for (kind, named) in doc["resource"].as_object().into_iter().flatten() {
                for (rname, body) in named.as_object().into_iter().flatten() {
                    let step = body["//"]
                        .as_str()
                        .unwrap()
                        .trim_start_matches("netlink step ");
                    resources.push((
                        dir.clone(),
                        format!("{kind}.{rname}"),
                        step.to_string(),
                        body.clone(),
                    ));
                }
            }
        }
        for step in plan_json["steps"].as_array().unwrap() {
            let id = step["id"].as_str().unwrap();
            for waiting in resources.iter().filter(|r| r.2 == id) {
                for dep in step["depends_on"].as_array().unwrap() {
                    let before = dep["step"].as_str().unwrap();
                    for first in resources
                        .iter()
                        .filter(|r| r.2 == before && r.0 == waiting.0)
                    {
                        let text = waiting.3.to_string();
                        let referenced = text.contains(&format!("${{{}.", first.1));
                        let listed = waiting.3["depends_on"]
                            .as_array()
                            .is_some_and(|d| d.iter().any(|x| x == first.1.as_str()));
                        assert!(
                            referenced || listed,
                            "{name}: {} waits for {} in the plan, but Terraform does not know",
                            waiting.1,
                            first.1
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_export_readme_reads_as_one_table_row_per_step() {
    // Read as GitHub reads it (comrak, GFM tables), on the hostile project too: every step one
    // row of six cells, its id intact in a code span, no raw HTML.
    use comrak::nodes::NodeValue;
    use comrak::{parse_document, Arena, Options};
    for path in [
        "examples/dataworks_cross_account_cen.netlink",
        "tests/fixtures/hostile/peering.netlink",
    ] {
        let text = fs::read_to_string(root().join(path)).unwrap();
        let (compiled, _) = compile_text("readme.netlink", &text);
        let (model, plan) = planned(&compiled, path);
        let files = netlink::emit::terraform_export(model, plan);
        let readme = &files.iter().find(|(p, _)| p == "README.md").unwrap().1;
        let mut o = Options::default();
        o.extension.table = true;
        let arena = Arena::new();
        let doc = parse_document(&arena, readme, &o);
        let mut rows: Vec<Vec<String>> = Vec::new();
        for n in doc.descendants() {
            match &n.data().value {
                NodeValue::TableRow(_) => {
                    let cells = n
                        .children()
                        .map(|c| {
                            c.descendants()
                                .filter_map(|d| match &d.data().value {
                                    NodeValue::Text(t) => Some(t.to_string()),
                                    NodeValue::Code(c) => Some(c.literal.clone()),
                                    _ => None,
                                })
                                .collect::<String>()
                        })
                        .collect();
                    rows.push(cells);
                }
                NodeValue::HtmlInline(h) => panic!("{path}: raw HTML {h}"),
                NodeValue::HtmlBlock(h) => panic!("{path}: raw HTML {}", h.literal),
                _ => {}
            }
        }
        assert_eq!(
            rows.len(),
            plan.steps.len() + 1,
            "{path}: a header and a row per step"
        );
        for (i, &s) in plan.order.iter().enumerate() {
            let row = &rows[i + 1];
            assert_eq!(row.len(), 6, "{path}: {row:?}");
            assert!(row[1].starts_with(&plan.steps[s].id), "{path}: {row:?}");
        }
    }
}

#[test]
fn a_route_written_into_a_transit_router_is_exported() {
    let path = "tests/corpus/pass/NL3111_next_hop_attached.netlink";
    let files = export_of(
        "tr.netlink",
        &fs::read_to_string(root().join(path)).unwrap(),
    );
    let all: String = files.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        all.contains("\"alicloud_cen_transit_router_route_entry\""),
        "{all}"
    );
    assert!(all.contains("transit_router_attachment_id"), "{all}");
    let found = problems(&files, &schema());
    assert!(found.is_empty(), "{}", found.join("\n"));
}
