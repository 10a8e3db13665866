//! The PR comment and `console.md` read as GitHub reads them: parsed with a CommonMark/GFM
//! parser (comrak), then the rendered structure is asserted. Also the hostile project
//! (`tests/fixtures/hostile/`) through every other output: terminal plan, diff, DOT.

mod common;

use common::{assert_exit, netlink, run, scratch, stdout_of};
use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{parse_document, Arena, Options};
use std::collections::BTreeMap;

const HOSTILE: &str = "tests/fixtures/hostile/peering.netlink";

fn gfm() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.render.r#unsafe = true;
    o
}

/// All the text of a node, code spans included.
fn text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for n in node.descendants() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            _ => {}
        }
    }
    out
}

/// The rendered structure a reviewer sees.
#[derive(Default, Debug)]
struct Rendered {
    /// `N` → the text of the bold `N. …` paragraph opening each step.
    steps: BTreeMap<usize, Vec<String>>,
    /// Rows of every table, cells as text.
    tables: Vec<Vec<Vec<String>>>,
    /// Text of every heading.
    headings: Vec<String>,
    ordered_lists: usize,
    /// Raw HTML, inline or block.
    html: Vec<String>,
    code_blocks: Vec<String>,
    /// Plain text outside code spans and code blocks.
    prose: String,
}

fn render(md: &str) -> Rendered {
    let arena = Arena::new();
    let doc = parse_document(&arena, md, &gfm());
    let mut r = Rendered::default();
    for n in doc.descendants() {
        match &n.data().value {
            NodeValue::Paragraph => {
                let Some(first) = n.first_child() else {
                    continue;
                };
                if !matches!(first.data().value, NodeValue::Strong) {
                    continue;
                }
                let head = text_of(first);
                if let Some((num, _)) = head.split_once(". ") {
                    if let Ok(num) = num.parse::<usize>() {
                        r.steps.entry(num).or_default().push(text_of(n));
                    }
                }
            }
            NodeValue::Table(_) => {
                let rows = n
                    .children()
                    .map(|row| row.children().map(|c| text_of(c)).collect())
                    .collect();
                r.tables.push(rows);
            }
            NodeValue::Heading(_) => r.headings.push(text_of(n)),
            NodeValue::List(l) if l.list_type == ListType::Ordered => r.ordered_lists += 1,
            NodeValue::HtmlInline(h) => r.html.push(h.clone()),
            NodeValue::HtmlBlock(h) => r.html.push(h.literal.clone()),
            NodeValue::CodeBlock(c) => r.code_blocks.push(c.literal.clone()),
            NodeValue::Text(t) => {
                r.prose.push_str(t);
                r.prose.push('\n');
            }
            _ => {}
        }
    }
    r
}

fn plan_markdown(path: &str) -> String {
    let out = run(&["plan", "--format", "markdown", path]);
    assert_exit(&out, 0);
    stdout_of(&out)
}

fn plan_json(path: &str) -> serde_json::Value {
    let out = run(&["plan", "--format", "json", path]);
    assert_exit(&out, 0);
    serde_json::from_slice(&out.stdout).expect("plan --format json is JSON")
}

/// Every step once under its own number; the manual table's numbers are the steps' numbers.
fn assert_steps_numbered_as_planned(path: &str) {
    let md = plan_markdown(path);
    let r = render(&md);
    let plan = plan_json(path);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(
        r.ordered_lists, 0,
        "{path}: steps must not be an ordered list"
    );
    // A plan too long for one comment leaves whole steps out and says how many.
    let left_out: usize = md
        .split("**")
        .find_map(|part| part.strip_suffix(&format!(" of {} steps are left out", steps.len())))
        .map(|n| n.parse().expect("a count"))
        .unwrap_or(0);
    let shown_numbers: Vec<usize> = r.steps.keys().copied().collect();
    assert_eq!(
        shown_numbers.len() + left_out,
        steps.len(),
        "{path}: every step shown once or counted as left out"
    );
    assert!(
        shown_numbers.iter().all(|n| (1..=steps.len()).contains(n)),
        "{path}: steps numbered 1..n: {shown_numbers:?}"
    );
    if left_out == 0 {
        assert_eq!(
            shown_numbers,
            (1..=steps.len()).collect::<Vec<_>>(),
            "{path}: every step once, numbered 1..n"
        );
    }
    for s in steps {
        let n = s["number"].as_u64().unwrap() as usize;
        let Some(shown) = r.steps.get(&n) else {
            continue; // left out, and counted above
        };
        assert_eq!(shown.len(), 1, "{path}: step {n} shown once");
        assert!(
            shown[0].contains(s["id"].as_str().unwrap()),
            "{path}: step {n} is {}: {shown:?}",
            s["id"]
        );
    }
    // The manual table: `# | step | who | kind | lead time`.
    let manual: Vec<&Vec<Vec<String>>> = r
        .tables
        .iter()
        .filter(|t| {
            t.first()
                .is_some_and(|h| h.first().is_some_and(|c| c == "#"))
        })
        .collect();
    let manual_steps: Vec<&serde_json::Value> =
        steps.iter().filter(|s| !s["manual"].is_null()).collect();
    if manual_steps.is_empty() {
        assert!(manual.is_empty());
        return;
    }
    assert_eq!(manual.len(), 1, "{path}: one manual-steps table");
    for row in manual[0].iter().skip(1) {
        let n: usize = row[0].parse().unwrap();
        let id = &row[1];
        let step = steps.iter().find(|s| s["id"] == id.as_str()).unwrap();
        assert_eq!(step["number"].as_u64().unwrap() as usize, n, "{path}: {id}");
    }
}

#[test]
fn every_example_renders_its_step_numbers() {
    for entry in std::fs::read_dir(common::root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "netlink") {
            let rel = format!("examples/{}", path.file_name().unwrap().to_string_lossy());
            assert_steps_numbered_as_planned(&rel);
        }
    }
    // A project of more than ten steps (list numbering broke from step 10 on).
    assert_steps_numbered_as_planned("examples/");
}

#[test]
fn the_comment_starts_with_its_marker_and_summary() {
    let md = plan_markdown("examples/dataworks_cross_account_peering.netlink");
    let mut lines = md.lines();
    assert_eq!(lines.next(), Some("<!-- netlink-plan -->"));
    assert_eq!(lines.next(), Some("## netlink plan"));
    assert_eq!(lines.next(), Some(""));
    assert!(lines.next().unwrap().starts_with("Plan: 10 steps"));
}

/// Nothing of a hostile string may become markup: only netlink's own HTML (`details`,
/// `summary`, `code`, the marker) appears, no heading, list or table is made from it, and its
/// words reach the reader only inside code.
fn assert_inert(md: &str, what: &str) {
    let r = render(md);
    for h in &r.html {
        let own = [
            "<!-- netlink-plan -->",
            "<details>",
            "</details>",
            "<summary>",
        ];
        assert!(
            own.iter().any(|o| h.trim_start().starts_with(o))
                || h.starts_with("<code>")
                || h == "</code>",
            "{what}: raw HTML from user text: {h:?}"
        );
        assert!(
            !h.contains("onerror") && !h.contains("<img"),
            "{what}: {h:?}"
        );
    }
    let opens = r.html.iter().filter(|h| h.contains("<details>")).count();
    let closes = r.html.iter().filter(|h| h.contains("</details>")).count();
    assert_eq!(opens, closes, "{what}: a `</details>` made by user text");
    // Only netlink's own headings: the title, accounts, steps.
    for h in &r.headings {
        let own = h.starts_with("netlink ")
            || h.starts_with("Account ")
            || h == "Outside Alibaba Cloud"
            || h.split_once(". ")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok());
        assert!(own, "{what}: heading from user text: {h:?}");
    }
    for t in &r.tables {
        for row in t {
            assert!(
                row.iter().all(|c| c != " a " && c != "a"),
                "{what}: table from user text: {row:?}"
            );
        }
    }
    for word in [
        "Delete ALL",
        "onerror",
        "@octocat",
        "account evil",
        "erased",
    ] {
        assert!(
            !r.prose.contains(word),
            "{what}: `{word}` outside code:\n{}",
            r.prose
        );
    }
    assert!(!md.contains('\u{1b}'), "{what}: a raw escape character");
    assert!(!md.contains('\u{202e}'), "{what}: a raw bidi override");
}

#[test]
fn hostile_strings_stay_text_in_the_pr_comment() {
    let md = plan_markdown(HOSTILE);
    assert_inert(&md, "plan --format markdown");
    // All ten steps are still there, the manual acceptance among them.
    let r = render(&md);
    assert_eq!(r.steps.len(), 10);
    assert!(r.steps.values().any(|s| s[0].contains("Accept peering")));
    assert_steps_numbered_as_planned(HOSTILE);
}

#[test]
fn hostile_project_names_and_hosts_stay_text() {
    let path = "tests/fixtures/hostile/maxcompute.netlink";
    assert_inert(&plan_markdown(path), "plan --format markdown (maxcompute)");
    assert_steps_numbered_as_planned(path);
    let dir = scratch("hostile-mc");
    let out = run(&["build", path, "--out", dir.join("out").to_str().unwrap()]);
    assert_exit(&out, 0);
    let md = std::fs::read_to_string(dir.join("out/console.md")).unwrap();
    assert_inert(&md, "console.md (maxcompute)");
}

#[test]
fn hostile_strings_stay_text_in_console_md() {
    let dir = scratch("hostile-console");
    let out = run(&["build", HOSTILE, "--out", dir.join("out").to_str().unwrap()]);
    assert_exit(&out, 0);
    let md = std::fs::read_to_string(dir.join("out/console.md")).unwrap();
    assert_inert(&md, "console.md");
    let r = render(&md);
    // `## Account …` per account and `### N. …` per step: only netlink's headings.
    assert_eq!(
        r.headings
            .iter()
            .filter(|h| h.starts_with("Account"))
            .count(),
        2
    );
    assert_eq!(
        r.headings
            .iter()
            .filter(|h| h.starts_with(char::is_numeric))
            .count(),
        10
    );
}

/// The hostile project with one value changed, so `diff` shows every hostile string.
fn hostile_variant() -> std::path::PathBuf {
    let dir = scratch("hostile-variant");
    let text = std::fs::read_to_string(common::root().join(HOSTILE)).unwrap();
    let path = dir.join("peering.netlink");
    std::fs::write(
        &path,
        text.replace("link_type = gold", "link_type = platinum"),
    )
    .unwrap();
    path
}

#[test]
fn hostile_strings_stay_inside_the_diff_fence() {
    let empty = scratch("hostile-empty").join("one.netlink");
    std::fs::write(&empty, "account a { uid = \"1234567890123456\" }\n").unwrap();
    let out = netlink()
        .args(["diff", "--format", "markdown"])
        .arg(&empty)
        .arg(common::root().join(HOSTILE))
        .output()
        .unwrap();
    assert_exit(&out, 3);
    let md = stdout_of(&out);
    assert!(md.starts_with("<!-- netlink-plan -->\n"));
    let r = render(&md);
    assert_eq!(
        r.code_blocks.len(),
        1,
        "one fence, never closed early:\n{md}"
    );
    assert!(r.code_blocks[0].contains("Delete ALL"));
    assert!(!r.prose.contains("No changes"), "a fake verdict");
    assert!(!md.contains('\u{1b}'));
    // Every line of the fence starts with netlink's own marker.
    for line in r.code_blocks[0].lines() {
        assert!(
            line.starts_with(['+', '-', '!', '#']),
            "a line the user made: {line:?}"
        );
    }
}

#[test]
fn hostile_strings_cannot_write_terminal_lines() {
    let plan = run(&["plan", HOSTILE]);
    assert_exit(&plan, 0);
    let diff = netlink()
        .args(["diff", HOSTILE])
        .arg(hostile_variant())
        .output()
        .unwrap();
    assert_exit(&diff, 3);
    let added = netlink()
        .args([
            "diff",
            "examples/dataworks_cross_account_peering.netlink",
            HOSTILE,
        ])
        .output()
        .unwrap();
    for (what, out) in [("plan", &plan), ("diff", &diff), ("diff added", &added)] {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\u{1b}'), "{what}: raw ESC");
        assert!(!text.contains('\u{202e}'), "{what}: raw bidi override");
        for line in text.lines() {
            assert!(
                !line.trim_start().starts_with("+  99.") && !line.starts_with("<!--"),
                "{what}: a line made by user text: {line:?}"
            );
        }
    }
    assert!(stdout_of(&plan).contains("`rm-x\\n\\n<!--"));
    assert!(String::from_utf8_lossy(&added.stdout).contains("\\u{1b}[2K"));
}

#[test]
fn hostile_strings_stay_inside_dot_labels() {
    let out = run(&["graph", HOSTILE]);
    assert_exit(&out, 0);
    let dot = stdout_of(&out);
    assert!(!dot.contains('\u{1b}'));
    // Every statement is on one line and every quote is balanced: a user string cannot end a
    // label and add attributes or nodes.
    for line in dot.lines() {
        let mut quotes = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => quotes += 1,
                _ => escaped = false,
            }
        }
        assert_eq!(quotes % 2, 0, "unbalanced quotes: {line}");
    }
    if let Ok(child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        let mut child = child;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot.as_bytes())
            .unwrap();
        let done = child.wait_with_output().unwrap();
        assert!(done.status.success(), "dot rejects the graph");
    } else {
        eprintln!("skipped: graphviz `dot` is not installed; the DOT was checked by quotes only");
    }
}

#[test]
fn hostile_file_text_never_reaches_the_terminal_raw() {
    let dir = scratch("hostile-diag");
    let file = dir.join("bad.netlink");
    std::fs::write(
        &file,
        "account a { uid = \"12\x1b[2J\u{202e}34\"  label = \"x\" }\n",
    )
    .unwrap();
    let out = netlink()
        .args(["check", "--color", "never"])
        .arg(&file)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("NL1"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(!err.contains('\u{202e}'), "{err}");
}

#[test]
fn a_small_topology_is_embedded_as_mermaid() {
    let path = "examples/dataworks_cross_account_peering.netlink";
    let md = plan_markdown(path);
    let arena = Arena::new();
    let doc = parse_document(&arena, &md, &gfm());
    let charts: Vec<String> = doc
        .descendants()
        .filter_map(|n| match &n.data().value {
            NodeValue::CodeBlock(c) if c.info == "mermaid" => Some(c.literal.clone()),
            _ => None,
        })
        .collect();
    let graph = run(&["graph", "--format", "mermaid", "--topology", path]);
    assert_eq!(charts, vec![stdout_of(&graph)]);
    // A project too large to read as one chart gets none.
    let all = plan_markdown("examples/");
    assert!(!all.contains("```mermaid"));
}
