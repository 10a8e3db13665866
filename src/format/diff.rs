//! A unified line diff (Myers' O(ND) algorithm), as `diff -u` prints it.

use std::collections::HashSet;

/// One line of the edit script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// In both (old index, new index).
    Keep(usize, usize),
    /// Only in the old text.
    Delete(usize),
    /// Only in the new text.
    Insert(usize),
}

/// Lines with their terminators (`"a\n"`, `"b\r\n"`, a last `"c"` without one).
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// A shortest edit script from `a` to `b`.
fn script(a: &[&str], b: &[&str]) -> Vec<Op> {
    // A line found on one side only is in no common subsequence: search without those lines
    // (often most of them when a file is formatted for the first time), then put them back as
    // deletions and insertions between the kept lines. The script stays a shortest one.
    let in_a: HashSet<&str> = a.iter().copied().collect();
    let in_b: HashSet<&str> = b.iter().copied().collect();
    let ai: Vec<usize> = (0..a.len()).filter(|&i| in_b.contains(a[i])).collect();
    let bj: Vec<usize> = (0..b.len()).filter(|&j| in_a.contains(b[j])).collect();
    let fa: Vec<&str> = ai.iter().map(|&i| a[i]).collect();
    let fb: Vec<&str> = bj.iter().map(|&j| b[j]).collect();
    let mut kept = Vec::new();
    diff_range(&fa, 0, fa.len(), &fb, 0, fb.len(), &mut kept);
    let mut ops = Vec::with_capacity(a.len() + b.len());
    let (mut x, mut y) = (0, 0);
    for op in kept {
        if let Op::Keep(i, j) = op {
            let (i, j) = (ai[i], bj[j]);
            ops.extend((x..i).map(Op::Delete));
            ops.extend((y..j).map(Op::Insert));
            ops.push(Op::Keep(i, j));
            (x, y) = (i + 1, j + 1);
        }
    }
    ops.extend((x..a.len()).map(Op::Delete));
    ops.extend((y..b.len()).map(Op::Insert));
    // Within each run of changes, deletions first (as `diff -u` shows them).
    let mut i = 0;
    while i < ops.len() {
        if matches!(ops[i], Op::Keep(..)) {
            i += 1;
            continue;
        }
        let end = ops[i..]
            .iter()
            .position(|o| matches!(o, Op::Keep(..)))
            .map_or(ops.len(), |p| i + p);
        ops[i..end].sort_by_key(|o| match *o {
            Op::Delete(x) => (0, x),
            Op::Insert(y) => (1, y),
            Op::Keep(..) => (2, 0),
        });
        i = end;
    }
    ops
}

/// The edit script of `a[a0..a1]` → `b[b0..b1]`, appended to `ops`: Myers' linear-space
/// algorithm (the middle snake splits the problem in two), so memory stays linear in the
/// number of lines however different the texts are. Past [`COST_LIMIT`] rounds the split is
/// the furthest point reached so far: the script is then still correct, maybe not shortest.
fn diff_range(
    a: &[&str],
    mut a0: usize,
    mut a1: usize,
    b: &[&str],
    mut b0: usize,
    mut b1: usize,
    ops: &mut Vec<Op>,
) {
    // Common prefix and suffix need no search.
    while a0 < a1 && b0 < b1 && a[a0] == b[b0] {
        ops.push(Op::Keep(a0, b0));
        a0 += 1;
        b0 += 1;
    }
    let mut suffix = 0;
    while a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1] {
        a1 -= 1;
        b1 -= 1;
        suffix += 1;
    }
    if a0 == a1 {
        ops.extend((b0..b1).map(Op::Insert));
    } else if b0 == b1 {
        ops.extend((a0..a1).map(Op::Delete));
    } else {
        match middle(&a[a0..a1], &b[b0..b1]) {
            Some((x, y)) => {
                diff_range(a, a0, a0 + x, b, b0, b0 + y, ops);
                diff_range(a, a0 + x, a1, b, b0 + y, b1, ops);
            }
            None => {
                ops.extend((a0..a1).map(Op::Delete));
                ops.extend((b0..b1).map(Op::Insert));
            }
        }
    }
    ops.extend((0..suffix).map(|i| Op::Keep(a1 + i, b1 + i)));
}

/// Rounds of the search for a middle snake before settling for a good-enough split.
const COST_LIMIT: isize = 1024;

/// A point `(x, y)` on a shortest edit path through `a` → `b`, found by running the search
/// from both ends until the two frontiers meet; `None` when it would not split the problem.
fn middle(a: &[&str], b: &[&str]) -> Option<(usize, usize)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max_d = (n + m + 1) / 2;
    let off = max_d;
    let len = 2 * max_d + 2;
    let mut v1 = vec![-1isize; len as usize];
    let mut v2 = vec![-1isize; len as usize];
    v1[(off + 1) as usize] = 0;
    v2[(off + 1) as usize] = 0;
    let delta = n - m;
    let front = delta % 2 != 0;
    let (mut k1start, mut k1end, mut k2start, mut k2end) = (0, 0, 0, 0);
    // The forward point furthest along (largest x + y), for the cost limit.
    let mut best = (0isize, 0isize);
    for d in 0..max_d {
        if d >= COST_LIMIT {
            if let Some(p) = split(best.0, best.1, n, m) {
                return Some(p);
            }
        }
        // Forward.
        let mut k1 = -d + k1start;
        while k1 <= d - k1end {
            let i = (off + k1) as usize;
            let mut x1 = if k1 == -d || (k1 != d && v1[i - 1] < v1[i + 1]) {
                v1[i + 1]
            } else {
                v1[i - 1] + 1
            };
            let mut y1 = x1 - k1;
            while x1 < n && y1 < m && a[x1 as usize] == b[y1 as usize] {
                x1 += 1;
                y1 += 1;
            }
            v1[i] = x1;
            if x1 <= n && y1 <= m && x1 + y1 > best.0 + best.1 {
                best = (x1, y1);
            }
            if x1 > n {
                k1end += 2;
            } else if y1 > m {
                k1start += 2;
            } else if front {
                let j = off + delta - k1;
                if j >= 0 && j < len && v2[j as usize] != -1 && x1 >= n - v2[j as usize] {
                    return split(x1, y1, n, m);
                }
            }
            k1 += 2;
        }
        // Backward.
        let mut k2 = -d + k2start;
        while k2 <= d - k2end {
            let i = (off + k2) as usize;
            let mut x2 = if k2 == -d || (k2 != d && v2[i - 1] < v2[i + 1]) {
                v2[i + 1]
            } else {
                v2[i - 1] + 1
            };
            let mut y2 = x2 - k2;
            while x2 < n && y2 < m && a[(n - x2 - 1) as usize] == b[(m - y2 - 1) as usize] {
                x2 += 1;
                y2 += 1;
            }
            v2[i] = x2;
            if x2 > n {
                k2end += 2;
            } else if y2 > m {
                k2start += 2;
            } else if !front {
                let j = off + delta - k2;
                if j >= 0 && j < len && v1[j as usize] != -1 {
                    let x1 = v1[j as usize];
                    let y1 = off + x1 - j;
                    if x1 >= n - x2 {
                        return split(x1, y1, n, m);
                    }
                }
            }
            k2 += 2;
        }
    }
    None
}

/// A split point that makes progress (neither corner of the grid).
fn split(x: isize, y: isize, n: isize, m: isize) -> Option<(usize, usize)> {
    let inside = (0..=n).contains(&x) && (0..=m).contains(&y);
    let corner = (x == 0 && y == 0) || (x == n && y == m);
    (inside && !corner).then_some((x as usize, y as usize))
}

/// A unified diff of `old` → `new` under the name `name` (`--- a/name`, `+++ b/name`), with
/// `context` lines of context; empty when the texts are equal.
pub fn unified(name: &str, old: &str, new: &str, context: usize) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = (lines(old), lines(new));
    let ops = script(&a, &b);
    let shown = name.trim_start_matches('/');
    let mut out = format!("--- a/{shown}\n+++ b/{shown}\n");
    // Indices of changed ops, grouped into hunks whose context overlaps.
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Keep(..)))
        .map(|(i, _)| i)
        .collect();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        match groups.last_mut() {
            Some((_, end)) if i <= *end + 2 * context + 1 => *end = i,
            _ => groups.push((i, i)),
        }
    }
    for (first, last) in groups {
        let lo = first.saturating_sub(context);
        let hi = (last + context + 1).min(ops.len());
        let hunk = &ops[lo..hi];
        let (mut a_start, mut b_start) = (None, None);
        let (mut a_len, mut b_len) = (0, 0);
        for op in hunk {
            match *op {
                Op::Keep(i, j) => {
                    a_start.get_or_insert(i);
                    b_start.get_or_insert(j);
                    a_len += 1;
                    b_len += 1;
                }
                Op::Delete(i) => {
                    a_start.get_or_insert(i);
                    a_len += 1;
                }
                Op::Insert(j) => {
                    b_start.get_or_insert(j);
                    b_len += 1;
                }
            }
        }
        // An empty side is shown as `l,0` with `l` the line before it.
        let a_at = a_start.unwrap_or_else(|| position_before(&ops[..lo], true));
        let b_at = b_start.unwrap_or_else(|| position_before(&ops[..lo], false));
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a_at, a_len),
            range(b_at, b_len)
        ));
        for op in hunk {
            let (mark, text) = match *op {
                Op::Keep(i, _) => (' ', a[i]),
                Op::Delete(i) => ('-', a[i]),
                Op::Insert(j) => ('+', b[j]),
            };
            out.push(mark);
            out.push_str(text);
            if !text.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// The 0-based index of the first line of one side after `ops` (for an empty side of a hunk).
fn position_before(ops: &[Op], old: bool) -> usize {
    ops.iter()
        .filter(|op| match op {
            Op::Keep(..) => true,
            Op::Delete(_) => old,
            Op::Insert(_) => !old,
        })
        .count()
}

/// `start,len` in 1-based lines (`start` alone when `len` is 1; the line before when 0).
fn range(start0: usize, len: usize) -> String {
    match len {
        0 => format!("{start0},0"),
        1 => format!("{}", start0 + 1),
        _ => format!("{},{}", start0 + 1, len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(a: &[&str], b: &[&str], ops: &[Op]) -> (Vec<String>, Vec<String>) {
        let mut old = Vec::new();
        let mut new = Vec::new();
        for op in ops {
            match *op {
                Op::Keep(i, j) => {
                    assert_eq!(a[i], b[j]);
                    old.push(a[i].to_string());
                    new.push(b[j].to_string());
                }
                Op::Delete(i) => old.push(a[i].to_string()),
                Op::Insert(j) => new.push(b[j].to_string()),
            }
        }
        (old, new)
    }

    #[test]
    fn scripts_rebuild_both_sides() {
        let cases = [
            ("", "a\n"),
            ("a\n", ""),
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nb\nc\nd\ne\n", "x\nb\ny\nd\nz\n"),
            ("a\nb\na\nb\n", "b\na\nb\na\n"),
            ("1\n2\n3\n4\n5\n6\n7\n", "0\n2\n3\n5\n6\n8\n7\n9\n"),
        ];
        for (x, y) in cases {
            let (a, b) = (lines(x), lines(y));
            let ops = script(&a, &b);
            let (old, new) = apply(&a, &b, &ops);
            assert_eq!(old.concat(), x);
            assert_eq!(new.concat(), y);
        }
    }

    /// Length of the longest common subsequence, by the textbook table.
    fn lcs(a: &[&str], b: &[&str]) -> usize {
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                t[i][j] = if a[i] == b[j] {
                    t[i + 1][j + 1] + 1
                } else {
                    t[i + 1][j].max(t[i][j + 1])
                };
            }
        }
        t[0][0]
    }

    #[test]
    fn random_scripts_are_shortest() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        let words = ["a\n", "b\n", "c\n", "d\n"];
        for _ in 0..2000 {
            let a: Vec<&str> = (0..next(12)).map(|_| words[next(4)]).collect();
            let b: Vec<&str> = (0..next(12)).map(|_| words[next(4)]).collect();
            let ops = script(&a, &b);
            let (old, new) = apply(&a, &b, &ops);
            assert_eq!(old.concat(), a.concat());
            assert_eq!(new.concat(), b.concat());
            let edits = ops.iter().filter(|o| !matches!(o, Op::Keep(..))).count();
            assert_eq!(edits, a.len() + b.len() - 2 * lcs(&a, &b), "{a:?} {b:?}");
        }
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
    fn a_minimal_script() {
        let (a, b) = (lines("a\nb\nc\nd\n"), lines("a\nc\nd\ne\n"));
        let ops = script(&a, &b);
        let edits = ops.iter().filter(|o| !matches!(o, Op::Keep(..))).count();
        assert_eq!(edits, 2);
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
