//! `netlink fmt`: the canonical layout, comments kept, idempotence, meaning preserved (the same
//! diagnostics and the same artifacts), and the command's flags and exit statuses.
//!
//! Golden files: each `tests/fixtures/fmt/<case>.in.netlink` formats to `<case>.out.netlink`
//! (which is itself canonical). After a deliberate change to the layout, regenerate them with
//!
//! ```text
//! NETLINK_BLESS=1 cargo test --test fmt golden
//! ```
//!
//! and review the diff of `tests/fixtures/fmt/` before committing.

mod common;

use common::{assert_exit, compile_text, root, run_in, scratch, stderr_of, stdout_of};
use netlink::format::{format_source, unified_diff, FormatError};
use std::fs;
use std::path::{Path, PathBuf};

/// Format, and check what every formatted text must satisfy: it parses without errors and
/// formatting it again changes nothing.
fn fmt(text: &str) -> String {
    let out = format_source(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let (_, diags) = netlink::syntax::parse_file(netlink::source::FileId(0), &out);
    assert!(
        !diags.iter().any(|d| d.is_error()),
        "formatted text does not parse: {diags:?}\n{out}"
    );
    let again = format_source(&out).unwrap();
    assert_eq!(again, out, "not idempotent; input:\n{text}");
    out
}

/// Drop every `"source"` member (line and column of a declaration) from a JSON document.
fn without_sources(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("source");
            map.values_mut().for_each(without_sources);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_sources),
        _ => {}
    }
}

/// Everything a project produces that does not depend on where things were written: the
/// diagnostics (code, severity, message, help, notes) and every artifact, with `plan.json`'s
/// source positions removed.
fn meaning(text: &str) -> Vec<String> {
    let (c, sources) = compile_text("test.netlink", text);
    let mut out: Vec<String> = c
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {} | {:?} | {:?} | {}",
                d.code.as_str(),
                d.severity,
                d.message,
                d.help,
                d.notes,
                d.labels.len()
            )
        })
        .collect();
    if let (Some(m), Some(p)) = (&c.model, &c.plan) {
        for (name, body) in netlink::emit::artifacts(m, p, &c.proofs, &sources) {
            if name.ends_with(".json") {
                let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
                without_sources(&mut v);
                out.push(format!("{name}: {v}"));
            } else {
                out.push(format!("{name}: {body}"));
            }
        }
        out.push(format!("proofs: {}", c.proofs.len()));
    }
    out
}

/// The `.netlink` files directly in a directory that are UTF-8, sorted.
fn texts_in(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "netlink"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(fs::read(&p).unwrap()).ok()?;
            Some((p, text))
        })
        .collect()
}

// ---- every example and corpus file -----------------------------------------------------------

#[test]
fn examples_and_passing_corpus_keep_their_meaning() {
    let mut checked = 0;
    for dir in ["examples", "tests/corpus/pass", "tests/fixtures"] {
        for (path, text) in texts_in(&root().join(dir)) {
            let out = fmt(&text);
            assert_eq!(
                meaning(&text),
                meaning(&out),
                "{}: formatting changed what the project means",
                path.display()
            );
            // Nothing but layout changed: the same comments, in the same order.
            assert_eq!(
                comments(&text),
                comments(&out),
                "{}: comments were lost or moved",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} files checked");
}

#[test]
fn examples_produce_the_same_plan() {
    for (path, text) in texts_in(&root().join("examples")) {
        let out = fmt(&text);
        let (a, b) = (
            compile_text("test.netlink", &text).0,
            compile_text("test.netlink", &out).0,
        );
        let (pa, pb) = (a.plan.as_ref().unwrap(), b.plan.as_ref().unwrap());
        let ids = |p: &netlink::plan::Plan| -> Vec<String> {
            p.order.iter().map(|&i| p.steps[i].id.clone()).collect()
        };
        assert_eq!(ids(pa), ids(pb), "{}", path.display());
    }
}

#[test]
fn failing_corpus_is_formatted_or_refused() {
    for (path, text) in texts_in(&root().join("tests/corpus/fail")) {
        let (_, diags) = netlink::syntax::parse_file(netlink::source::FileId(0), &text);
        let syntax_error = diags.iter().any(|d| d.is_error());
        match format_source(&text) {
            Err(FormatError::Syntax(d)) => {
                assert!(syntax_error, "{}", path.display());
                assert!(!d.is_empty());
            }
            Err(FormatError::Internal(m)) => panic!("{}: {m}", path.display()),
            Ok(out) => {
                assert!(!syntax_error, "{}", path.display());
                assert_eq!(format_source(&out).unwrap(), out, "{}", path.display());
                assert_eq!(meaning(&text), meaning(&out), "{}", path.display());
            }
        }
    }
}

/// The comments of a text in order, as the formatter prints them (trailing whitespace off).
fn comments(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'#' | b'/' if b[i] == b'#' || b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                out.push(text[i..end].trim_end().to_string());
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(text.len(), |e| i + 4 + e);
                let lines: Vec<&str> = text[i..end].lines().map(str::trim_end).collect();
                out.push(lines.join("\n"));
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

// ---- the layout --------------------------------------------------------------------------------

#[test]
fn canonical_layout() {
    let text =
        "account   a{uid=\"1\"}\n\n\n\nvpc v {\n      account=a\n\n\n\n   cidr   =   10.0.0.0/8\n}";
    assert_eq!(
        fmt(text),
        "account a { uid = \"1\" }\n\nvpc v {\n  account = a\n\n  cidr = 10.0.0.0/8\n}\n"
    );
}

#[test]
fn a_block_written_on_one_line_stays_on_one_line_others_are_split() {
    assert_eq!(
        fmt("vswitch s {zone=cn-hangzhou-h cidr   =  192.168.6.0/24}\n"),
        "vswitch s { zone = cn-hangzhou-h  cidr = 192.168.6.0/24 }\n"
    );
    // Written over two lines: one attribute per line.
    assert_eq!(
        fmt("vpc v { account = a  region = cn-hangzhou\n cidr = 10.0.0.0/8 }"),
        "vpc v {\n  account = a\n  region  = cn-hangzhou\n  cidr    = 10.0.0.0/8\n}\n"
    );
}

#[test]
fn exactly_one_blank_line_between_top_level_blocks() {
    assert_eq!(fmt("a x {}\nb y {}"), "a x {}\n\nb y {}\n");
    assert_eq!(fmt("a x {} b y {}"), "a x {}\n\nb y {}\n");
    assert_eq!(fmt("a x {}\n\n\n\n\nb y {}\n\n\n"), "a x {}\n\nb y {}\n");
}

#[test]
fn nested_blocks_and_unlabelled_blocks() {
    let text =
        "vpc v { security_group g { type = basic rule { direction = ingress ports = 3306 } } }";
    assert_eq!(
        fmt(text),
        "vpc v {\n  security_group g {\n    type = basic\n    rule { direction = ingress  ports = 3306 }\n  }\n}\n"
    );
}

#[test]
fn blank_lines_inside_blocks_kept_as_at_most_one() {
    let text = "vpc v {\n\n\n  a = 1\n\n\n\n  b = 2\n  c = 3\n\n\n}\n";
    assert_eq!(fmt(text), "vpc v {\n  a = 1\n\n  b = 2\n  c = 3\n}\n");
}

#[test]
fn empty_blocks() {
    assert_eq!(fmt("vpc v {\n\n}\n"), "vpc v {}\n");
    assert_eq!(fmt("vpc v {   }"), "vpc v {}\n");
    assert_eq!(fmt("vpc v { e { } }"), "vpc v {\n  e {}\n}\n");
    assert_eq!(fmt("rule{}"), "rule {}\n");
}

#[test]
fn lists_and_endpoints() {
    assert_eq!(
        fmt("f x {\n ports = [ 443 ,80, ] to = rds : [ 80 , 8000-8100 , ] a = [] b = [ ] c = [a.b ,c] }"),
        "f x {\n  ports = [443, 80]\n  to    = rds:[80, 8000-8100]\n  a     = []\n  b     = []\n  c     = [a.b, c]\n}\n"
    );
    assert_eq!(
        fmt("f x { to = rds:3306 r = 8000-8100 e = emr:8000-8100 }"),
        "f x { to = rds:3306  r = 8000-8100  e = emr:8000-8100 }\n"
    );
    // A list written over several lines stays one item per line, each with its comma.
    assert_eq!(
        fmt("f x {\n  hosts = [\"a:443\",\n    \"b:80\"]\n}\n"),
        "f x {\n  hosts = [\n    \"a:443\",\n    \"b:80\",\n  ]\n}\n"
    );
    assert_eq!(
        fmt("f x {\n  to = rds:[\n80, 443]\n}\n"),
        "f x {\n  to = rds:[\n    80,\n    443,\n  ]\n}\n"
    );
}

#[test]
fn values_as_written() {
    let text = "x y {\n a = 192.168.6.5/24 b = 47.96.1.10 c = 0099 d = cn-hangzhou-h e = hz_vpc.hz_h f = 1-65535 }";
    assert_eq!(
        fmt(text),
        "x y {\n  a = 192.168.6.5/24\n  b = 47.96.1.10\n  c = 0099\n  d = cn-hangzhou-h\n  e = hz_vpc.hz_h\n  f = 1-65535\n}\n"
    );
}

#[test]
fn tokens_written_together_are_separated() {
    // A CIDR or an address may be followed directly by the next key.
    assert_eq!(
        fmt("x y { a = 10.0.0.0/8b = 1.2.3.4c = 5 }"),
        "x y { a = 10.0.0.0/8  b = 1.2.3.4  c = 5 }\n"
    );
    assert_eq!(fmt("x y{a=\"s\"b=c}"), "x y { a = \"s\"  b = c }\n");
}

#[test]
fn strings_are_re_escaped() {
    assert_eq!(
        fmt("a b {\n s = \"tab\there\" t = \"q\\\"uote \\\\ back \\n nl \\t t\" u = \"\" v = \"日本 # not a comment // /* */\" }"),
        "a b {\n  s = \"tab\\there\"\n  t = \"q\\\"uote \\\\ back \\n nl \\t t\"\n  u = \"\"\n  v = \"日本 # not a comment // /* */\"\n}\n"
    );
}

#[test]
fn crlf_bom_and_tabs() {
    let text = "\u{feff}# head\r\n\r\naccount a {\r\n\tuid = \"1\"\t\t# t \r\n\r\n\r\n\tlabel = \"x\"\r\n}\r\n";
    assert_eq!(
        fmt(text),
        "# head\n\naccount a {\n  uid = \"1\" # t\n\n  label = \"x\"\n}\n"
    );
    // A BOM alone, whitespace alone, nothing at all.
    assert_eq!(fmt("\u{feff}"), "");
    assert_eq!(fmt(" \n\t\r\n"), "");
    assert_eq!(fmt(""), "");
}

#[test]
fn trailing_whitespace_and_final_newline() {
    assert_eq!(fmt("a b {}   \n\n\n"), "a b {}\n");
    assert_eq!(fmt("a b {}"), "a b {}\n");
    assert_eq!(fmt("# c   \n# d\t\n"), "# c\n# d\n");
}

// ---- comments ----------------------------------------------------------------------------------

#[test]
fn full_line_comments_are_reindented() {
    let text = "# top\nvpc v {\n        # about a\n  a = 1\n# about g\n      g x {\n # inside\n b = 2\n             # last in g\n }\n    # last in v\n}\n# end\n";
    assert_eq!(
        fmt(text),
        "# top\nvpc v {\n  # about a\n  a = 1\n  # about g\n  g x {\n    # inside\n    b = 2\n    # last in g\n  }\n  # last in v\n}\n\n# end\n"
    );
}

#[test]
fn trailing_comments_stay_at_the_end_of_their_line() {
    let text = "vpc v {   # open\n  a = 1      # one\n  b = [x, y] // two\n  g x { c = 3 }   # three\n}    # close\n";
    assert_eq!(
        fmt(text),
        "vpc v {         # open\n  a = 1         # one\n  b = [x, y]    // two\n  g x { c = 3 } # three\n}               # close\n"
    );
}

#[test]
fn trailing_comment_on_a_line_of_several_attributes() {
    // The comment ends the source line, so it follows the last attribute of that line.
    assert_eq!(
        fmt("v x {\n  a = 1  b = 2  # both\n  c = 3\n}\n"),
        "v x {\n  a = 1\n  b = 2 # both\n  c = 3\n}\n"
    );
}

#[test]
fn comments_between_top_level_blocks() {
    let text =
        "# file header\n\n# about a\na x {}\n# about b\nb y {}\n\n\n\n# about c\n\n\nc z {}\n";
    assert_eq!(
        fmt(text),
        "# file header\n\n# about a\na x {}\n\n# about b\nb y {}\n\n# about c\n\nc z {}\n"
    );
}

#[test]
fn block_comments_are_verbatim() {
    let text = "/* header\n   * kept\n   */\nvpc v {\n      /* own\n         line */\n  a = /* inline */ 1 /* after */\n  b = 2 /* x */ c = 3\n}\n";
    assert_eq!(
        fmt(text),
        "/* header\n   * kept\n   */\nvpc v {\n  /* own\n         line */\n  a = /* inline */ 1 /* after */\n  b = 2 /* x */\n  c = 3\n}\n"
    );
}

#[test]
fn comments_inside_an_attribute_or_header() {
    // Comments never change places with tokens; a line comment ends its line.
    assert_eq!(
        fmt("vpc /* n */ v /* b */ { a /* k */ = /* v */ 1 }"),
        "vpc /* n */ v /* b */ {\n  a /* k */ = /* v */ 1\n}\n"
    );
    assert_eq!(
        fmt("vpc v { a = # why\n 1 }"),
        "vpc v {\n  a = # why\n  1\n}\n"
    );
    assert_eq!(fmt("vpc v # c\n{ a = 1 }"), "vpc v # c\n{\n  a = 1\n}\n");
    assert_eq!(
        fmt("f x { to = rds /* c */ : /* d */ 3306 }"),
        "f x {\n  to = rds /* c */ : /* d */ 3306\n}\n"
    );
}

#[test]
fn a_list_with_comments_is_one_element_per_line() {
    let text = "f x {\n  ports = [80, # http\n    443 /* https */ , 8080\n    # alt\n    ,\n  ]\n  e = [ # none\n  ]\n}\n";
    assert_eq!(
        fmt(text),
        "f x {\n  ports = [\n    80, # http\n    443, /* https */\n    8080,\n    # alt\n  ]\n  e = [ # none\n  ]\n}\n"
    );
}

#[test]
fn comment_only_files() {
    assert_eq!(fmt("# only\n\n\n// two\n"), "# only\n\n// two\n");
    assert_eq!(fmt("/* c */"), "/* c */\n");
}

#[test]
fn deep_nesting() {
    let mut text = String::new();
    for i in 0..32 {
        text.push_str(&format!("b{i} {{ "));
    }
    text.push_str("x = 1 ");
    text.push_str(&"} ".repeat(32));
    let out = fmt(&text);
    assert!(
        out.contains(&format!("{}b31 {{ x = 1 }}\n", "  ".repeat(31))),
        "{out}"
    );
}

#[test]
fn syntax_errors_are_refused() {
    for text in [
        "vpc v { a = }",
        "vpc v { a = 1",
        "vpc v { a = [1 2] }",
        "/* open",
        "a b { s = \"x\\qy\" }",
    ] {
        match format_source(text) {
            Err(FormatError::Syntax(d)) => assert!(!d.is_empty(), "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn diff_output() {
    assert_eq!(unified_diff("x", "a\n", "a\n"), "");
    assert_eq!(
        unified_diff("x.netlink", "a b {}\nc d {}\n", "a b {}\n\nc d {}\n"),
        "--- a/x.netlink\n+++ b/x.netlink\n@@ -1,2 +1,3 @@\n a b {}\n+\n c d {}\n"
    );
    // Two changes far apart make two hunks with three lines of context each.
    let old: String = (1..=20).map(|i| format!("l{i}\n")).collect();
    let new = old.replace("l2\n", "L2\n").replace("l18\n", "L18\n");
    assert_eq!(
        unified_diff("f", &old, &new),
        "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n l20\n"
    );
}

// ---- golden files ------------------------------------------------------------------------------

#[test]
fn golden_files() {
    let dir = root().join("tests/fixtures/fmt");
    let bless = std::env::var_os("NETLINK_BLESS").is_some();
    let mut cases = 0;
    let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for input in entries {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let Some(case) = name.strip_suffix(".in.netlink") else {
            continue;
        };
        cases += 1;
        let text = fs::read_to_string(&input).unwrap();
        let out = fmt(&text);
        let expected_path = dir.join(format!("{case}.out.netlink"));
        if bless {
            fs::write(&expected_path, &out).unwrap();
        }
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{case}.out.netlink: {e} (NETLINK_BLESS=1 writes it)"));
        assert_eq!(
            out, expected,
            "{case}: formatted differs from {case}.out.netlink"
        );
        assert_eq!(
            fmt(&expected),
            expected,
            "{case}.out.netlink is not canonical"
        );
    }
    assert!(cases >= 6, "only {cases} golden cases");
}

#[test]
fn alignment_counts_characters_and_ascii_keys() {
    // Keys are ASCII; a trailing comment after a non-ASCII value is aligned by characters.
    assert_eq!(
        fmt("a b {\n  k = \"é\" # x\n  kk = \"e\" # y\n}\n"),
        "a b {\n  k  = \"é\" # x\n  kk = \"e\" # y\n}\n"
    );
}

#[test]
fn one_line_block_width_limit_is_100_columns_with_indentation() {
    // At the top level a 100-character block stays; one more character and it is expanded.
    let fits = format!("a b {{ k = \"{}\" }}", "x".repeat(100 - 14));
    assert_eq!(fits.chars().count(), 100);
    assert_eq!(fmt(&format!("{fits}\n")), format!("{fits}\n"));
    let wide = format!("a b {{ k = \"{}\" }}\n", "x".repeat(101 - 14));
    assert!(fmt(&wide).starts_with("a b {\n  k = "), "{}", fmt(&wide));
    // Nested one level, the same block is two columns wider.
    let nested = format!("v w {{\n  {fits}\n}}\n");
    assert!(
        fmt(&nested).contains("\n  a b {\n    k = "),
        "{}",
        fmt(&nested)
    );
}

// ---- the command -------------------------------------------------------------------------------

#[test]
fn stdin_is_formatted_to_stdout() {
    let out = common::netlink()
        .args(["fmt", "-"])
        .write_stdin(MESSY)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), TIDY);
    // Already canonical: the same text, exit 0.
    let out = common::netlink()
        .args(["fmt", "-"])
        .write_stdin(TIDY)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), TIDY);
}

#[test]
fn stdin_check_and_diff() {
    let out = common::netlink()
        .args(["fmt", "--check", "-"])
        .write_stdin(MESSY)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert_eq!(stdout_of(&out), "");
    let out = common::netlink()
        .args(["fmt", "--check", "-"])
        .write_stdin(TIDY)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "");
    let out = common::netlink()
        .args(["fmt", "--diff", "--color", "never", "-"])
        .write_stdin(MESSY)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert_eq!(stdout_of(&out), unified_diff("<stdin>", MESSY, TIDY));
    assert!(stdout_of(&out).starts_with("--- a/<stdin>\n+++ b/<stdin>\n@@ "));
}

#[test]
fn diff_is_coloured_under_color_always() {
    let out = common::netlink()
        .args(["fmt", "--diff", "--color", "always", "-"])
        .write_stdin(MESSY)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let shown = stdout_of(&out);
    assert!(shown.contains("\u{1b}["), "{shown:?}");
    let out = common::netlink()
        .args(["fmt", "--diff", "--color", "always", "-"])
        .env("NO_COLOR", "1")
        .write_stdin(MESSY)
        .output()
        .unwrap();
    // `always` wins over NO_COLOR, as for the other commands.
    assert!(stdout_of(&out).contains("\u{1b}["));
}

#[test]
fn stdin_syntax_errors_are_diagnostics_for_stdin() {
    let out = common::netlink()
        .args(["fmt", "--color", "never", "-"])
        .write_stdin("vpc v {\n  account = \n}\n")
        .output()
        .unwrap();
    assert_exit(&out, 1);
    assert_eq!(stdout_of(&out), "");
    let err = stderr_of(&out);
    assert!(err.contains("NL0001"), "{err}");
    assert!(err.contains("<stdin>"), "{err}");
}

#[test]
fn stdin_over_the_limit_is_refused() {
    let big = vec![b' '; 16 * 1024 * 1024 + 1];
    let out = common::netlink()
        .args(["fmt", "-"])
        .write_stdin(big)
        .output()
        .unwrap();
    assert_exit(&out, 2);
    assert_eq!(stdout_of(&out), "");
    assert!(stderr_of(&out).contains("16 MiB"), "{}", stderr_of(&out));
    // Exactly the limit is read (and, being whitespace, formats to nothing).
    let out = common::netlink()
        .args(["fmt", "-"])
        .write_stdin(vec![b' '; 16 * 1024 * 1024])
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "");
}

#[test]
fn stdin_with_other_paths_is_a_usage_error() {
    let out = common::run(&["fmt", "-", "examples/"]);
    assert_exit(&out, 2);
}

#[test]
fn hidden_and_ignored_files_are_skipped_like_check() {
    let dir = scratch("hidden");
    fs::create_dir_all(dir.join(".hidden")).unwrap();
    fs::write(dir.join(".hidden/messy.netlink"), MESSY).unwrap();
    fs::write(dir.join(".ignore"), "ignored.netlink\n").unwrap();
    fs::write(dir.join("ignored.netlink"), MESSY).unwrap();
    fs::write(dir.join("tidy.netlink"), TIDY).unwrap();
    let out = run_in(&dir, &["fmt", "--check", "."]);
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = scratch("fifo");
    fs::write(dir.join("tidy.netlink"), TIDY).unwrap();
    let fifo = dir.join("pipe.netlink");
    let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = run_in(&dir, &["fmt", "--check", "--color", "never", "."]);
    assert_exit(&out, 2);
    let err = stderr_of(&out);
    assert!(err.contains("NL0009"), "{err}");
}

const MESSY: &str = "account a { uid = \"1234567890123456\"  label = \"A\" }  # the owner\nvpc v {\n   account = a\n}\n";
const TIDY: &str = "account a { uid = \"1234567890123456\"  label = \"A\" } # the owner\n\nvpc v {\n  account = a\n}\n";

#[test]
fn check_names_the_files_that_would_change_and_writes_nothing() {
    let dir = scratch("check");
    fs::write(dir.join("messy.netlink"), MESSY).unwrap();
    fs::write(dir.join("tidy.netlink"), TIDY).unwrap();
    let out = run_in(&dir, &["fmt", "--check", "."]);
    assert_exit(&out, 1);
    assert_eq!(stdout_of(&out), "would reformat ./messy.netlink\n");
    assert_eq!(
        fs::read_to_string(dir.join("messy.netlink")).unwrap(),
        MESSY
    );

    let out = run_in(&dir, &["fmt", "--check", "tidy.netlink"]);
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = scratch("diff");
    fs::write(dir.join("messy.netlink"), MESSY).unwrap();
    let out = run_in(&dir, &["fmt", "--diff", "messy.netlink"]);
    assert_exit(&out, 1);
    assert_eq!(
        stdout_of(&out),
        unified_diff("messy.netlink", MESSY, TIDY),
        "{}",
        stdout_of(&out)
    );
    assert!(
        stdout_of(&out).starts_with("--- a/messy.netlink\n+++ b/messy.netlink\n@@ -1,4 +1,5 @@\n")
    );
    assert_eq!(
        fs::read_to_string(dir.join("messy.netlink")).unwrap(),
        MESSY
    );

    fs::write(dir.join("messy.netlink"), TIDY).unwrap();
    let out = run_in(&dir, &["fmt", "--diff", "messy.netlink"]);
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "");
}

#[test]
fn without_flags_files_are_rewritten_in_place() {
    let dir = scratch("write");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("sub/messy.netlink"), MESSY).unwrap();
    fs::write(dir.join("tidy.netlink"), TIDY).unwrap();
    fs::write(dir.join("notes.txt"), "not { netlink").unwrap();
    let out = run_in(&dir, &["fmt", "."]);
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "formatted ./sub/messy.netlink\n");
    assert_eq!(
        fs::read_to_string(dir.join("sub/messy.netlink")).unwrap(),
        TIDY
    );
    assert_eq!(fs::read_to_string(dir.join("tidy.netlink")).unwrap(), TIDY);
    assert_eq!(
        fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "not { netlink"
    );
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(dir.join("sub"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["messy.netlink"]);
    // A second run has nothing to do.
    let out = run_in(&dir, &["fmt", "."]);
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "");
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_left_alone() {
    let dir = scratch("broken");
    let broken = "vpc v {\n  account = \n}\n";
    fs::write(dir.join("broken.netlink"), broken).unwrap();
    fs::write(dir.join("messy.netlink"), MESSY).unwrap();
    let out = run_in(&dir, &["fmt", "broken.netlink", "messy.netlink"]);
    assert_exit(&out, 1);
    let err = stderr_of(&out);
    assert!(err.contains("NL0001"), "{err}");
    assert!(err.contains("broken.netlink"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.join("broken.netlink")).unwrap(),
        broken
    );
    // The other file is still formatted.
    assert_eq!(stdout_of(&out), "formatted messy.netlink\n");
    assert_eq!(fs::read_to_string(dir.join("messy.netlink")).unwrap(), TIDY);
}

#[test]
fn invalid_utf8_is_reported_and_left_alone() {
    let dir = scratch("utf8");
    let bytes = b"account a { label = \"\xff\" }\n".to_vec();
    fs::write(dir.join("bad.netlink"), &bytes).unwrap();
    let out = run_in(&dir, &["fmt", "bad.netlink"]);
    assert_exit(&out, 1);
    assert!(stderr_of(&out).contains("NL0003"), "{}", stderr_of(&out));
    assert_eq!(fs::read(dir.join("bad.netlink")).unwrap(), bytes);
}

#[test]
fn a_missing_path_is_exit_two_and_nothing_is_written() {
    let dir = scratch("missing");
    fs::write(dir.join("messy.netlink"), MESSY).unwrap();
    let out = run_in(&dir, &["fmt", "messy.netlink", "nope.netlink"]);
    assert_exit(&out, 2);
    assert!(
        stderr_of(&out).contains("nope.netlink"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        fs::read_to_string(dir.join("messy.netlink")).unwrap(),
        MESSY
    );

    let empty = dir.join("empty");
    fs::create_dir_all(&empty).unwrap();
    let out = run_in(&dir, &["fmt", "--check", "empty"]);
    assert_exit(&out, 2);
}

#[test]
fn formatted_examples_check_like_the_originals() {
    let dir = scratch("examples");
    for (path, text) in texts_in(&root().join("examples")) {
        fs::write(dir.join(path.file_name().unwrap()), text).unwrap();
    }
    let out = run_in(&dir, &["fmt", "."]);
    assert_exit(&out, 0);
    let out = run_in(&dir, &["fmt", "--check", "."]);
    assert_exit(&out, 0);
    let out = run_in(&dir, &["check", "."]);
    assert_exit(&out, 0);
}

// ---- generated files ---------------------------------------------------------------------------

/// A small deterministic generator of valid netlink text with every kind of separator (spaces,
/// tabs, CRLF, blank lines, line and block comments) between tokens.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn sep(&mut self) -> &'static str {
        const SEPS: [&str; 14] = [
            " ",
            " ",
            " ",
            "\n",
            "\n  ",
            "\n\n",
            "\t",
            "\r\n",
            "  # note\n",
            " // note\n",
            " /* c */ ",
            "\n/* multi\n   line */\n",
            "\n\n# own\n\n",
            "\n\t#tab\n",
        ];
        SEPS[self.below(SEPS.len())]
    }

    fn scalar(&mut self, out: &mut String) {
        let s = self.pick(&[
            "3306",
            "8000-8100",
            "10.0.0.0/8",
            "47.96.1.10",
            "cn-hangzhou",
            "a.b",
            "\"str\"",
            "\"t\\\"q\\\\\"",
            "\"raw\ttab\"",
            "rds:443",
            "rds:[80, 8000-8100]",
        ]);
        if s == "rds:[80, 8000-8100]" {
            // An endpoint's port list, with separators inside.
            out.push_str("rds:[");
            out.push_str(self.sep());
            out.push_str("80");
            out.push_str(self.sep());
            out.push(',');
            out.push_str(self.sep());
            out.push_str("8000-8100");
            out.push_str(self.sep());
            out.push(']');
        } else {
            out.push_str(s);
        }
    }

    fn value(&mut self, out: &mut String) {
        if self.below(3) == 0 {
            out.push('[');
            let n = self.below(4);
            for i in 0..n {
                out.push_str(self.sep());
                self.scalar(out);
                out.push_str(self.sep());
                if i + 1 < n || self.below(2) == 0 {
                    out.push(',');
                }
            }
            out.push_str(self.sep());
            out.push(']');
        } else {
            self.scalar(out);
        }
    }

    fn block(&mut self, out: &mut String, depth: usize) {
        out.push_str(self.pick(&["vpc", "rule", "g"]));
        out.push_str(self.sep());
        if self.below(4) > 0 {
            out.push_str(self.pick(&["x", "y_1", "z-2"]));
            out.push_str(self.sep());
        }
        out.push('{');
        for _ in 0..self.below(5) {
            out.push_str(self.sep());
            if depth < 3 && self.below(4) == 0 {
                self.block(out, depth + 1);
            } else {
                out.push_str(self.pick(&["a", "key", "b_2"]));
                out.push_str(self.sep());
                out.push('=');
                out.push_str(self.sep());
                self.value(out);
            }
        }
        out.push_str(self.sep());
        out.push('}');
    }

    fn file(&mut self) -> String {
        let mut out = String::new();
        if self.below(4) == 0 {
            out.push('\u{feff}');
        }
        for _ in 0..self.below(4) {
            out.push_str(self.sep());
            self.block(&mut out, 0);
        }
        out.push_str(self.sep());
        out
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

    #[test]
    fn generated_files_format_idempotently_keeping_comments(seed in 1u64..u64::MAX) {
        let text = Gen(seed).file();
        let out = fmt(&text);
        proptest::prop_assert_eq!(comments(&text), comments(&out), "{}", text);
        let bad = ['\r', '\t', '\u{feff}'];
        proptest::prop_assert!(!out.contains(bad), "{}", out);
        for line in out.lines() {
            proptest::prop_assert_eq!(line, line.trim_end());
        }
        proptest::prop_assert!(out.is_empty() || (out.ends_with('\n') && !out.ends_with("\n\n")));
    }
}

/// Every shipped example is in canonical form: `netlink fmt --check examples/` (as `.ci/run` runs
/// it) exits 0.
#[test]
fn every_example_is_canonical() {
    let out = common::run(&["fmt", "--check", "examples/"]);
    assert_exit(&out, 0);
    assert_eq!(stdout_of(&out), "");
    for (path, text) in texts_in(&root().join("examples")) {
        assert_eq!(fmt(&text), text, "{} is not canonical", path.display());
    }
}

/// The ```` ```netlink ```` fenced blocks of a Markdown text: the line each starts on, its info
/// string after `netlink`, and its text with the fence's indentation removed.
fn netlink_blocks(doc: &str) -> Vec<(usize, String, String)> {
    let mut blocks = Vec::new();
    let mut lines = doc.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim_start();
        let Some(info) = trimmed.strip_prefix("```netlink") else {
            continue;
        };
        let indent = line.len() - trimmed.len();
        let mut text = String::new();
        for (_, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            text.push_str(l.get(indent..).unwrap_or(l.trim_start()));
            text.push('\n');
        }
        blocks.push((n + 1, info.trim().to_string(), text));
    }
    blocks
}

/// Every ```` ```netlink ```` block in README.md, examples/README.md and docs/*.md that parses is
/// in canonical form. Blocks that show a syntax error (docs/diagnostics.md) do not parse and are
/// skipped, and so is a block marked ```` ```netlink not-canonical ```` (the "before" of
/// docs/fmt.md).
#[test]
fn every_netlink_snippet_in_the_docs_is_canonical() {
    let mut docs = vec![root().join("README.md"), root().join("examples/README.md")];
    let mut in_docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    in_docs.sort();
    docs.extend(in_docs);
    let (mut checked, mut bad) = (0, Vec::new());
    for doc in docs {
        let Ok(text) = fs::read_to_string(&doc) else {
            continue;
        };
        for (line, info, block) in netlink_blocks(&text) {
            if info.contains("not-canonical") {
                continue;
            }
            match format_source(&block) {
                Ok(out) => {
                    checked += 1;
                    if out != block {
                        bad.push(format!(
                            "{}:{line}\n{}",
                            doc.display(),
                            unified_diff("snippet", &block, &out)
                        ));
                    }
                }
                Err(FormatError::Syntax(_)) => {}
                Err(e) => panic!("{}:{line}: {e}", doc.display()),
            }
        }
    }
    assert!(checked > 50, "only {checked} snippets checked");
    assert!(
        bad.is_empty(),
        "snippets not in canonical form:\n{}",
        bad.join("\n")
    );
}

/// The before/after example in `docs/fmt.md` is what the formatter does.
#[test]
fn the_documented_example() {
    let doc = fs::read_to_string(root().join("docs/fmt.md")).unwrap();
    let block_after = |marker: &str| -> String {
        let at = doc.find(marker).unwrap_or_else(|| panic!("no `{marker}`"));
        let rest = &doc[at..];
        let fence = rest.find("```netlink").unwrap();
        let start = fence + rest[fence..].find('\n').unwrap() + 1;
        let len = rest[start..].find("```").unwrap();
        rest[start..start + len].to_string()
    };
    let before = block_after("Before:");
    let after = block_after("After `netlink fmt`:");
    assert_eq!(fmt(&before), after);
    assert_eq!(fmt(&after), after);
    // The list with comments shown under "Comments" is already canonical.
    let list = block_after("**A list that holds a comment**");
    let list: String = list
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{}\n", &l[2.min(l.len())..]))
        .collect();
    let wrapped = format!("f x {{\n{}}}\n", indent(&list));
    assert_eq!(fmt(&wrapped), wrapped);
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 12, ..Default::default() })]

    /// Generated valid projects (any size, any seed) mean the same after `fmt`: the same
    /// diagnostics, the same artifacts (positions aside), every flow still proven.
    #[test]
    fn generated_projects_keep_their_meaning(n in 1usize..80, seed in proptest::prelude::any::<u64>()) {
        let text = netlink::gen::project_seeded(n, seed);
        let out = fmt(&text);
        proptest::prop_assert_ne!(&out, &text, "the generator's layout is not fmt's");
        proptest::prop_assert_eq!(meaning(&text), meaning(&out));
    }
}
