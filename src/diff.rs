//! `netlink diff`: what changes between two projects' plans and artifacts, as `+` / `-` / `~`
//! rows (steps, route entries, whitelist entries, security-group rules, job settings), like
//! `terraform plan` shows changes.
//!
//! Both sides are compiled to their artifacts and compared by key, so the diff sees exactly
//! what `netlink build` would write, and never line numbers.

use crate::text::term;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The Markdown diff's budget: joined with the plan ([`crate::emit::MARKDOWN_MAX_CHARS`]) as
/// `docs/ci.md` shows, one PR comment stays under 65,000 characters.
pub const MARKDOWN_MAX_CHARS: usize = 15_000;

/// The longest run of backticks in `s`.
fn longest_backtick_run(s: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `+` added, `-` removed, `~` changed.
    pub op: &'static str,
    /// `step`, `account`, `vpc`, `vswitch`, `target`, `compute`, `flow`, `route`, `whitelist`,
    /// `security-group rule`, `job`.
    pub kind: &'static str,
    /// What it is (`peering.a_to_b.accept`, `vpc hz_vpc 172.16.66.0/24`).
    pub key: String,
    /// The new (or removed) value in a line.
    pub summary: String,
    /// For `~`: which fields changed, `field: old → new`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// Every change, in a stable order (kind, then key).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    /// The changes.
    pub changes: Vec<Change>,
}

fn parse<S: AsRef<str>>(files: &[(S, String)], name: &str) -> Value {
    files
        .iter()
        .find(|(n, _)| n.as_ref() == name)
        .and_then(|(_, t)| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".to_string(),
        other => other.to_string(),
    }
}

/// Rows keyed for comparison: key → (summary, compared fields). An added or removed row shows
/// its fields too.
type Rows = BTreeMap<String, (String, BTreeMap<String, String>)>;

fn fields(v: &Value, keep: &[&str]) -> BTreeMap<String, String> {
    keep.iter().map(|k| (k.to_string(), s(&v[*k]))).collect()
}

fn step_rows(plan: &Value) -> Rows {
    let mut rows = Rows::new();
    for st in plan["steps"].as_array().into_iter().flatten() {
        let mut f = fields(
            st,
            &[
                "title", "action", "account", "region", "console", "path", "manual",
            ],
        );
        for v in st["values"].as_array().into_iter().flatten() {
            let val = if v.get("value").is_some() {
                s(&v["value"])
            } else if let Some(list) = v.get("values") {
                s(list)
            } else {
                format!("(known after {})", s(&v["known_after"]["step"]))
            };
            f.insert(format!("value `{}`", s(&v["name"])), val);
        }
        let summary = format!(
            "{}  [account `{}`, {} console{}]",
            s(&st["title"]),
            s(&st["account"]),
            s(&st["console"]),
            st["region"]
                .as_str()
                .map(|r| format!(", {r}"))
                .unwrap_or_default()
        );
        rows.insert(s(&st["id"]), (summary, f));
    }
    rows
}

fn route_rows(routes: &Value) -> Rows {
    let mut rows = Rows::new();
    for t in routes["tables"].as_array().into_iter().flatten() {
        for e in t["entries"].as_array().into_iter().flatten() {
            let key = format!(
                "{} {} {}",
                s(&t["table"]["kind"]),
                s(&t["table"]["name"]),
                s(&e["destination"])
            );
            let hop = format!(
                "{} `{}`",
                s(&e["next_hop"]["kind"]),
                s(&e["next_hop"]["name"])
            );
            let mut f = BTreeMap::new();
            f.insert("next hop".to_string(), hop.clone());
            rows.insert(key, (format!("→ {hop}"), f));
        }
    }
    rows
}

fn whitelist_rows(wl: &Value) -> Rows {
    let mut rows = Rows::new();
    for t in wl["targets"].as_array().into_iter().flatten() {
        for e in t["entries"].as_array().into_iter().flatten() {
            let key = format!("{} {}", s(&t["target"]), s(&e["entry"]));
            rows.insert(key, (s(&e["why"]), fields(e, &["warning"])));
        }
    }
    rows
}

fn rule_rows(sgs: &Value) -> Rows {
    let mut rows = Rows::new();
    for g in sgs["groups"].as_array().into_iter().flatten() {
        for r in g["rules"].as_array().into_iter().flatten() {
            let peer = if r.get("source").is_some() {
                &r["source"]
            } else {
                &r["destination"]
            };
            let key = format!(
                "{} {} {} {} {}",
                s(&g["group"]),
                s(&r["direction"]),
                s(&r["protocol"]),
                s(&r["ports"]),
                s(&peer["name"])
            );
            rows.insert(
                key,
                (
                    format!("{} (priority {})", s(&r["action"]), s(&r["priority"])),
                    fields(r, &["action", "priority"]),
                ),
            );
        }
    }
    rows
}

fn job_rows(jobs: &Value) -> Rows {
    let mut rows = Rows::new();
    for f in jobs["flows"].as_array().into_iter().flatten() {
        for j in f["jobs"].as_array().into_iter().flatten() {
            let key = format!("{} {}", s(&f["flow"]), s(&j["job"]));
            let settings = s(&j["settings"]);
            rows.insert(
                key,
                (
                    settings.clone(),
                    fields(j, &["scheme", "settings", "endpoint"]),
                ),
            );
        }
    }
    rows
}

fn account_rows(plan: &Value) -> Rows {
    let mut rows = Rows::new();
    for a in plan["accounts"].as_array().into_iter().flatten() {
        let summary = format!("UID {}", s(&a["uid"]));
        rows.insert(s(&a["name"]), (summary, fields(a, &["uid", "label"])));
    }
    rows
}

fn vpc_rows(plan: &Value) -> Rows {
    let mut rows = Rows::new();
    for v in plan["vpcs"].as_array().into_iter().flatten() {
        let summary = format!(
            "{} in `{}`, {}",
            s(&v["cidr"]),
            s(&v["account"]),
            s(&v["region"])
        );
        rows.insert(
            s(&v["name"]),
            (
                summary,
                fields(v, &["account", "region", "cidr", "id", "security_groups"]),
            ),
        );
    }
    rows
}

fn vswitch_rows(plan: &Value) -> Rows {
    let mut rows = Rows::new();
    for v in plan["vpcs"].as_array().into_iter().flatten() {
        for w in v["vswitches"].as_array().into_iter().flatten() {
            let summary = format!("{} in {}", s(&w["cidr"]), s(&w["zone"]));
            rows.insert(
                format!("{}.{}", s(&v["name"]), s(&w["name"])),
                (summary, fields(w, &["zone", "cidr", "id"])),
            );
        }
    }
    rows
}

/// Targets or computes: `kind` and `placement` summarize them.
fn declared_rows(plan: &Value, list: &str, keep: &[&str]) -> Rows {
    let mut rows = Rows::new();
    for t in plan[list].as_array().into_iter().flatten() {
        let summary = format!("{} ({})", s(&t["kind"]), s(&t["placement"]));
        rows.insert(s(&t["name"]), (summary, fields(t, keep)));
    }
    rows
}

fn flow_rows(plan: &Value) -> Rows {
    let mut rows = Rows::new();
    for fl in plan["flows"].as_array().into_iter().flatten() {
        let f = fields(
            fl,
            &[
                "from",
                "to",
                "ports",
                "target_ports",
                "mode",
                "jobs",
                "ram_role",
                "via",
                "verdict",
                "waits_on",
                "path",
                "return_path",
            ],
        );
        let ports: Vec<String> = fl["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .map(s)
            .collect();
        let summary = format!(
            "`{}` → `{}` on {} ({})",
            s(&fl["from"]),
            s(&fl["to"]),
            ports.join(", "),
            s(&fl["verdict"])
        );
        rows.insert(s(&fl["name"]), (summary, f));
    }
    rows
}

/// Fields the summary line already shows.
const IN_SUMMARY: &[&str] = &[
    "title",
    "account",
    "console",
    "region",
    "action",
    "kind",
    "placement",
];

/// What an added or removed row shows beside its summary: each field, `field: value`.
fn shown(fields: &BTreeMap<String, String>) -> Vec<String> {
    fields
        .iter()
        .filter(|(f, v)| {
            !IN_SUMMARY.contains(&f.as_str()) && v.as_str() != "none" && v.as_str() != "[]"
        })
        .map(|(f, v)| format!("{f}: {v}"))
        .collect()
}

fn compare(kind: &'static str, old: Rows, new: Rows, out: &mut Vec<Change>) {
    for (key, (summary, fields)) in &new {
        match old.get(key) {
            None => out.push(Change {
                op: "+",
                kind,
                key: key.clone(),
                summary: summary.clone(),
                details: shown(fields),
            }),
            Some((_, old_fields)) if old_fields != fields => {
                let mut details = Vec::new();
                for (f, v) in fields {
                    let before = old_fields.get(f).map(String::as_str).unwrap_or("none");
                    if before != v {
                        details.push(format!("{f}: {before} → {v}"));
                    }
                }
                for (f, v) in old_fields {
                    if !fields.contains_key(f) {
                        details.push(format!("{f}: {v} → none"));
                    }
                }
                out.push(Change {
                    op: "~",
                    kind,
                    key: key.clone(),
                    summary: summary.clone(),
                    details,
                });
            }
            Some(_) => {}
        }
    }
    for (key, (summary, fields)) in &old {
        if !new.contains_key(key) {
            out.push(Change {
                op: "-",
                kind,
                key: key.clone(),
                summary: summary.clone(),
                details: shown(fields),
            });
        }
    }
}

/// Compare two sets of artifacts (as `emit::artifacts` returns them).
pub fn diff<S: AsRef<str>>(old: &[(S, String)], new: &[(S, String)]) -> Diff {
    let mut changes = Vec::new();
    compare(
        "step",
        step_rows(&parse(old, "plan.json")),
        step_rows(&parse(new, "plan.json")),
        &mut changes,
    );
    compare(
        "account",
        account_rows(&parse(old, "plan.json")),
        account_rows(&parse(new, "plan.json")),
        &mut changes,
    );
    let (old_plan, new_plan) = (parse(old, "plan.json"), parse(new, "plan.json"));
    compare(
        "vpc",
        vpc_rows(&old_plan),
        vpc_rows(&new_plan),
        &mut changes,
    );
    compare(
        "vswitch",
        vswitch_rows(&old_plan),
        vswitch_rows(&new_plan),
        &mut changes,
    );
    let target = [
        "kind",
        "placement",
        "ports",
        "network",
        "account",
        "id",
        "details",
    ];
    compare(
        "target",
        declared_rows(&old_plan, "targets", &target),
        declared_rows(&new_plan, "targets", &target),
        &mut changes,
    );
    let compute = ["kind", "placement", "account", "details"];
    compare(
        "compute",
        declared_rows(&old_plan, "computes", &compute),
        declared_rows(&new_plan, "computes", &compute),
        &mut changes,
    );
    compare(
        "flow",
        flow_rows(&parse(old, "plan.json")),
        flow_rows(&parse(new, "plan.json")),
        &mut changes,
    );
    compare(
        "route",
        route_rows(&parse(old, "routes.json")),
        route_rows(&parse(new, "routes.json")),
        &mut changes,
    );
    compare(
        "whitelist",
        whitelist_rows(&parse(old, "whitelists.json")),
        whitelist_rows(&parse(new, "whitelists.json")),
        &mut changes,
    );
    compare(
        "security-group rule",
        rule_rows(&parse(old, "security-groups.json")),
        rule_rows(&parse(new, "security-groups.json")),
        &mut changes,
    );
    compare(
        "job",
        job_rows(&parse(old, "jobs.json")),
        job_rows(&parse(new, "jobs.json")),
        &mut changes,
    );
    compare(
        "terraform resource",
        terraform_rows(old),
        terraform_rows(new),
        &mut changes,
    );
    Diff { changes }
}

/// The Terraform export's resources, keyed `<phase>/<type>.<name>` (no phase when there is one),
/// each argument a field.
fn terraform_rows<S: AsRef<str>>(files: &[(S, String)]) -> Rows {
    let mut rows = Rows::new();
    let prefix = format!("{}/", crate::emit::TERRAFORM_DIR);
    for (name, text) in files {
        let Some(path) = name
            .as_ref()
            .strip_prefix(&prefix)
            .filter(|p| p.ends_with(".tf.json"))
        else {
            continue;
        };
        let phase = path
            .rsplit_once('/')
            .map(|(dir, _)| format!("{dir}/"))
            .unwrap_or_default();
        let Ok(doc) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        for (kind, named) in doc["resource"].as_object().into_iter().flatten() {
            for (rname, body) in named.as_object().into_iter().flatten() {
                let fields: BTreeMap<String, String> = body
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| k.as_str() != "//")
                    .map(|(k, v)| (k.clone(), s(v)))
                    .collect();
                let summary = format!("{kind} `{rname}` ({})", s(&body["//"]));
                rows.insert(format!("{phase}{kind}.{rname}"), (summary, fields));
            }
        }
    }
    rows
}

impl Diff {
    fn counts(&self) -> (usize, usize, usize) {
        let n = |op| self.changes.iter().filter(|c| c.op == op).count();
        (n("+"), n("~"), n("-"))
    }

    /// The closing line.
    pub fn summary(&self) -> String {
        let (a, c, r) = self.counts();
        if a + c + r == 0 {
            "No changes: the plan and artifacts are the same.".to_string()
        } else {
            format!("Diff: {a} to add, {c} to change, {r} to remove.")
        }
    }

    /// For a terminal: one line per change, its details below; every text from the projects
    /// has its control characters shown escaped, so none can start a line of its own.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.changes {
            let _ = writeln!(
                out,
                "  {} {} {}  {}",
                c.op,
                c.kind,
                term(&c.key),
                term(&c.summary)
            );
            for d in &c.details {
                let _ = writeln!(out, "        {}", term(d));
            }
        }
        if !self.changes.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", self.summary());
        out
    }

    /// For a pull-request comment: the sticky-comment marker, the summary, then the changes in
    /// a `diff` fence longer than any run of backticks inside it (no text can close it early;
    /// control characters are shown escaped, so every line starts with netlink's own marker).
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "{}\n## netlink diff\n\n{}\n",
            crate::emit::MARKDOWN_MARKER,
            self.summary()
        );
        if self.changes.is_empty() {
            return out;
        }
        let mut body = String::new();
        for c in &self.changes {
            let op = if c.op == "~" { "!" } else { c.op };
            let _ = writeln!(
                body,
                "{op} {} {}  {}",
                c.kind,
                term(&c.key),
                term(&c.summary)
            );
            for d in &c.details {
                let _ = writeln!(body, "#     {}", term(d));
            }
            if out.len() + body.len() > MARKDOWN_MAX_CHARS - 500 {
                body.push_str(
                    "# … more changes left out to keep this comment under GitHub's size limit\n",
                );
                break;
            }
        }
        let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
        let _ = write!(out, "\n{fence}diff\n{body}{fence}\n");
        out
    }

    /// For programs.
    pub fn json(&self) -> String {
        // Plain strings: serialising cannot fail.
        serde_json::to_string_pretty(&serde_json::json!({
            "format_version": crate::emit::FORMAT_VERSION,
            "changes": self.changes,
        }))
        .unwrap_or_default()
            + "\n"
    }
}
