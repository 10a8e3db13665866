//! NL3101: classic-network targets, which neither resource groups nor network links reach.

use crate::model::*;

/// NL3101: a flow to a classic-network target, which neither resource groups nor MaxCompute's
/// network links reach. `reach` says how the compute would have reached it.
pub fn classic_target(m: &Model, f: &Flow, reach: &str) -> Option<crate::diagnostics::Diagnostic> {
    let target = &m.targets[f.to.node.index()];
    (target.network.node == NetworkType::Classic).then(|| {
        crate::diagnostics::Diagnostic::new(
            crate::diagnostics::Code::CLASSIC_NETWORK,
            format!("`{}` is on the classic network", target.name.node),
        )
        .primary(f.to.span, reach.to_string())
        .secondary(target.network.span, "declared classic here")
        .help(format!(
            "migrate `{}` to a VPC, then declare its `vswitch`",
            target.name.node
        ))
    })
}
