//! Bytes as a user string (an account's label, an RDS id) → the PR comment, the terminal plan,
//! both graphs (dot, Mermaid) and `console.md`: nothing of the string becomes a line, a heading,
//! a table row, a fence, a list or HTML, and no control or bidi character gets through. The
//! same code as `tests/fuzz_regressions.rs` (`netlink::fuzzing::hostile_strings`).
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    if netlink::fuzzing::hostile_strings(data) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
