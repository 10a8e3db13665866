//! Stage 2, `resolve`: declarations → a symbol table; references → symbol ids (with did-you-mean).
//!
//! [`resolve`] walks every block once, checks that each kind exists and stands where it may,
//! and records every named declaration under its qualified name (`vpc`, `vpc.vswitch`,
//! `cen.attach`). [`Symbols::lookup`] then answers the model stage's reference questions.

mod kinds;
mod suggest;

pub use kinds::{describe_kinds, Category, SymbolKind};
pub use suggest::{did_you_mean, help_line, Index};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::{self, Block, Ident, Path};
// FxHash: fast, and deterministic (no random seed), so no order can differ between runs.
use rustc_hash::FxHashMap as HashMap;

/// Index of a symbol in [`Symbols`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SymbolId(pub u32);

/// One named declaration.
#[derive(Clone, Debug)]
pub struct Symbol {
    /// What it declares.
    pub kind: SymbolKind,
    /// Qualified name: `hz_vpc`, `hz_vpc.hz_h`.
    pub name: String,
    /// The name as written in the declaration.
    pub span: Span,
    /// The enclosing declaration (the VPC of a vSwitch).
    pub parent: Option<SymbolId>,
    /// Index within its [`Category`] (the model's vector index); only for well-formed blocks.
    pub index: u32,
    /// Declared by a block that did not parse: references to it resolve to nothing, silently.
    pub broken: bool,
}

/// The project's symbol table.
#[derive(Debug, Default)]
pub struct Symbols {
    symbols: Vec<Symbol>,
    by_name: HashMap<String, SymbolId>,
    /// Nested declarations by their short name, for "it lives in another VPC" hints.
    nested_by_short: HashMap<String, Vec<SymbolId>>,
    counts: HashMap<Category, u32>,
    /// "Did you mean" indexes, one per set of kinds asked for (a bit per kind), built on first
    /// use: unknown names are rare, but when 100,000 names are declared, one comparison with
    /// each per unknown name would be quadratic.
    suggestions: std::sync::Mutex<HashMap<u64, std::sync::Arc<Index>>>,
    /// Each declaration's nested declarations, built on first use (suggestions for `vpc.typo`).
    children: std::sync::OnceLock<HashMap<SymbolId, Vec<SymbolId>>>,
}

/// Why a reference did not resolve.
#[derive(Debug)]
pub enum LookupError {
    /// A diagnostic for the user.
    Reported(Box<Diagnostic>),
    /// It names a broken declaration whose syntax error was already reported.
    Silent,
}

impl Symbols {
    /// The symbol behind an id.
    pub fn get(&self, id: SymbolId) -> &Symbol {
        // Invariant: ids are only handed out by this table.
        &self.symbols[id.0 as usize]
    }

    /// A symbol by qualified name.
    pub fn by_name(&self, name: &str) -> Option<SymbolId> {
        self.by_name.get(name).copied()
    }

    /// How many well-formed declarations of a category exist.
    pub fn count(&self, category: Category) -> u32 {
        self.counts.get(&category).copied().unwrap_or(0)
    }

    /// All symbols in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (SymbolId, &Symbol)> {
        self.symbols
            .iter()
            .enumerate()
            .map(|(i, s)| (SymbolId(i as u32), s))
    }

    fn declare(
        &mut self,
        kind: SymbolKind,
        short: &Ident,
        parent: Option<SymbolId>,
        broken: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<SymbolId> {
        let name = match parent {
            Some(p) => format!("{}.{}", self.get(p).name, short.node),
            None => short.node.to_string(),
        };
        if let Some(&first) = self.by_name.get(&name) {
            let prev = self.get(first);
            if !(prev.broken || broken) {
                diags.push(
                    Diagnostic::new(Code::DUPLICATE_NAME, format!("`{name}` is declared twice"))
                        .primary(short.span, format!("second declaration of `{name}`"))
                        .secondary(
                            prev.span,
                            format!(
                                "`{name}` first declared here as {}",
                                describe_kinds(&[prev.kind])
                            ),
                        )
                        .help("names are global across the project's files; rename one of them"),
                );
            }
            return None;
        }
        let index = if broken {
            0
        } else {
            let c = self.counts.entry(kind.category()).or_insert(0);
            *c += 1;
            *c - 1
        };
        let id = SymbolId(self.symbols.len() as u32);
        self.symbols.push(Symbol {
            kind,
            name: name.clone(),
            span: short.span,
            parent,
            index,
            broken,
        });
        self.by_name.insert(name, id);
        if parent.is_some() {
            self.nested_by_short
                .entry(short.node.to_string())
                .or_default()
                .push(id);
        }
        Some(id)
    }

    /// Resolve `path` to a declaration of one of `expected` kinds.
    pub fn lookup(&self, path: &Path, expected: &[SymbolKind]) -> Result<SymbolId, LookupError> {
        let (span, text) = (path.span, path.text);
        if path.segment_count() > 2 {
            return Err(reported(
                Diagnostic::new(Code::UNKNOWN_REFERENCE, format!("`{text}` has too many parts"))
                    .primary(span, "references are `name` or `parent.name`")
                    .help("refer to a top-level block by its name, or to a vswitch or security group as `vpc.name`"),
            ));
        }
        let id = match self.by_name.get(text) {
            Some(&id) => id,
            None => return Err(self.not_found(path, text, span, expected)),
        };
        let sym = self.get(id);
        if sym.broken {
            return Err(LookupError::Silent);
        }
        if !expected.contains(&sym.kind) {
            return Err(reported(
                Diagnostic::new(
                    Code::WRONG_KIND,
                    format!(
                        "`{text}` is {}, not {}",
                        describe_kinds(&[sym.kind]),
                        describe_kinds(expected)
                    ),
                )
                .primary(span, format!("expected {}", describe_kinds(expected)))
                .secondary(sym.span, format!("`{text}` is declared here"))
                .help(self.kind_help(text, expected)),
            ));
        }
        Ok(id)
    }

    fn kind_help(&self, text: &str, expected: &[SymbolKind]) -> String {
        // A vpc given where a vswitch is wanted: list that VPC's vSwitches.
        if expected.contains(&SymbolKind::VSwitch) || expected.contains(&SymbolKind::SecurityGroup)
        {
            let want = if expected.contains(&SymbolKind::VSwitch) {
                SymbolKind::VSwitch
            } else {
                SymbolKind::SecurityGroup
            };
            let mut children: Vec<&str> = self
                .symbols
                .iter()
                .filter(|s| s.kind == want && s.name.starts_with(&format!("{text}.")))
                .map(|s| s.name.as_str())
                .collect();
            children.sort_unstable();
            if let Some(first) = children.first() {
                return format!("name one of its {}es: `{first}`", want.keyword());
            }
        }
        format!("name {} here", describe_kinds(expected))
    }

    fn not_found(
        &self,
        path: &Path,
        text: &str,
        span: Span,
        expected: &[SymbolKind],
    ) -> LookupError {
        let path: Vec<Ident> = path.segments().collect();
        if path.len() == 1 {
            // A nested name used bare: `vswitch = hz_h` for `hz_vpc.hz_h`.
            if let Some(ids) = self.nested_by_short.get(text) {
                let mut homes: Vec<&Symbol> = ids
                    .iter()
                    .map(|&i| self.get(i))
                    .filter(|s| expected.contains(&s.kind))
                    .collect();
                homes.sort_by(|a, b| a.name.cmp(&b.name));
                if let Some(home) = homes.first() {
                    return reported(
                        Diagnostic::new(
                            Code::OUTSIDE_ITS_VPC,
                            format!(
                                "`{text}` is declared inside `{}`, so it needs its qualified name",
                                parent_name(&home.name)
                            ),
                        )
                        .primary(span, "a nested name is not visible here")
                        .secondary(home.span, "declared here")
                        .help(format!("write `{}`", home.name)),
                    );
                }
            }
        } else {
            let parent = &path[0];
            match self.by_name.get(parent.node) {
                None => {
                    let cand = self.suggest(parent.node, &[SymbolKind::Vpc, SymbolKind::Cen]);
                    return reported(
                        Diagnostic::new(
                            Code::UNKNOWN_REFERENCE,
                            format!("unknown name `{}`", parent.node),
                        )
                        .primary(parent.span, "not declared anywhere in the project")
                        .help(help_line(
                            cand,
                            format!("declare `{}` or fix the name", parent.node),
                        ))
                        .suggest_name(parent.span, cand),
                    );
                }
                Some(&pid) if self.get(pid).broken => return LookupError::Silent,
                Some(&pid) => {
                    let child = path[1].node;
                    if let Some(ids) = self.nested_by_short.get(child) {
                        let mut others: Vec<&Symbol> = ids
                            .iter()
                            .map(|&i| self.get(i))
                            .filter(|s| expected.contains(&s.kind))
                            .collect();
                        others.sort_by(|a, b| a.name.cmp(&b.name));
                        if let Some(other) = others.first() {
                            return reported(
                                Diagnostic::new(
                                    Code::OUTSIDE_ITS_VPC,
                                    format!(
                                        "`{}` has no `{child}`; `{}` belongs to `{}`",
                                        parent.node,
                                        other.name,
                                        parent_name(&other.name)
                                    ),
                                )
                                .primary(span, format!("not inside `{}`", parent.node))
                                .secondary(other.span, "declared here")
                                .help(format!(
                                    "write `{}`, or declare `{child}` inside `{}`",
                                    other.name, parent.node
                                )),
                            );
                        }
                    }
                    let children = self.children.get_or_init(|| {
                        let mut map: HashMap<SymbolId, Vec<SymbolId>> = HashMap::default();
                        for (i, s) in self.symbols.iter().enumerate() {
                            if let Some(p) = s.parent {
                                map.entry(p).or_default().push(SymbolId(i as u32));
                            }
                        }
                        map
                    });
                    let siblings = children
                        .get(&pid)
                        .into_iter()
                        .flatten()
                        .map(|&i| self.get(i))
                        .filter(|s| expected.contains(&s.kind))
                        .map(|s| s.name.as_str());
                    let cand = did_you_mean(text, siblings);
                    return reported(
                        Diagnostic::new(Code::UNKNOWN_REFERENCE, format!("unknown name `{text}`"))
                            .primary(
                                path[1].span,
                                format!("`{}` declares nothing called `{child}`", parent.node),
                            )
                            .help(help_line(
                                cand,
                                format!("declare `{child}` inside `{}`", parent.node),
                            ))
                            // The span is the child's segment: only its part of the name.
                            .suggest_name(
                                path[1].span,
                                cand.map(|c| c.rsplit('.').next().unwrap_or(c)),
                            ),
                    );
                }
            }
        }
        let cand = self.suggest(text, expected);
        reported(
            Diagnostic::new(Code::UNKNOWN_REFERENCE, format!("unknown name `{text}`"))
                .primary(
                    span,
                    format!(
                        "expected {}; none is called `{text}`",
                        describe_kinds(expected)
                    ),
                )
                .help(help_line(
                    cand,
                    format!(
                        "declare {} named `{text}`, or fix the name",
                        describe_kinds(expected)
                    ),
                ))
                .suggest_name(span, cand),
        )
    }

    fn suggest(&self, text: &str, expected: &[SymbolKind]) -> Option<&str> {
        let key = expected
            .iter()
            .fold(0u64, |k, kind| k | 1u64 << (*kind as u32 % 64));
        let index = {
            // A poisoned lock only means another lookup panicked; the map is still whole.
            let mut cache = self
                .suggestions
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            cache
                .entry(key)
                .or_insert_with(|| {
                    std::sync::Arc::new(Index::new(
                        self.symbols
                            .iter()
                            .filter(|s| !s.broken && expected.contains(&s.kind))
                            .map(|s| s.name.as_str()),
                    ))
                })
                .clone()
        };
        // The index owns copies of the names; answer with the table's own.
        let best = index.best(text)?;
        self.by_name
            .get_key_value(best)
            .map(|(name, _)| name.as_str())
    }
}

fn parent_name(qualified: &str) -> &str {
    qualified.split('.').next().unwrap_or(qualified)
}

fn reported(d: Diagnostic) -> LookupError {
    LookupError::Reported(Box::new(d))
}

/// Build the symbol table from every file; report unknown, misplaced and duplicate declarations.
pub fn resolve(files: &[ast::File]) -> (Symbols, Vec<Diagnostic>) {
    let mut symbols = Symbols::default();
    // Sized once: growing a table of a million names rehashes and copies it again and again.
    let declared: usize = files
        .iter()
        .map(|f| f.broken.len() + f.blocks.iter().map(count_blocks).sum::<usize>())
        .sum();
    symbols.symbols.reserve(declared);
    symbols.by_name.reserve(declared);
    let mut diags = Vec::new();
    for file in files {
        for block in &file.blocks {
            declare_block(&mut symbols, block, None, &mut diags);
        }
        for broken in &file.broken {
            if let (Some(kind), Some(label)) =
                (SymbolKind::from_keyword(broken.kind.node), &broken.label)
            {
                if kind.parent().is_none() {
                    symbols.declare(kind, label, None, true, &mut diags);
                }
            }
        }
    }
    (symbols, diags)
}

/// A block and the blocks inside it.
fn count_blocks(block: &Block) -> usize {
    1 + block.blocks().map(count_blocks).sum::<usize>()
}

/// Is a block of this keyword known and allowed under `parent` (None: top level)? Reports if not.
/// `rule` blocks (inside a security group) are anonymous and not symbols.
pub fn check_placement(
    block: &Block,
    parent: Option<SymbolKind>,
    diags: &mut Vec<Diagnostic>,
) -> Option<SymbolKind> {
    let word = block.kind.node;
    if word == "rule" {
        if parent != Some(SymbolKind::SecurityGroup) {
            diags.push(misplaced(
                block,
                parent,
                "a `rule` goes inside a `security_group` block",
            ));
        }
        return None;
    }
    let Some(kind) = SymbolKind::from_keyword(word) else {
        let mut words: Vec<&str> = SymbolKind::ALL.iter().map(|k| k.keyword()).collect();
        words.push("rule");
        let cand = did_you_mean(word, words.iter().copied());
        diags.push(
            Diagnostic::new(Code::UNKNOWN_BLOCK, format!("unknown block kind `{word}`"))
                .primary(block.kind.span, "netlink has no block of this kind")
                .help(help_line(cand, "see docs/language.md for the block kinds")),
        );
        return None;
    };
    if kind.parent() != parent {
        let help = match kind.parent() {
            Some(p) => format!(
                "a `{}` goes inside a `{}` block",
                kind.keyword(),
                p.keyword()
            ),
            None => format!(
                "a `{}` block goes at the top level of a file",
                kind.keyword()
            ),
        };
        diags.push(misplaced(block, parent, &help));
        return None;
    }
    Some(kind)
}

fn misplaced(block: &Block, parent: Option<SymbolKind>, help: &str) -> Diagnostic {
    let here = match parent {
        Some(p) => format!("inside a `{}` block", p.keyword()),
        None => "at the top level".to_string(),
    };
    Diagnostic::new(
        Code::MISPLACED_BLOCK,
        format!("a `{}` block cannot stand {here}", block.kind.node),
    )
    .primary(block.kind.span, format!("not allowed {here}"))
    .help(help.to_string())
}

fn declare_block(
    symbols: &mut Symbols,
    block: &Block,
    parent: Option<(SymbolKind, SymbolId)>,
    diags: &mut Vec<Diagnostic>,
) {
    if block.kind.node == "rule" && parent.map(|p| p.0) == Some(SymbolKind::SecurityGroup) {
        for inner in block.blocks() {
            diags.push(
                Diagnostic::new(Code::MISPLACED_BLOCK, format!("a `{}` block cannot stand inside a `rule` block", inner.kind.node))
                    .primary(inner.kind.span, "not allowed inside a `rule`")
                    .help("a `rule` holds attributes only: direction, protocol, ports, cidr or group, priority, action"),
            );
        }
        return;
    }
    let Some(kind) = check_placement(block, parent.map(|p| p.0), diags) else {
        return;
    };
    let Some(label) = &block.label else {
        diags.push(
            Diagnostic::new(
                Code::BLOCK_NAME,
                format!("this `{}` block has no name", kind.keyword()),
            )
            .primary(block.kind.span, "a name must follow the kind")
            .help(format!(
                "write `{} some_name {{ ... }}`; names are how other blocks refer to it",
                kind.keyword()
            )),
        );
        return;
    };
    let id = symbols.declare(kind, label, parent.map(|p| p.1), false, diags);
    for inner in block.blocks() {
        match id {
            Some(id) => declare_block(symbols, inner, Some((kind, id)), diags),
            // A duplicate: still check the nesting, but declare nothing under it.
            None => {
                check_placement(inner, Some(kind), diags);
            }
        }
    }
}
