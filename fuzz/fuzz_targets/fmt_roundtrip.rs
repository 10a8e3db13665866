//! Bytes → `fmt` → `fmt` again: a text that formats formats to itself, and its meaning check
//! (re-parse and compare) never fails. The same code as `tests/fuzz_regressions.rs`
//! (`netlink::fuzzing::fmt_roundtrip`).
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    if netlink::fuzzing::fmt_roundtrip(data) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
