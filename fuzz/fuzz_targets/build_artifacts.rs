//! Bytes → project → compile → when there is a plan: every artifact, the plan in Markdown, both
//! graphs and every proof's trace. The same path as `tests/fuzz_regressions.rs::build_artifacts` (cargo forbids a binary named `build`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut project = netlink::project::Project::default();
    netlink::project::add_bytes(&mut project, "f.netlink".into(), data.to_vec());
    let compiled = netlink::compile(&project.sources);
    if let (Some(model), Some(plan)) = (&compiled.model, &compiled.plan) {
        let _ = netlink::emit::artifacts(model, plan, &project.sources);
        let _ = netlink::emit::plan_markdown(model, plan, &compiled.proofs);
        let _ = netlink::emit::steps_dot(model, plan);
        let _ = netlink::emit::topology_dot(model);
        for proof in &compiled.proofs {
            let _ = netlink::verify::trace_text(model, proof);
        }
    }
});
