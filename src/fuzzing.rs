//! The checks of the fuzz targets `fmt_roundtrip` and `hostile_strings` (`fuzz/`), here so that
//! the targets and `tests/fuzz_regressions.rs` run the very same code. Each panics on a
//! finding and returns whether the input reached the interesting part.

use std::sync::OnceLock;

/// `fmt`: a text that formats formats to itself again, and still parses without errors.
pub fn fmt_roundtrip(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let Ok(once) = crate::format::format_source(text) else {
        return false;
    };
    match crate::format::format_source(&once) {
        Ok(twice) => assert_eq!(once, twice, "formatting is not idempotent"),
        Err(e) => panic!("formatted text does not format again: {e}"),
    }
    true
}

/// A project with `hostile` as an RDS instance's id and an account's label: the PR comment,
/// the terminal plan, both graphs and `console.md`.
fn outputs(hostile: &str) -> Option<Vec<(&'static str, String)>> {
    let mut literal = String::with_capacity(hostile.len() + 2);
    for c in hostile.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            c => literal.push(c),
        }
    }
    let text = format!(
        "account a {{ uid = \"1234567890123456\"  label = \"{literal}\" }}\n\
         account b {{ uid = \"6543210987654321\" }}\n\
         vpc va {{\n  account = a\n  region  = cn-hangzhou\n  cidr    = 192.168.0.0/16\n  \
         vswitch h {{ zone = cn-hangzhou-h  cidr = 192.168.6.0/24 }}\n}}\n\
         vpc vb {{\n  account = b\n  region  = cn-shanghai\n  cidr    = 172.16.0.0/16\n  \
         vswitch e {{ zone = cn-shanghai-e  cidr = 172.16.66.0/24 }}\n}}\n\
         rds db {{\n  vswitch = va.h\n  engine  = mysql\n  port    = 3306\n  id      = \"rm-{literal}\"\n}}\n\
         resource_group rg {{\n  account = b\n  kind    = serverless\n  vswitch = vb.e\n}}\n\
         peering p {{\n  requester = va\n  accepter  = vb\n  link_type = gold\n}}\n\
         flow f {{\n  from     = rg\n  to       = db:3306\n  via      = p\n  jobs     = [data_sync]\n  \
         ram_role = \"AliyunDataWorksAccessingRdsRole\"\n}}\n"
    );
    let mut project = crate::project::Project::default();
    crate::project::add_bytes(&mut project, "f.netlink".into(), text.into_bytes());
    let compiled = crate::compile(&project.sources);
    let (Some(model), Some(plan)) = (&compiled.model, &compiled.plan) else {
        return None;
    };
    if project.diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let console = crate::emit::artifacts(model, plan, &compiled.proofs, &project.sources)
        .into_iter()
        .find(|(name, _)| *name == "console.md")
        .map(|(_, text)| text)
        .unwrap_or_default();
    Some(vec![
        (
            "markdown",
            crate::emit::plan_markdown(model, plan, &compiled.proofs),
        ),
        ("terminal", crate::emit::plan_text(model, plan)),
        ("steps dot", crate::emit::steps_dot(model, plan)),
        ("topology dot", crate::emit::topology_dot(model)),
        (
            "topology mermaid",
            crate::emit::topology_picture(model).mermaid("LR"),
        ),
        ("console.md", console),
    ])
}

/// Per output: its name, its lines, its structural lines.
type Shape = Vec<(&'static str, usize, usize)>;

/// The structure a reader sees: per output, its lines, and for Markdown the lines that open a
/// heading, a table row, a fence, a list item, a quote or HTML.
fn shape(outputs: &[(&'static str, String)]) -> Shape {
    outputs
        .iter()
        .map(|(what, text)| {
            let structural = text
                .lines()
                .filter(|l| {
                    let t = l.trim_start();
                    t.starts_with(['#', '|', '`', '~', '-', '*', '+', '>', '<', '='])
                        || t.split_once(". ")
                            .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
                })
                .count();
            (*what, text.lines().count(), structural)
        })
        .collect()
}

/// Hostile strings through every writer: whatever the string, the outputs have the structure
/// they have for a harmless one (no line, heading, row, fence, list or HTML of the user's),
/// and no control or bidi character reaches them.
pub fn hostile_strings(data: &[u8]) -> bool {
    let hostile = String::from_utf8_lossy(data);
    // Long strings would push the PR comment past its budget, which cuts it: another shape.
    let hostile: String = hostile.chars().take(120).collect();
    static BASELINE: OnceLock<Option<Shape>> = OnceLock::new();
    let baseline = BASELINE.get_or_init(|| outputs("x").map(|o| shape(&o)));
    let (Some(baseline), Some(out)) = (baseline, outputs(&hostile)) else {
        return false;
    };
    for (what, text) in &out {
        if let Some(c) = text
            .chars()
            .find(|&c| c != '\n' && crate::text::is_unsafe(c))
        {
            panic!("{what}: raw {c:?} from {hostile:?}");
        }
    }
    assert_eq!(
        &shape(&out),
        baseline,
        "user text changed the structure, from {hostile:?}"
    );
    true
}
