//! The plan's provider-covered steps as a Terraform root module in JSON syntax (`*.tf.json`),
//! for the `aliyun/alicloud` provider. One `terraform apply` cannot wait for a person, so where a
//! step done by hand sits between two exported steps the export is split into phases, each a
//! root module of its own (`phase-1/`, `phase-2/`, …); a later phase takes what it needs from an
//! earlier one through variables that the earlier one outputs.
//!
//! Exported so far: security groups the plan creates and their rules, VPC peerings and their
//! acceptance, CEN instances, transit routers, attachments, grants and inter-region
//! connections, VPN gateways, VPC route entries through a peering, a VPN gateway or into a CEN,
//! and NAT gateways with their EIP and SNAT entries. Every other step stays manual and is
//! listed, in plan order, in the export's `README.md`.

mod resources;

pub use resources::tf_name;
use resources::{alias, comment, resources, Arg, Resource, Variable};

use crate::model::*;
use crate::plan::Plan;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// The provider versions the export is checked against (`tests/fixtures/alicloud-schema.json`,
/// provider 1.289.0 plus unreleased changes); an older provider may lack arguments it uses.
const PROVIDER_VERSION: &str = ">= 1.289.0, < 2.0.0";

/// Every file of the export, as (path relative to the export's directory, text), sorted.
pub fn export(m: &Model, plan: &Plan) -> Vec<(String, String)> {
    let res = resources(m, plan);
    // The resources of each exported step (a step may stand for two: an EIP and its binding).
    let mut of_step: HashMap<usize, Vec<usize>> = HashMap::default();
    for (i, r) in res.iter().enumerate() {
        of_step.entry(r.step).or_default().push(i);
    }
    let phase = phases(plan, &of_step, res.len());
    let count = phase.iter().copied().max().unwrap_or(0);
    let mut files = Vec::new();
    for p in 1..=count {
        let dir = if count > 1 {
            format!("phase-{p}/")
        } else {
            String::new()
        };
        for (name, text) in module(m, plan, &res, &of_step, &phase, p) {
            files.push((format!("{dir}{name}"), text));
        }
    }
    files.push((
        "README.md".to_string(),
        readme(m, plan, &res, &of_step, &phase, count),
    ));
    files.sort();
    files
}

/// The phase of each resource: after every exported step it depends on, and past every step done
/// by hand that it waits for, which comes after the phase of that step's own exported ancestors.
fn phases(plan: &Plan, of_step: &HashMap<usize, Vec<usize>>, n: usize) -> Vec<u32> {
    let mut phase = vec![0u32; n];
    // For a step done by hand: the first phase that may follow it.
    let mut gate = vec![1u32; plan.steps.len()];
    for &s in &plan.order {
        let mut at_least = 1;
        for &e in &plan.incoming[s] {
            let d = plan.edges[e].before;
            let after_d = match of_step.get(&d) {
                Some(rs) => phase[rs[0]],
                None => gate[d],
            };
            at_least = at_least.max(after_d);
        }
        match of_step.get(&s) {
            Some(rs) => {
                for &r in rs {
                    phase[r] = at_least;
                }
            }
            None => {
                // Exported ancestors run in an earlier apply, then this step, then the next.
                let mut g = at_least;
                for &e in &plan.incoming[s] {
                    if let Some(rs) = of_step.get(&plan.edges[e].before) {
                        g = g.max(phase[rs[0]] + 1);
                    }
                }
                gate[s] = g;
            }
        }
    }
    phase
}

/// What one phase's files need to know while its arguments are rendered.
struct Phase<'a> {
    res: &'a [Resource],
    of_step: &'a HashMap<usize, Vec<usize>>,
    phase: &'a [u32],
    at: u32,
    variables: BTreeMap<String, Value>,
    /// Outputs other phases take from this one: name → value.
    outputs: BTreeMap<String, Value>,
}

impl Phase<'_> {
    fn address(&self, r: usize) -> String {
        format!("{}.{}", self.res[r].kind, self.res[r].name)
    }

    /// The variable a later phase reads another phase's attribute through.
    fn carried(&self, r: usize, attr: &str) -> String {
        format!(
            "{}_{}_{attr}",
            self.res[r].kind.trim_start_matches("alicloud_"),
            self.res[r].name
        )
    }

    /// The resource of type `kind` standing for `step`.
    fn find(&self, step: usize, kind: &str) -> Option<usize> {
        self.of_step
            .get(&step)?
            .iter()
            .copied()
            .find(|&r| self.res[r].kind == kind)
    }

    fn render(&mut self, a: &Arg, refs: &mut BTreeSet<usize>) -> Value {
        match a {
            Arg::Literal(v) => v.clone(),
            Arg::Ref { step, kind, attr } => match self.find(*step, kind) {
                Some(r) if self.phase[r] == self.at => {
                    refs.insert(r);
                    json!(format!("${{{}.{attr}}}", self.address(r)))
                }
                Some(r) => {
                    let name = self.carried(r, attr);
                    self.variables.insert(
                        name.clone(),
                        json!({
                            "type": "string",
                            "description": format!("output `{name}` of phase {}", self.phase[r]),
                        }),
                    );
                    json!(format!("${{var.{name}}}"))
                }
                None => Value::Null,
            },
            Arg::Var(v) => {
                self.variable(v);
                json!(format!("${{var.{}}}", v.name))
            }
            Arg::Blocks(blocks) => {
                let mut items = Vec::with_capacity(blocks.len());
                for args in blocks {
                    let mut obj = Map::new();
                    for (k, a) in args {
                        obj.insert((*k).to_string(), self.render(a, refs));
                    }
                    items.push(Value::Object(obj));
                }
                Value::Array(items)
            }
        }
    }

    fn variable(&mut self, v: &Variable) {
        let mut decl = json!({ "type": "string", "description": v.description });
        if let Some(d) = &v.default {
            decl["default"] = json!(d);
        }
        self.variables.insert(v.name.clone(), decl);
    }
}

/// The files of phase `at`: versions, providers, variables, one file per account, outputs.
fn module(
    m: &Model,
    plan: &Plan,
    res: &[Resource],
    of_step: &HashMap<usize, Vec<usize>>,
    phase: &[u32],
    at: u32,
) -> Vec<(String, String)> {
    let mut ph = Phase {
        res,
        of_step,
        phase,
        at,
        variables: BTreeMap::new(),
        outputs: BTreeMap::new(),
    };
    let mut by_account: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut providers: BTreeMap<String, (AccountId, String)> = BTreeMap::new();
    for (i, r) in res.iter().enumerate() {
        if phase[i] != at {
            continue;
        }
        let mut refs = BTreeSet::new();
        let mut body = Map::new();
        body.insert("//".into(), comment(&plan.steps[r.step].id));
        let a = alias(m, r.account, &r.region);
        body.insert("provider".into(), json!(format!("alicloud.{a}")));
        providers.insert(a, (r.account, r.region.clone()));
        for (k, arg) in &r.args {
            let v = ph.render(arg, &mut refs);
            if !v.is_null() {
                body.insert((*k).to_string(), v);
            }
        }
        // Every plan dependency between two resources of this phase is a reference or an
        // explicit `depends_on`.
        let mut depends: BTreeSet<String> = BTreeSet::new();
        for &e in &plan.incoming[r.step] {
            for &d in of_step.get(&plan.edges[e].before).into_iter().flatten() {
                if phase[d] == at && !refs.contains(&d) {
                    depends.insert(ph.address(d));
                }
            }
        }
        if !depends.is_empty() {
            body.insert("depends_on".into(), json!(depends));
        }
        let account = tf_name(&m.accounts[r.account.index()].name.node);
        let file = by_account.entry(account).or_default();
        let kinds = file
            .entry("resource".to_string())
            .or_insert_with(|| json!({}));
        kinds[r.kind][&r.name] = Value::Object(body);
    }
    // Outputs: the id of every resource of this phase, for people and automation, and what later
    // phases take from this one.
    for (j, _) in phase.iter().enumerate().filter(|(_, &p)| p == at) {
        let value = format!("${{{}.id}}", ph.address(j));
        ph.outputs
            .insert(ph.carried(j, "id"), json!({ "value": value }));
    }
    for (j, r) in res.iter().enumerate() {
        if phase[j] <= at {
            continue;
        }
        for (_, arg) in &r.args {
            if let Arg::Ref { step, kind, attr } = arg {
                if let Some(d) = ph.find(*step, kind) {
                    if phase[d] == at {
                        let name = ph.carried(d, attr);
                        let value = format!("${{{}.{attr}}}", ph.address(d));
                        ph.outputs.insert(name, json!({ "value": value }));
                    }
                }
            }
        }
    }
    let mut provider_blocks = Vec::new();
    for (a, (account, region)) in &providers {
        let acc = tf_name(&m.accounts[account.index()].name.node);
        let var = format!("{acc}_role_arn");
        ph.variables.insert(
            var.clone(),
            json!({
                "type": "string",
                "description": format!("ARN of the RAM role Terraform assumes in account `{}` (acs:ram::<uid>:role/<name>); credentials come from the environment, never from these files", m.accounts[account.index()].name.node),
            }),
        );
        provider_blocks.push(json!({
            "alias": a,
            "region": region,
            "assume_role": [{ "role_arn": format!("${{var.{var}}}") }],
        }));
    }
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
    let mut files = vec![
        (
            "versions.tf.json".to_string(),
            pretty(&json!({
                "terraform": {
                    "required_version": ">= 1.3.0",
                    "required_providers": {
                        "alicloud": { "source": "aliyun/alicloud", "version": PROVIDER_VERSION }
                    }
                }
            })),
        ),
        (
            "providers.tf.json".to_string(),
            pretty(&json!({ "provider": { "alicloud": provider_blocks } })),
        ),
    ];
    if !ph.variables.is_empty() {
        files.push((
            "variables.tf.json".to_string(),
            pretty(&json!({ "variable": ph.variables })),
        ));
    }
    if !ph.outputs.is_empty() {
        files.push((
            "outputs.tf.json".to_string(),
            pretty(&json!({ "output": ph.outputs })),
        ));
    }
    for (account, body) in by_account {
        files.push((format!("{account}.tf.json"), pretty(&Value::Object(body))));
    }
    files
}

/// The export's README: the phases and, in plan order, every step done by hand, with where it
/// falls relative to the applies.
fn readme(
    m: &Model,
    plan: &Plan,
    res: &[Resource],
    of_step: &HashMap<usize, Vec<usize>>,
    phase: &[u32],
    count: u32,
) -> String {
    let mut out = String::from("# Terraform export\n\n");
    let _ = writeln!(
        out,
        "Generated by `netlink build` from the plan: {} of its {} steps are done by Terraform ({} resources of the `aliyun/alicloud` provider); the others are done by hand, in the order below.\n",
        of_step.len(),
        plan.steps.len(),
        res.len()
    );
    if count > 1 {
        let _ = writeln!(out, "The export has {count} phases, each a root module: run `terraform init` and `terraform apply` in `phase-1/`, do the manual steps listed after it, then pass its outputs to the next phase's variables of the same name and apply that phase, and so on.\n");
    } else {
        out.push_str("Run `terraform init` and `terraform apply` here, with the manual steps below before or after the apply as they say.\n\n");
    }
    out.push_str("Fill in `variables.tf.json`: the ids of what the project only describes, and the RAM role ARN Terraform assumes in each account.\n\n");
    // For each step: the last phase among the exported steps it waits for, and the first among
    // those that wait for it (one pass each way over the execution order).
    let n = plan.steps.len();
    let mut after: Vec<Option<u32>> = vec![None; n];
    for &s in &plan.order {
        for &e in &plan.incoming[s] {
            let d = plan.edges[e].before;
            let via = of_step.get(&d).map(|rs| phase[rs[0]]).max(after[d]);
            after[s] = after[s].max(via);
        }
    }
    let mut before: Vec<Option<u32>> = vec![None; n];
    for &s in plan.order.iter().rev() {
        let mine = of_step.get(&s).map(|rs| phase[rs[0]]);
        let reach = match (mine, before[s]) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for &e in &plan.incoming[s] {
            let d = plan.edges[e].before;
            before[d] = match (before[d], reach) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    out.push_str(
        "| # | step | account | done | when | where, by hand |\n|---|---|---|---|---|---|\n",
    );
    for &s in &plan.order {
        let step = &plan.steps[s];
        let account = step
            .account
            .map(|a| crate::text::md_cell_code(&m.accounts[a.index()].name.node))
            .unwrap_or_else(|| "outside Alibaba Cloud".to_string());
        let (done, when) = match of_step.get(&s) {
            Some(rs) => (
                format!(
                    "Terraform {}",
                    rs.iter()
                        .map(|&r| crate::text::md_cell_code(&format!(
                            "{}.{}",
                            res[r].kind, res[r].name
                        )))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("phase {}", phase[rs[0]]),
            ),
            None => (
                "by hand".to_string(),
                match (after[s], before[s]) {
                    (Some(a), Some(b)) => format!("after phase {a}, before phase {b}"),
                    (None, Some(b)) => format!("before phase {b}"),
                    (Some(a), None) => format!("after phase {a}"),
                    (None, None) => {
                        "no Terraform resource waits for it, nor it for one".to_string()
                    }
                },
            ),
        };
        let path = match of_step.contains_key(&s) {
            true => "—".to_string(),
            false => crate::text::title_markdown(&step.path).replace('|', "\\|"),
        };
        let _ = writeln!(
            out,
            "| {} | {} {} | {account} | {done} | {when} | {path} |",
            plan.position[s] + 1,
            crate::text::md_cell_code(&step.id),
            crate::text::title_markdown(&step.title).replace('|', "\\|"),
        );
    }
    out
}
