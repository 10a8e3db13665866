//! Review tooling: the PR-comment plan, graphs, completions and the man page.

use assert_cmd::Command;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn netlink() -> Command {
    let mut c = Command::cargo_bin("netlink").unwrap();
    c.current_dir(root());
    c
}

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
    let dir = std::env::temp_dir().join(format!("netlink-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("large.netlink");
    std::fs::write(&file, large_project(200)).unwrap();
    let out = netlink()
        .args(["plan", "--format", "markdown"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.chars().count() < 60_000,
        "{} characters",
        md.chars().count()
    );
    assert!(md.contains("steps are left out"), "no truncation line");
    assert!(md.contains("console.md"));
    assert!(md.contains("Flows proven both ways: **200 of 200**"));
    assert!(md.contains("<details><summary>Account `a`"));
}

#[test]
fn markdown_plan_of_an_example() {
    let out = netlink()
        .args([
            "plan",
            "--format",
            "markdown",
            "examples/dataworks_cross_account_peering.netlink",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
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
    let out = netlink()
        .args(["graph", "examples/dataworks_cross_account_peering.netlink"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("digraph plan {"));
    assert!(dot.contains("label=\"account account_a (1234567890123456)\""));
    assert!(
        dot.contains("\"peering.hz_to_sh.create\" -> \"peering.hz_to_sh.accept\""),
        "{dot}"
    );
    assert!(dot.contains("color=orange"), "manual step not marked");
    assert!(dot.contains("\\nwave 2"));
}

#[test]
fn topology_graph_joins_the_vpcs() {
    let out = netlink()
        .args([
            "graph",
            "--topology",
            "examples/dataworks_cross_account_peering.netlink",
        ])
        .output()
        .unwrap();
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("graph topology {"));
    assert!(dot.contains("\"vpc:account_a_hangzhou_vpc\" -- \"vpc:account_b_shanghai_vpc\" [label=\"peering hz_to_sh\""), "{dot}");
    assert!(
        dot.contains("\"compute:dw_rg\" -- \"target:mysql_source\" [style=dashed"),
        "{dot}"
    );
}

#[test]
fn a_cycle_is_drawn_in_red() {
    let out = netlink()
        .args(["graph", "tests/corpus/fail/NL4001_after_cycle.netlink"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(
        dot.contains("\"vpc hz_vpc\" -> \"vpc sh_vpc\" [color=red"),
        "{dot}"
    );
    assert!(
        dot.contains("\"vpc sh_vpc\" -> \"vpc hz_vpc\" [color=red"),
        "{dot}"
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = netlink().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("netlink"), "{shell}");
        assert!(text.contains("trace"), "{shell}: subcommands missing");
    }
    let out = netlink().args(["man"]).output().unwrap();
    let man = String::from_utf8(out.stdout).unwrap();
    assert!(man.contains(".TH netlink 1"));
    assert!(man.contains("check"));
}
