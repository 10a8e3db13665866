//! Bytes → project → compile → every diagnostic rendered for a person and as JSON.
//! The same path as `tests/fuzz_regressions.rs::parse_check`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut project = netlink::project::Project::default();
    netlink::project::add_bytes(&mut project, "f.netlink".into(), data.to_vec());
    let compiled = netlink::compile(&project.sources);
    for d in project
        .diagnostics
        .iter()
        .chain(compiled.diagnostics.iter())
    {
        let _ = netlink::diagnostics::render_human(d, &project.sources, Default::default());
        let _ = netlink::diagnostics::render_json(d, &project.sources);
    }
});
