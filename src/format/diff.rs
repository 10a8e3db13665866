//! A unified line diff as `diff -u` prints it, through the `similar` crate: `--- a/<name>`,
//! `+++ b/<name>`, `@@ -l,n +l,n @@` hunks, a side without a final newline marked
//! `\ No newline at end of file`.

use similar::{Algorithm, TextDiff};
use std::time::{Duration, Instant};

/// How long the search for a shortest edit script may take before `similar` settles for a
/// longer (still correct) one: only two huge, wholly different texts come near it.
const DEADLINE: Duration = Duration::from_secs(5);

/// The unified diff of `old` → `new` for the file `name` (shown escaped, without a leading `/`),
/// with `context` lines of context; empty when the texts are equal.
pub(super) fn unified(name: &str, old: &str, new: &str, context: usize) -> String {
    if old == new {
        return String::new();
    }
    let shown = crate::text::term(name.trim_start_matches('/'));
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .deadline(Instant::now() + DEADLINE)
        .diff_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(context)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string();
    // The lines are the file's own: a control or bidi character in them is shown escaped, so a
    // hostile file cannot drive the terminal (or hide a line behind a lone CR).
    if !text.chars().any(|c| c != '\n' && crate::text::is_unsafe(c)) {
        return text;
    }
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(body) => format!("{}\n", crate::text::term(body)),
            None => crate::text::term(line).into_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_lines_are_escaped() {
        let d = unified("x", "a = 1 \u{1b}[2K\r# b\n", "a = 1\n", 3);
        // (`similar` ends a line at a lone CR too: the CR shows, escaped, at the line's end.)
        assert!(d.contains("-a = 1 \\u{1b}[2K\\r"), "{d}");
        assert!(!d.contains('\u{1b}') && !d.contains('\r'), "{d}");
    }

    #[test]
    fn large_and_completely_different() {
        let old: String = (0..3_000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..3_000).map(|i| format!("new {i}\n")).collect();
        let d = unified("big", &old, &new, 3);
        assert_eq!(d.lines().filter(|l| l.starts_with('-')).count(), 3_001);
        assert_eq!(d.lines().filter(|l| l.starts_with('+')).count(), 3_001);
    }

    #[test]
    fn deletions_before_insertions() {
        assert_eq!(
            unified(
                "/abs/x",
                "# c\na { b }\n\nz\n",
                "# c\na {\n  b\n}\n\nz\n",
                3
            ),
            "--- a/abs/x\n+++ b/abs/x\n@@ -1,4 +1,6 @@\n # c\n-a { b }\n+a {\n+  b\n+}\n \n z\n"
        );
    }

    #[test]
    fn names_are_escaped() {
        assert!(unified("a\u{1b}[31m", "a\n", "b\n", 3).starts_with("--- a/a\\u{1b}[31m\n"));
    }

    #[test]
    fn hunks_like_diff_u() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\n";
        assert_eq!(
            unified("x.netlink", old, new, 3),
            "--- a/x.netlink\n+++ b/x.netlink\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
        );
        assert_eq!(
            unified("x", "a\n", "a\nb\n", 3),
            "--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n a\n+b\n"
        );
        assert_eq!(
            unified("x", "", "a\n", 3),
            "--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n"
        );
        assert_eq!(
            unified("x", "a", "a\n", 3),
            "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n"
        );
    }
}
