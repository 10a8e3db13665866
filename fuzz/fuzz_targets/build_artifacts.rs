//! Bytes → project → compile → when there is a plan: every artifact, the plan in Markdown, both
//! graphs and every proof's trace. The same path as `build_artifacts` in
//! `tests/fuzz_regressions.rs`. (Cargo forbids a binary named `build`, hence the name.)
//!
//! An input without a plan is still compiled (a panic there is a finding too) but is not kept
//! in the corpus: most mutations of a valid project break it, and keeping those would leave
//! the corpus full of inputs that never reach the emitters.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    let mut project = netlink::project::Project::default();
    netlink::project::add_bytes(&mut project, "f.netlink".into(), data.to_vec());
    let compiled = netlink::compile(&project.sources);
    let (Some(model), Some(plan)) = (&compiled.model, &compiled.plan) else {
        return Corpus::Reject;
    };
    let _ = netlink::emit::artifacts(model, plan, &compiled.proofs, &project.sources);
    let _ = netlink::emit::plan_markdown(model, plan, &compiled.proofs);
    let _ = netlink::emit::steps_dot(model, plan);
    let _ = netlink::emit::topology_dot(model);
    for proof in &compiled.proofs {
        let _ = netlink::verify::trace_text(model, proof);
    }
    Corpus::Keep
});
