//! # netlink
//!
//! A compiler for Alibaba Cloud data-network connections: `.netlink` files say what exists
//! (accounts, VPCs, vSwitches, security groups, data sources, compute) and what must connect
//! (links, peerings, routes, whitelists, flows); netlink checks every rule the cloud imposes.
//!
//! ## The pipeline
//!
//! ```text
//!   PATH...  ──project::load──▶  SourceMap (files, UTF-8 checked)
//!                                    │
//!                    syntax::parse_file (pest → AST with spans, recovery per block)
//!                                    ▼
//!                               ast::File*
//!                                    │
//!                    resolve::resolve (symbol table; kinds placed; duplicates)
//!                                    ▼
//!                                 Symbols
//!                                    │
//!                    model::lower (schema, references → ids, ipnet, enums)
//!                                    ▼
//!                                  Model
//!                                    │
//!                    net::Network::build (the joins; every flow's path, found once)
//!                                    ▼
//!                                 Network ──check::check──▶ rule diagnostics
//!                                    │
//!                    plan::plan (steps, petgraph, topological order, waves)
//!                                    ▼
//!                                  Plan ──emit──▶ plan.json, console.md, routes.json,
//!                                    │            whitelists.json, security-groups.json, jobs.json
//!                    verify::verify (every flow traced both ways over the planned network)
//!                                    ▼
//!                                 Proofs ──▶ NL5xxx diagnostics, `netlink trace`
//! ```
//!
//! Each stage is one function below and returns every diagnostic it finds; [`compile`] runs
//! them in order. Rule checks run only on a complete model (every block lowered), so a typo
//! is not followed by a cascade of rule errors about what it broke.

pub mod check;
pub mod cli;
mod cli_diff;
mod cli_trace;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod gen;
pub mod limits;
pub mod lsp;
pub mod model;
pub mod names;
pub mod net;
pub mod plan;
pub mod project;
pub mod resolve;
pub mod secrets;
pub mod source;
pub mod style;
pub mod syntax;
pub mod text;
pub mod verify;

use diagnostics::Diagnostic;
use source::SourceMap;

/// Stage 1: parse every file.
pub fn parse(sources: &SourceMap) -> (Vec<syntax::ast::File<'_>>, Vec<Diagnostic>) {
    let mut files = Vec::with_capacity(sources.len());
    let mut diags = Vec::new();
    for (id, file) in sources.iter() {
        if !file.is_netlink() {
            // `netlink.toml`: an empty file keeps `files[id]` lined up with the sources.
            files.push(syntax::ast::File {
                id,
                blocks: Vec::new(),
                broken: Vec::new(),
                unreported: 0,
            });
            continue;
        }
        let (ast, mut d) = syntax::parse_file(id, &file.text);
        files.push(ast);
        diags.append(&mut d);
    }
    (files, diags)
}

/// Stage 2: build the symbol table.
pub fn resolve(files: &[syntax::ast::File]) -> (resolve::Symbols, Vec<Diagnostic>) {
    resolve::resolve(files)
}

/// Stage 3: lower to the typed model (only if every block lowered), consuming the syntax tree.
pub fn lower(
    files: Vec<syntax::ast::File>,
    symbols: &resolve::Symbols,
) -> (Option<model::Model>, Vec<Diagnostic>) {
    model::lower(files, symbols)
}

/// The shared analysis: the joins of the model and every flow's path, built once for the
/// stages after it.
pub fn analyse(model: &model::Model) -> net::Network {
    net::Network::build(model)
}

/// Stage 4: check the cloud's rules.
pub fn check(model: &model::Model, net: &net::Network) -> Vec<Diagnostic> {
    check::check(model, net)
}

/// Stage 5: the plan (fails only on a dependency cycle).
pub fn plan(model: &model::Model, net: &net::Network) -> Result<plan::Plan, Vec<Diagnostic>> {
    plan::plan(model, net)
}

/// Stage 6: prove every flow against the planned network.
pub fn verify(
    model: &model::Model,
    net: &net::Network,
    plan: &plan::Plan,
) -> (Vec<verify::Proof>, Vec<Diagnostic>) {
    verify::verify(model, net, plan)
}

/// The result of compiling a project: the checked model and, when it has no errors, the plan.
#[derive(Debug)]
pub struct Compiled {
    /// The model, when every block lowered.
    pub model: Option<model::Model>,
    /// The plan, when the model exists and nothing is in error.
    pub plan: Option<plan::Plan>,
    /// The proof of every flow, when there is a plan.
    pub proofs: Vec<verify::Proof>,
    /// Every diagnostic shown, sorted by place.
    pub diagnostics: Vec<Diagnostic>,
    /// The diagnostics an allow comment or `netlink.toml` silenced (SARIF reports them as
    /// suppressions; nothing else counts them).
    pub allowed: Vec<diagnostics::Allowed>,
    /// How many top-level blocks were read.
    pub blocks: usize,
    /// How long each stage took, in order.
    pub timings: Vec<Lap>,
}

/// Run every stage over loaded sources, with no `netlink.toml` policy (allow comments still
/// apply).
pub fn compile(sources: &SourceMap) -> Compiled {
    compile_with(sources, &diagnostics::Policy::default())
}

/// Each stage's diagnostics as they are handed over: acknowledged (allow comments and
/// `netlink.toml`), then limited per file.
struct Collector {
    ack: diagnostics::Acknowledger,
    // At most `MAX_PER_FILE` diagnostics per file, dropped as each stage hands them over, so
    // memory stays bounded on a file of a million errors.
    limiter: diagnostics::Limiter,
    diags: Vec<Diagnostic>,
}

impl Collector {
    fn add(&mut self, mut d: Vec<Diagnostic>) {
        self.ack.take(&mut d);
        self.limiter.keep(&mut d);
        self.diags.extend(d);
    }

    fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error) || self.limiter.dropped_errors()
    }
}

/// Run every stage over loaded sources under a `netlink.toml` policy.
pub fn compile_with(sources: &SourceMap, policy: &diagnostics::Policy) -> Compiled {
    let mut clock = Stopwatch::start();
    let (files, diags) = parse(sources);
    let allows = files
        .iter()
        .filter_map(|f| Some(syntax::directives::allows(f, &sources.get(f.id)?.text)))
        .flatten()
        .collect();
    let mut c = Collector {
        ack: diagnostics::Acknowledger::new(policy, allows),
        limiter: diagnostics::Limiter::default(),
        diags: Vec::new(),
    };
    c.add(diags);
    for f in &files {
        c.limiter.count_unbuilt(f.id, f.unreported);
    }
    clock.lap("parse");
    let blocks = files.iter().map(|f| f.blocks.len() + f.broken.len()).sum();
    let (symbols, d) = resolve(&files);
    c.add(d);
    clock.lap("resolve");
    let (model, d) = lower(files, &symbols);
    c.add(d);
    drop(symbols);
    clock.lap("lower");
    let network = model.as_ref().map(analyse);
    if let (Some(m), Some(n)) = (&model, &network) {
        clock.lap("analyse");
        c.add(check(m, n));
        clock.lap("check");
    }
    // Plan only a project without errors: derivation assumes the rules hold.
    let mut planned = None;
    let mut proofs = Vec::new();
    if let (Some(m), Some(n), false) = (&model, &network, c.failed()) {
        match plan(m, n) {
            Ok(p) => {
                clock.lap("plan");
                let (pr, d) = verify(m, n, &p);
                clock.lap("verify");
                proofs = pr;
                c.add(d);
                planned = Some(p);
            }
            Err(cycle) => c.add(cycle),
        }
    }
    let Collector {
        ack,
        mut limiter,
        mut diags,
    } = c;
    let (mut own, allowed) = ack.finish(planned.is_some());
    limiter.keep(&mut own);
    diags.append(&mut own);
    diags.append(&mut limiter.summaries(sources));
    diagnostics::sort(&mut diags);
    Compiled {
        model,
        plan: planned,
        proofs,
        diagnostics: diags,
        allowed,
        blocks,
        timings: clock.laps,
    }
}

/// One stage's time for `--timings`, with the process's peak memory when it ended. Never part of
/// any artifact: both differ run to run.
#[derive(Clone, Copy, Debug)]
pub struct Lap {
    /// The stage (`parse`, `plan`, ...).
    pub stage: &'static str,
    /// How long it took.
    pub took: std::time::Duration,
    /// Peak resident memory of the process so far, in bytes (Linux only).
    pub peak_bytes: Option<u64>,
}

impl Lap {
    /// A lap ending now.
    pub fn new(stage: &'static str, took: std::time::Duration) -> Lap {
        Lap {
            stage,
            took,
            peak_bytes: peak_rss(),
        }
    }
}

/// The process's peak resident set size so far (`VmHWM` in `/proc/self/status`; Linux only).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Stage timings for `--timings`.
struct Stopwatch {
    at: std::time::Instant,
    laps: Vec<Lap>,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        Stopwatch {
            at: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push(Lap::new(stage, now - self.at));
        self.at = now;
    }
}
