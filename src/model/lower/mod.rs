//! AST + symbols → [`Model`]. One function per block kind, in the files beside this one.

mod attrs;
mod compute;
mod intent;
mod joins;
mod network;
mod targets;

use super::Model;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::{Category, SymbolId, SymbolKind, Symbols};
use crate::source::Span;
use crate::syntax::ast::{self, Block};
use attrs::Cx;

/// One slot per declared symbol of a category, filled as blocks lower.
struct Slots<T>(Vec<Option<T>>);

impl<T> Slots<T> {
    fn new(n: u32) -> Slots<T> {
        Slots((0..n).map(|_| None).collect())
    }
    fn put(&mut self, index: u32, value: T) {
        if let Some(slot) = self.0.get_mut(index as usize) {
            *slot = Some(value);
        }
    }
    /// All slots filled: the vector; otherwise nothing.
    fn finish(self) -> Option<Vec<T>> {
        self.0.into_iter().collect()
    }
}

/// Everything being built.
struct Builder {
    accounts: Slots<super::Account>,
    vpcs: Slots<super::Vpc>,
    vswitches: Slots<super::VSwitch>,
    security_groups: Slots<super::SecurityGroup>,
    targets: Slots<super::Target>,
    computes: Slots<super::Compute>,
    network_links: Slots<super::NetworkLink>,
    internet_accesses: Slots<super::InternetAccess>,
    nat_gateways: Slots<super::NatGateway>,
    connections: Slots<super::Connection>,
    attachments: Slots<super::CenAttachment>,
    transit_routers: Slots<super::TransitRouter>,
    routes: Slots<super::Route>,
    whitelists: Slots<super::Whitelist>,
    flows: Slots<super::Flow>,
    /// Flows after the first of blocks that name several targets (indices past the blocks').
    more_flows: Vec<super::Flow>,
    after: Vec<super::After>,
}

impl Builder {
    fn new(s: &Symbols) -> Builder {
        Builder {
            accounts: Slots::new(s.count(Category::Account)),
            vpcs: Slots::new(s.count(Category::Vpc)),
            vswitches: Slots::new(s.count(Category::VSwitch)),
            security_groups: Slots::new(s.count(Category::SecurityGroup)),
            targets: Slots::new(s.count(Category::Target)),
            computes: Slots::new(s.count(Category::Compute)),
            network_links: Slots::new(s.count(Category::NetworkLink)),
            internet_accesses: Slots::new(s.count(Category::InternetAccess)),
            nat_gateways: Slots::new(s.count(Category::NatGateway)),
            connections: Slots::new(s.count(Category::Connection)),
            attachments: Slots::new(s.count(Category::CenAttachment)),
            transit_routers: Slots::new(s.count(Category::TransitRouter)),
            routes: Slots::new(s.count(Category::Route)),
            whitelists: Slots::new(s.count(Category::Whitelist)),
            flows: Slots::new(s.count(Category::Flow)),
            more_flows: Vec::new(),
            after: Vec::new(),
        }
    }

    fn finish(self) -> Option<Model> {
        Some(Model {
            accounts: self.accounts.finish()?,
            vpcs: self.vpcs.finish()?,
            vswitches: self.vswitches.finish()?,
            security_groups: self.security_groups.finish()?,
            targets: self.targets.finish()?,
            computes: self.computes.finish()?,
            network_links: self.network_links.finish()?,
            internet_accesses: self.internet_accesses.finish()?,
            nat_gateways: self.nat_gateways.finish()?,
            connections: self.connections.finish()?,
            attachments: self.attachments.finish()?,
            transit_routers: self.transit_routers.finish()?,
            routes: self.routes.finish()?,
            whitelists: self.whitelists.finish()?,
            flows: {
                let mut flows = self.flows.finish()?;
                flows.extend(self.more_flows);
                flows
            },
            after: self.after,
        })
    }
}

/// The symbol a well-formed block declared (not a duplicate, not misplaced, not anonymous).
fn symbol_of(symbols: &Symbols, block: &Block, parent: Option<SymbolId>) -> Option<SymbolId> {
    let label = block.label.as_ref()?;
    // Top-level names are looked up as written (no copy); nested ones by their qualified name.
    let id = match parent {
        Some(p) => symbols.by_name(&format!("{}.{}", symbols.get(p).name, label.node))?,
        None => symbols.by_name(label.node)?,
    };
    let sym = symbols.get(id);
    (sym.span == label.span && !sym.broken && sym.kind.keyword() == block.kind.node).then_some(id)
}

/// Lower every file into the typed model. Returns the model only if every block lowered; the
/// diagnostics are returned either way. Each block is freed once lowered, so the syntax tree
/// and the model are not both held whole.
pub fn lower(files: Vec<ast::File>, symbols: &Symbols) -> (Option<Model>, Vec<Diagnostic>) {
    let mut cx = Cx {
        symbols,
        diags: Vec::new(),
    };
    let mut b = Builder::new(symbols);
    let mut complete = true;
    for file in files {
        if !file.broken.is_empty() {
            complete = false;
        }
        for block in file.blocks {
            let Some(sym) = symbol_of(symbols, &block, None) else {
                complete = false;
                continue;
            };
            if !lower_top(&mut cx, &mut b, &block, sym) {
                complete = false;
            }
            if !after(&mut cx, &mut b, &block, sym) {
                complete = false;
            }
        }
    }
    let model = if complete { b.finish() } else { None };
    (model, cx.diags)
}

fn lower_top(cx: &mut Cx<'_>, b: &mut Builder, block: &Block, sym: SymbolId) -> bool {
    let s = cx.symbols.get(sym);
    let index = s.index;
    match s.kind {
        SymbolKind::Account => network::account(cx, block)
            .map(|v| b.accounts.put(index, v))
            .is_some(),
        SymbolKind::Vpc => network::vpc(cx, b, block, sym),
        SymbolKind::MaxCompute | SymbolKind::ResourceGroup | SymbolKind::Client => {
            compute::compute(cx, block, s.kind)
                .map(|v| b.computes.put(index, v))
                .is_some()
        }
        SymbolKind::NetworkLink => compute::network_link(cx, block)
            .map(|v| b.network_links.put(index, v))
            .is_some(),
        SymbolKind::InternetAccess => compute::internet_access(cx, block)
            .map(|v| b.internet_accesses.put(index, v))
            .is_some(),
        SymbolKind::NatGateway => compute::nat_gateway(cx, block)
            .map(|v| b.nat_gateways.put(index, v))
            .is_some(),
        SymbolKind::Peering | SymbolKind::ExpressConnect | SymbolKind::VpnGateway => {
            joins::connection(cx, block, s.kind)
                .map(|v| b.connections.put(index, v))
                .is_some()
        }
        SymbolKind::Cen => joins::cen(cx, b, block, sym),
        SymbolKind::Route => intent::route(cx, block)
            .map(|v| b.routes.put(index, v))
            .is_some(),
        SymbolKind::Whitelist => intent::whitelist(cx, block)
            .map(|v| b.whitelists.put(index, v))
            .is_some(),
        SymbolKind::Flow => match intent::flow(cx, block, index) {
            Some(mut flows) if !flows.is_empty() => {
                let first = flows.remove(0);
                b.flows.put(index, first);
                b.more_flows.extend(flows);
                true
            }
            _ => false,
        },
        kind if SymbolKind::TARGETS.contains(&kind) => targets::target(cx, block, kind)
            .map(|v| b.targets.put(index, v))
            .is_some(),
        // Nested kinds never reach here: `symbol_of(.., None)` only finds top-level symbols.
        _ => false,
    }
}

/// The vpc (parent symbol) of a nested vswitch or security group symbol.
fn parent_of(cx: &Cx<'_>, sym: SymbolId) -> Option<SymbolId> {
    cx.symbols.get(sym).parent
}

/// Report (and return false) if `member` (a vswitch or security group) is not inside `vpc`.
fn require_in_vpc(
    cx: &mut Cx<'_>,
    member: SymbolId,
    member_span: Span,
    vpc: SymbolId,
    why: &str,
) -> bool {
    if parent_of(cx, member) == Some(vpc) {
        return true;
    }
    let m = cx.symbols.get(member);
    let v = cx.symbols.get(vpc);
    let home = m
        .parent
        .map(|p| cx.symbols.get(p).name.clone())
        .unwrap_or_default();
    let d = Diagnostic::new(
        Code::OUTSIDE_ITS_VPC,
        format!("`{}` belongs to `{home}`, not `{}`", m.name, v.name),
    )
    .primary(
        member_span,
        format!("this {} is in `{home}`", m.kind.keyword()),
    )
    .secondary(v.span, format!("{why} `{}`", v.name))
    .help(format!(
        "name a {} declared inside `{}`",
        m.kind.keyword(),
        v.name
    ));
    cx.report(d);
    false
}

/// Read `after = [...]`: references to any top-level block.
fn after(cx: &mut Cx<'_>, b: &mut Builder, block: &Block, sym: SymbolId) -> bool {
    let Some(attr) = block.attributes().find(|a| a.key.node == "after") else {
        return true;
    };
    let kinds: Vec<SymbolKind> = SymbolKind::ALL
        .iter()
        .copied()
        .filter(|k| k.parent().is_none())
        .collect();
    let Some(list) = cx.list(&attr.value, |cx, v| cx.reference(v, &kinds)) else {
        return false;
    };
    let on = list
        .into_iter()
        .map(|s| {
            let target = cx.symbols.get(s.node);
            crate::source::Spanned::new(
                super::BlockRef {
                    kind: target.kind,
                    index: target.index,
                },
                s.span,
            )
        })
        .collect();
    let me = cx.symbols.get(sym);
    b.after.push(super::After {
        block: super::BlockRef {
            kind: me.kind,
            index: me.index,
        },
        on,
    });
    true
}
