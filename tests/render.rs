//! Snapshots of what a user sees: the rendered human diagnostics for every failing corpus case.
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test render`).

mod common;

use common::root;
use std::path::Path;

fn render(path: &Path) -> String {
    // Display names relative to the corpus, so snapshots do not depend on the checkout's path.
    let root = root();
    let rel = path.strip_prefix(&root).unwrap_or(path).to_path_buf();
    let project = netlink::project::load(&[rel]).unwrap();
    let compiled = netlink::compile_with(&project.sources, &project.policy);
    let mut diags = project.diagnostics.clone();
    diags.extend(compiled.diagnostics);
    netlink::diagnostics::sort(&mut diags);
    let mut out = String::new();
    for d in &diags {
        out.push_str(&netlink::diagnostics::render_human(
            d,
            &project.sources,
            Default::default(),
        ));
        out.push('\n');
    }
    out.push_str(&netlink::diagnostics::summary_line(
        &diags,
        &netlink::diagnostics::Summary {
            files: project
                .sources
                .iter()
                .filter(|(_, f)| f.is_netlink())
                .count(),
            blocks: compiled.blocks,
            allowed: compiled.allowed.len(),
            deny_warnings: false,
        },
    ));
    out.push('\n');
    out
}

#[test]
fn rendered_diagnostics() {
    std::env::set_current_dir(root()).unwrap();
    insta::glob!("corpus/fail/*", |path| {
        insta::assert_snapshot!(render(path));
    });
}
