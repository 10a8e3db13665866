//! Property tests: no input makes netlink panic.

mod common;

use common::{compile_and_render, compile_text, planned};
use proptest::prelude::*;

fn check_bytes(bytes: Vec<u8>) {
    // Rendering must not panic either.
    compile_and_render("input.netlink", bytes);
}

/// Pieces of netlink text, so generated inputs get past the first token often.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("vpc".to_string()),
        Just("account".to_string()),
        Just("flow".to_string()),
        Just("vswitch".to_string()),
        Just("cen".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("=".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just("\n".to_string()),
        Just("\"s\\q\"".to_string()),
        Just("# c\n".to_string()),
        Just("/*".to_string()),
        Just("192.168.1.5/24".to_string()),
        Just("10.0.0.0/8".to_string()),
        Just("300.1.1.1".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("8000-80".to_string()),
        Just("a.b.c".to_string()),
        Just("é".to_string()),
        "[a-z_]{1,8}",
        "[0-9]{1,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_bytes(bytes);
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(token(), 0..80)) {
        check_bytes(tokens.join(" ").into_bytes());
    }
}

#[test]
fn special_inputs_never_panic() {
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\xef\xbb\xbfaccount a { uid = \"1234567890123456\" }".to_vec(),
        b"account a {\r\n\tuid = \"1234567890123456\"\r\n}\r\n".to_vec(),
        b"vpc v {".repeat(10_000),
        // Found by the fuzzer: headers at column 0, each opening a block, never closed. The
        // recovery chunker sees each line as a block; the real nesting is 30,000 deep.
        b"a{\n".repeat(30_000),
        "}".repeat(10_000).into_bytes(),
        b"\"unterminated".to_vec(),
        b"/* unterminated".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x01],
        "x".repeat(100_000).into_bytes(),
    ];
    for c in cases {
        check_bytes(c);
    }
}

fn artifacts_of(text: &str) -> Vec<(&'static str, String)> {
    let (compiled, sources) = compile_text("gen.netlink", text);
    let (m, plan) = planned(&compiled, "generated project");
    assert!(compiled.diagnostics.iter().all(|d| !d.is_error()));
    assert!(
        compiled.proofs.iter().all(|p| p.proven()),
        "generated flows are proven"
    );
    netlink::emit::artifacts(m, plan, &compiled.proofs, &sources)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Generated valid projects check clean, prove every flow, and build byte-identically twice.
    #[test]
    fn generated_projects_build_deterministically(n in 1usize..120) {
        let text = netlink::gen::project(n);
        prop_assert_eq!(artifacts_of(&text), artifacts_of(&text));
    }
}
