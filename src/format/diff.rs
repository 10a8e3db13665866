//! A unified line diff (Myers' O(ND) algorithm), as `diff -u` prints it.

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

/// The shortest edit script from `a` to `b`.
fn script(a: &[&str], b: &[&str]) -> Vec<Op> {
    // Common prefix and suffix need no search.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<Op> = (0..pre).map(|i| Op::Keep(i, i)).collect();
    for op in myers(ma, mb) {
        ops.push(match op {
            Op::Keep(i, j) => Op::Keep(i + pre, j + pre),
            Op::Delete(i) => Op::Delete(i + pre),
            Op::Insert(j) => Op::Insert(j + pre),
        });
    }
    ops.extend((0..suf).map(|k| Op::Keep(a.len() - suf + k, b.len() - suf + k)));
    ops
}

fn myers(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let off = max as isize + 1;
    let at = |k: isize| (off + k) as usize;
    let mut v = vec![0isize; 2 * max + 3];
    // trace[d] is the frontier (furthest x per diagonal k = x - y) before round d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'search: for d in 0..=max as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
            let mut x = if down { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                break 'search;
            }
            k += 2;
        }
    }
    // Walk back from (n, m), one edit per round.
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..trace.len() as isize).rev() {
        if d == 0 {
            while x > 0 && y > 0 {
                x -= 1;
                y -= 1;
                ops.push(Op::Keep(x as usize, y as usize));
            }
            break;
        }
        let v = &trace[d as usize];
        let k = x - y;
        let down = k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]);
        let pk = if down { k + 1 } else { k - 1 };
        let px = v[at(pk)];
        let py = px - pk;
        while x > px && y > py {
            x -= 1;
            y -= 1;
            ops.push(Op::Keep(x as usize, y as usize));
        }
        if down {
            ops.push(Op::Insert(py as usize));
        } else {
            ops.push(Op::Delete(px as usize));
        }
        x = px;
        y = py;
    }
    ops.reverse();
    ops
}

/// A unified diff of `old` → `new` under the name `name` (`--- a/name`, `+++ b/name`), with
/// `context` lines of context; empty when the texts are equal.
pub fn unified(name: &str, old: &str, new: &str, context: usize) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = (lines(old), lines(new));
    let ops = script(&a, &b);
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
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
