//! Review tooling: the PR-comment plan, graphs, completions and the man page.

mod common;

use common::{assert_exit, netlink, root, run, run_in, scratch, stdout_of};
use std::path::PathBuf;

/// A project with `n` peered VPC pairs, each with a resource group syncing a database.
fn large_project(n: usize) -> String {
    let mut out = String::from(
        "account a { uid = \"1234567890123456\" }\naccount b { uid = \"6543210987654321\" }\n",
    );
    for i in 0..n {
        let (x, y) = (2 * i, 2 * i + 1);
        let (hx, lx, hy, ly) = (x / 64, (x % 64) * 4, y / 64, (y % 64) * 4);
        out.push_str(&format!(
            "vpc v{x} {{ account = a  region = cn-hangzhou  cidr = 10.{hx}.{lx}.0/22\n  vswitch s {{ zone = cn-hangzhou-h  cidr = 10.{hx}.{lx}.0/24 }} }}\n\
             vpc v{y} {{ account = b  region = cn-hangzhou  cidr = 10.{hy}.{ly}.0/22\n  vswitch s {{ zone = cn-hangzhou-h  cidr = 10.{hy}.{ly}.0/24 }} }}\n\
             peering p{i} {{ requester = v{x}  accepter = v{y} }}\n\
             rds db{i} {{ vswitch = v{x}.s  engine = mysql }}\n\
             resource_group rg{i} {{ account = b  kind = serverless  vswitch = v{y}.s }}\n\
             flow f{i} {{ from = rg{i}  to = db{i}:3306  via = p{i}  ram_role = \"r\" }}\n"
        ));
    }
    out
}

#[test]
fn markdown_plan_fits_a_pull_request_comment() {
    let dir = scratch("markdown");
    let file = dir.join("large.netlink");
    std::fs::write(&file, large_project(200)).unwrap();
    let out = netlink()
        .args(["plan", "--format", "markdown"])
        .arg(&file)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.chars().count() < 50_000,
        "{} characters",
        md.chars().count()
    );
    assert!(md.contains("steps are left out"), "no truncation line");
    assert!(md.contains("console.md"));
    assert!(md.contains("Flows proven both ways: **200 of 200**"));
    assert!(md.contains("<details><summary>Account <code>a</code>"));
}

#[test]
fn markdown_plan_of_an_example() {
    let out = run(&[
        "plan",
        "--format",
        "markdown",
        "examples/dataworks_cross_account_peering.netlink",
    ]);
    assert_exit(&out, 0);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("| `account_a` |"), "{md}");
    assert!(
        md.contains(
            "| 3 | `peering.hz_to_sh.accept` | `account_b` | acceptance | 7 days after the request"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| `sync_orders` | `dw_rg` → `mysql_source` | ✅ | `peering.hz_to_sh.accept` |"
        ),
        "{md}"
    );
    assert!(!md.contains("left out"));
}

#[test]
fn step_graph_is_dot_with_accounts_and_waves() {
    let out = run(&["graph", "examples/dataworks_cross_account_peering.netlink"]);
    assert_exit(&out, 0);
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("digraph plan {"));
    assert!(dot.contains("label=\"account account_a (1234567890123456)\""));
    assert!(dot.contains("color=orange"), "manual step not marked");
    assert!(dot.contains("\\nwave 2"));
    // Waves share a rank across accounts (`newrank=true` lets a rank cross clusters).
    assert!(dot.contains("newrank=true;"));
    assert!(dot.contains("{ rank=same; "), "{dot}");
    insta::assert_snapshot!("steps_dot", dot);
    let mermaid = run(&[
        "graph",
        "--format",
        "mermaid",
        "examples/dataworks_cross_account_peering.netlink",
    ]);
    assert_exit(&mermaid, 0);
    insta::assert_snapshot!("steps_mermaid", String::from_utf8(mermaid.stdout).unwrap());
}

#[test]
fn topology_graph_joins_the_vpcs() {
    let out = run(&[
        "graph",
        "--topology",
        "examples/dataworks_cross_account_peering.netlink",
    ]);
    assert_exit(&out, 0);
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("graph topology {"));
    // The peering joins the two VPC boxes: clipped at their borders, no anchor points.
    assert!(
        dot.contains("[ltail=cluster_4, lhead=cluster_6, label=\"peering hz_to_sh\", penwidth=2]"),
        "{dot}"
    );
    assert!(!dot.contains("style=invis"), "{dot}");
    // The resource group and the database sit inside their vSwitch boxes.
    let vswitch = dot.find("label=\"vswitch dataworks_vswitch").unwrap();
    let rg = dot.find("label=\"resource_group dw_rg\"").unwrap();
    assert!(vswitch < rg, "{dot}");
    // The flow is an arrow from source to target, with its port.
    assert!(dot.contains("n1 -- n0 [label=\"sync_orders :3306\", style=dashed, color=blue, fontcolor=blue, dir=forward];"), "{dot}");
    insta::assert_snapshot!("topology_dot", dot);
    let mermaid = run(&[
        "graph",
        "--format",
        "mermaid",
        "--topology",
        "examples/dataworks_cross_account_peering.netlink",
    ]);
    assert_exit(&mermaid, 0);
    insta::assert_snapshot!(
        "topology_mermaid",
        String::from_utf8(mermaid.stdout).unwrap()
    );
}

#[test]
fn focus_draws_a_neighbourhood() {
    let whole = run(&["graph", "--topology", "examples/"]);
    let focused = run(&["graph", "--topology", "--focus", "sync_crm", "examples/"]);
    assert_exit(&focused, 0);
    let (whole, focused) = (stdout_of(&whole), stdout_of(&focused));
    assert!(
        focused.len() * 5 < whole.len(),
        "a flow's neighbourhood is a small part"
    );
    assert!(
        focused.contains("crm_db") && focused.contains("same_region_rg"),
        "{focused}"
    );
    assert!(!focused.contains("hz_to_sh"), "{focused}");
    let steps = run(&[
        "graph",
        "--focus",
        "hz_to_sh",
        "examples/dataworks_cross_account_peering.netlink",
    ]);
    assert_exit(&steps, 0);
    let steps = stdout_of(&steps);
    assert!(steps.contains("Accept peering hz_to_sh"), "{steps}");
    let none = run(&["graph", "--focus", "no_such_block", "examples/"]);
    assert_exit(&none, 2);
}

#[test]
fn a_cycle_is_drawn_in_red() {
    let out = run(&["graph", "tests/corpus/fail/NL4001_after_cycle.netlink"]);
    assert_exit(&out, 0);
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.contains("label=\"vpc hz_vpc\", color=red"), "{dot}");
    assert!(dot.contains("label=\"vpc sh_vpc\", color=red"), "{dot}");
    assert_eq!(
        dot.matches("[label=\"after\", color=red").count(),
        2,
        "{dot}"
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert_exit(&out, 0);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("netlink"), "{shell}");
        assert!(text.contains("trace"), "{shell}: subcommands missing");
    }
    let out = run(&["man"]);
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(man.contains(".TH netlink 1"));
    assert!(man.contains("check"));
}

fn variant() -> PathBuf {
    let dir = scratch("variant");
    let text =
        std::fs::read_to_string(root().join("examples/dataworks_cross_account_peering.netlink"))
            .unwrap();
    let changed = text
        .replace("link_type = gold", "link_type = platinum")
        .replace("  via      = hz_to_sh\n", "  via      = hz_to_sh\n  mode     = read\n")
        .replace("rds mysql_source {", "whitelist office { target = mysql_source  entries = [172.16.66.0/24, 10.0.0.0/24] }\n\nrds mysql_source {");
    let file = dir.join("variant.netlink");
    std::fs::write(&file, changed).unwrap();
    file
}

#[test]
fn diff_of_two_variants() {
    let out = netlink()
        .args(["diff", "examples/dataworks_cross_account_peering.netlink"])
        .arg(variant())
        .output()
        .unwrap();
    assert_exit(&out, 3);
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
    let out = netlink()
        .args([
            "diff",
            "--format",
            "json",
            "examples/dataworks_cross_account_peering.netlink",
        ])
        .arg(variant())
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ops: Vec<(&str, &str)> = j["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["op"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert!(ops.contains(&("~", "step")), "{ops:?}");
    assert!(ops.contains(&("+", "whitelist")), "{ops:?}");
    let same = run(&[
        "diff",
        "examples/dataworks_cross_account_peering.netlink",
        "examples/dataworks_cross_account_peering.netlink",
    ]);
    assert_exit(&same, 0);
    assert!(stdout_of(&same).contains("No changes"));
    let usage = run(&["diff", "examples/dataworks_cross_account_peering.netlink"]);
    assert_exit(&usage, 2);
}

#[test]
fn diff_against_a_git_revision() {
    let dir = scratch("git");
    std::fs::create_dir_all(dir.join("net")).unwrap();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args([
                "-c",
                "user.email=t@example.com",
                "-c",
                "user.name=t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    let original =
        std::fs::read_to_string(root().join("examples/dataworks_cross_account_peering.netlink"))
            .unwrap();
    std::fs::write(dir.join("net/project.netlink"), &original).unwrap();
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    std::fs::write(
        dir.join("net/project.netlink"),
        original.replace("link_type = gold", "link_type = platinum"),
    )
    .unwrap();
    let out = run_in(&dir, &["diff", "--base", "HEAD", "net"]);
    assert_exit(&out, 3);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("value `link type`: gold → platinum"),
        "{text}"
    );
    let bad = run_in(&dir, &["diff", "--base", "no-such-rev", "net"]);
    assert_exit(&bad, 2);
}

#[test]
fn diff_and_plan_joined_fit_one_comment() {
    let dir = scratch("joined");
    let old = dir.join("old.netlink");
    let new = dir.join("new.netlink");
    std::fs::write(&old, large_project(20)).unwrap();
    std::fs::write(&new, large_project(400)).unwrap();
    let diff = netlink()
        .args(["diff", "--format", "markdown"])
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_exit(&diff, 3);
    let diff = String::from_utf8(diff.stdout).unwrap();
    assert!(diff.contains("more changes left out"), "the diff is cut");
    let plan = netlink()
        .args(["plan", "--format", "markdown"])
        .arg(&new)
        .output()
        .unwrap();
    assert_exit(&plan, 0);
    let joined = diff + &String::from_utf8(plan.stdout).unwrap();
    assert!(
        joined.chars().count() < 65_000,
        "{} characters",
        joined.chars().count()
    );
}
