//! The command line: argument definitions and what each command does. `main.rs` only calls
//! [`run`].

use crate::diagnostics::{self, Code, Counts, RenderOptions, Severity};
use crate::project;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// netlink: a compiler for Alibaba Cloud data-network connections.
#[derive(Debug, Parser)]
#[command(name = "netlink", version, about, long_about = None)]
pub struct Cli {
    /// When to use colour: `auto` colours a terminal unless `NO_COLOR` is set or `TERM=dumb`
    /// (`CLICOLOR_FORCE` forces it).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ErrorFormat {
    /// For people: source excerpts, labels, help.
    Human,
    /// For programs: one JSON object per line.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub annotates the lines in the pull request).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`): annotations without code
    /// scanning.
    Github,
}

/// How `plan` prints.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PlanFormat {
    /// Grouped by account, `+` per step, for a terminal.
    Text,
    /// A pull-request comment.
    Markdown,
    /// `plan.json`, as `netlink build` writes it.
    Json,
}

/// How `diff` prints.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// For a terminal.
    Text,
    /// A pull-request comment.
    Markdown,
    /// For programs.
    Json,
}

/// How `graph` prints.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GraphFormat {
    /// Graphviz dot.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// How `trace` prints.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TraceFormat {
    /// Hop by hop, for a terminal.
    Text,
    /// One JSON document.
    Json,
}

/// When to colour output (`--color`, on every command).
pub use crate::style::ColorWhen as Color;

/// How diagnostics are reported (shared by `check`, `build` and `plan`).
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
    /// The global `--color`, filled in by [`run`].
    #[arg(skip)]
    color: Color,
    /// Print how long each stage took (to stderr).
    #[arg(long)]
    timings: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a project: parse, resolve names, validate every rule. Exit 0 clean, 1 errors, 2 usage or I/O.
    Check {
        /// `.netlink` files or directories (every `.netlink` file below them, hidden and
        /// git-ignored paths skipped); the current directory when none is given.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Check, plan and write the artifacts (plan.json, console.md, routes.json, whitelists.json,
    /// security-groups.json, jobs.json) to `--out`, atomically.
    Build {
        /// `.netlink` files or directories; the current directory when none is given.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// The directory to write (replaced as a whole, only once every file is written).
        #[arg(long, short)]
        out: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Show the plan in the terminal: steps per account in execution order, manual steps called out.
    Plan {
        /// `.netlink` files or directories; the current directory when none is given.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Text for a terminal, Markdown for a pull-request comment (always under 50,000
        /// characters), or JSON (`plan.json`). Diagnostics go to stderr in every format.
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Trace a flow hop by hop, forward and back, over the network the plan leaves. Exit 0 when it
    /// is proven both ways, 1 when not (or the project has errors), 2 on usage problems.
    Trace {
        /// `.netlink` files or directories, then the flow's name (unless `--from`/`--to` are given).
        #[arg(required = true)]
        args: Vec<String>,
        /// Trace from this compute (with `--to`) instead of a declared flow.
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// ... to this target, `name` or `name:port`.
        #[arg(long, requires = "from")]
        to: Option<String>,
        /// Text for people, JSON for programs.
        #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
        format: TraceFormat,
    },
    /// Run the language server on stdin and stdout (for editors: diagnostics as you type,
    /// formatting; see docs/editors.md).
    Lsp,
    /// Format `.netlink` files in the one canonical layout (comments kept). `--check` exits 1 and
    /// names the files that would change; `--diff` shows a unified diff instead of writing.
    Fmt {
        /// `.netlink` files or directories (the current directory when none is given); `-` reads
        /// standard input and writes the formatted text to standard output.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Write nothing; exit 1 if any file would change.
        #[arg(long)]
        check: bool,
        /// Write nothing; print a unified diff of the changes.
        #[arg(long)]
        diff: bool,
    },
    /// Draw the plan's step graph (clusters per account, waves, manual steps in orange) as Graphviz
    /// dot; with `--topology`, the network instead. A plan with a cycle is drawn as its `after`
    /// graph with the cycle in red.
    Graph {
        /// `.netlink` files or directories; the current directory when none is given.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Graphviz dot, or a Mermaid flowchart (GitHub renders it in a comment).
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
        /// Draw accounts, regions, VPCs, vSwitches, computes, data sources and what joins them.
        #[arg(long)]
        topology: bool,
        /// Only this block, flow or step id and what touches it (its neighbourhood).
        #[arg(long, value_name = "NAME")]
        focus: Option<String>,
    },
    /// What changes between two projects' plans and artifacts: `+` / `-` / `~` for steps, flows,
    /// route entries, whitelist entries, security-group rules and job settings. Exit 0 no
    /// change, 1 errors, 2 usage, 3 changes; with `--detailed-exitcode`, as `terraform plan
    /// -detailed-exitcode`: 0 no change, 1 any error, 2 changes.
    Diff {
        /// OLD and NEW (files or directories); with `--base`, the project's paths (the current
        /// directory when none is given).
        paths: Vec<PathBuf>,
        /// Exit 0 no change, 1 error of any kind, 2 changes (`terraform plan -detailed-exitcode`).
        #[arg(long)]
        detailed_exitcode: bool,
        /// Compare the working tree's project with the same paths at this git revision.
        #[arg(long)]
        base: Option<String>,
        /// Text, Markdown (a PR comment) or JSON.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Write a valid generated project of N VPCs to stdout (for benchmarks and scale tests).
    #[command(hide = true)]
    Gen {
        /// How many VPCs.
        n: usize,
        /// Vary the project (regions, accounts, zones, ports, block order); 0 is the fixed layout.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Write files of at most 5 MiB into this directory instead of one stream to stdout.
        #[arg(long)]
        split: Option<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, ...) to stdout.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
    /// Print the documentation of a diagnostic code, e.g. `netlink explain NL2002`.
    Explain {
        /// The code.
        code: String,
    },
}

/// The diagnostics reference, compiled in so `explain` works anywhere.
const DIAGNOSTICS_MD: &str = include_str!("../docs/diagnostics.md");

/// The section of `docs/diagnostics.md` for a code: from its `## NLxxxx` heading to the next.
pub fn explanation(code: Code) -> Option<String> {
    let heading = format!("## {}", code.as_str());
    let mut out = String::new();
    let mut inside = false;
    let mut fenced = false;
    for line in DIAGNOSTICS_MD.lines() {
        if !inside {
            if line.starts_with(&heading) && line[heading.len()..].starts_with(' ') {
                inside = true;
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        if line.starts_with("```") {
            fenced = !fenced;
        }
        // The section ends at the next code (`## `) or range (`# `) heading, outside code.
        if !fenced && (line.starts_with("## ") || line.starts_with("# ")) {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    inside.then(|| out.trim_end().to_string() + "\n")
}

/// Print a project's errors (for commands that need an error-free project) and say so.
pub(crate) fn print_errors(
    project: &project::Project,
    compiled: &[crate::diagnostics::Diagnostic],
    which: &str,
) {
    for d in project
        .diagnostics
        .iter()
        .chain(compiled)
        .filter(|d| d.is_error())
    {
        eprintln!(
            "{}",
            diagnostics::render_human(d, &project.sources, RenderOptions::default())
        );
    }
    eprintln!("error: {which} has errors; `netlink check` shows them all");
}

/// Write a command's document to stdout. A closed pipe (`netlink ... | head`) ends quietly;
/// any other failure (`> /dev/full`) is said on stderr and returns `false`: the command then
/// exits 2, so a truncated document never looks like a success.
pub(crate) fn out(text: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            false
        }
    }
}

/// `code`, or 2 when the document could not be written.
pub(crate) fn out_then(text: &str, code: i32) -> i32 {
    if out(text) {
        code
    } else {
        2
    }
}

/// Run the command line; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    let color = cli.color;
    match cli.command {
        Command::Check {
            paths,
            report: mut r,
        } => {
            r.color = color;
            report(&paths, &r, Then::Nothing)
        }
        Command::Build {
            paths,
            out,
            report: mut r,
        } => {
            r.color = color;
            report(&paths, &r, Then::Build(out))
        }
        Command::Plan {
            paths,
            format,
            report: mut r,
        } => {
            r.color = color;
            report(&paths, &r, Then::Show(format))
        }
        Command::Trace {
            args,
            from,
            to,
            format,
        } => crate::cli_trace::run(args, from, to, format, color),
        Command::Fmt { paths, check, diff } => crate::format::run(&paths, check, diff, color),
        Command::Lsp => crate::lsp::run(),
        Command::Graph {
            paths,
            format,
            topology,
            focus,
        } => graph(&paths, format, topology, focus.as_deref()),
        Command::Diff {
            paths,
            base,
            format,
            detailed_exitcode,
        } => {
            let code = crate::cli_diff::run(paths, base, format, color);
            if detailed_exitcode {
                match code {
                    0 => 0,
                    3 => 2,
                    _ => 1,
                }
            } else {
                code
            }
        }
        Command::Gen {
            n,
            seed,
            split: None,
        } => out_then(&crate::gen::project_seeded(n, seed), 0),
        Command::Gen {
            n,
            seed,
            split: Some(dir),
        } => match crate::gen::write_split(n, seed, &dir) {
            Ok(files) => {
                eprintln!("wrote {files} files to `{}`", dir.display());
                0
            }
            Err(e) => {
                eprintln!("error: {e}");
                2
            }
        },
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            // Into a buffer first: clap_complete panics on a closed pipe.
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "netlink", &mut buf);
            out_then(&String::from_utf8_lossy(&buf), 0)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut buf) {
                Ok(()) => out_then(&String::from_utf8_lossy(&buf), 0),
                Err(e) => {
                    eprintln!("error: {e}");
                    2
                }
            }
        }
        Command::Explain { code } => explain(&code),
    }
}

fn graph(paths: &[PathBuf], format: GraphFormat, topology: bool, focus: Option<&str>) -> i32 {
    let project = match project::load(paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let compiled = crate::compile_with(&project.sources, &project.policy);
    // A file that could not be read or parsed is not in the picture: never draw without it.
    let unreadable = project
        .diagnostics
        .iter()
        .chain(&compiled.diagnostics)
        .any(|d| d.is_error() && d.code.as_str().starts_with("NL0"));
    let picture = match (&compiled.model, &compiled.plan, topology) {
        _ if unreadable => None,
        (Some(m), _, true) => Some(crate::emit::topology_picture(m)),
        (Some(m), Some(plan), false) => Some(crate::emit::steps_picture(m, plan)),
        (Some(m), None, false)
            if compiled
                .diagnostics
                .iter()
                .any(|d| d.code == Code::PLAN_CYCLE) =>
        {
            Some(crate::emit::after_picture(m))
        }
        _ => None,
    };
    let Some(mut picture) = picture else {
        print_errors(&project, &compiled.diagnostics, "the project");
        return 1;
    };
    if let Some(name) = focus {
        match picture.focus(name) {
            Some(p) => picture = p,
            None => {
                eprintln!(
                    "error: nothing in the graph is called `{}`",
                    crate::text::term(name)
                );
                return 2;
            }
        }
    }
    let (directed, rankdir) = if topology {
        (false, "LR")
    } else {
        (true, "LR")
    };
    let text = match format {
        GraphFormat::Dot => picture.dot(directed, rankdir),
        GraphFormat::Mermaid => picture.mermaid(rankdir),
    };
    out_then(&text, 0)
}

fn explain(code: &str) -> i32 {
    let Some(c) = Code::parse(code) else {
        eprintln!("error: `{code}` is not a netlink diagnostic code (they look like `NL2002`)");
        return 2;
    };
    match explanation(c) {
        Some(text) => out_then(&text, 0),
        None => {
            let info = c.info();
            out_then(&format!("## {} {}\n\n{}\n", c, info.name, info.summary), 0)
        }
    }
}

/// What to do once the project checks.
enum Then {
    Nothing,
    Show(PlanFormat),
    Build(PathBuf),
}

/// Load, compile, print diagnostics; then plan and show or write. Returns the exit status.
fn report(paths: &[PathBuf], diag: &ReportArgs, then: Then) -> i32 {
    let started = std::time::Instant::now();
    let mut project = match project::load(paths) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let mut laps = vec![crate::Lap::new("load", started.elapsed())];
    let mut compiled = crate::compile_with(&project.sources, &project.policy);
    laps.extend(compiled.timings.iter().copied());
    let mut diags = std::mem::take(&mut project.diagnostics);
    diags.append(&mut compiled.diagnostics);
    diagnostics::sort(&mut diags);
    // The proofs have given their diagnostics; only the Markdown plan and the artifacts
    // (`plan.json`'s flows) show them. Free them otherwise (large projects hold thousands).
    if matches!(then, Then::Nothing | Then::Show(PlanFormat::Text)) {
        compiled.proofs = Vec::new();
    }
    let code = finish(&project, &compiled, &diags, diag, then, &mut laps);
    if diag.timings {
        eprintln!("{}", timings_line(&laps, started.elapsed()));
    }
    code
}

/// `timings: load 9.1 ms (peak 12 MiB), parse 190.3 ms (peak 71 MiB), ...; total 702.5 ms`.
fn timings_line(laps: &[crate::Lap], total: std::time::Duration) -> String {
    let mut line = String::from("timings:");
    for (n, lap) in laps.iter().enumerate() {
        let sep = if n == 0 { " " } else { ", " };
        line.push_str(&format!(
            "{sep}{} {:.1} ms",
            lap.stage,
            lap.took.as_secs_f64() * 1e3
        ));
        if let Some(bytes) = lap.peak_bytes {
            line.push_str(&format!(" (peak {} MiB)", bytes / (1024 * 1024)));
        }
    }
    line.push_str(&format!("; total {:.1} ms", total.as_secs_f64() * 1e3));
    line
}

/// Print the diagnostics and do `then`. The artifacts are written on a second thread while the
/// diagnostics are rendered (on a large project both take a while). Adds `render` and `emit` to
/// `laps`.
fn finish(
    project: &project::Project,
    compiled: &crate::Compiled,
    diags: &[diagnostics::Diagnostic],
    diag: &ReportArgs,
    then: Then,
    laps: &mut Vec<crate::Lap>,
) -> i32 {
    let counts = Counts::of(diags);
    let failed = counts.errors > 0
        || (diag.deny_warnings && diags.iter().any(|d| d.severity == Severity::Warning));
    let planned = match (&compiled.model, &compiled.plan) {
        (Some(model), Some(plan)) if !failed => Some((model, plan)),
        _ => None,
    };
    let build = match (&then, planned) {
        (Then::Build(dir), Some((model, plan))) => Some((dir, model, plan)),
        _ => None,
    };
    let proofs = compiled.proofs.as_slice();
    let (written, rendered, printed) = std::thread::scope(|scope| {
        let writer = build.map(|(dir, model, plan)| {
            scope.spawn(move || {
                let at = std::time::Instant::now();
                // The export is small beside the plan: built whole, then written with the rest.
                let export = crate::emit::terraform_files(model, plan);
                let mut names: Vec<&str> = crate::emit::ARTIFACTS.to_vec();
                names.extend(export.iter().map(|(n, _)| n.as_str()));
                let result = crate::emit::write_each(dir, &names, |name, w| {
                    match export.iter().find(|(n, _)| n == name) {
                        Some((_, text)) => w.write_all(text.as_bytes()),
                        None => crate::emit::write_artifact(
                            name,
                            model,
                            plan,
                            proofs,
                            &project.sources,
                            w,
                        ),
                    }
                });
                (result, at.elapsed(), export.len())
            })
        });
        let at = std::time::Instant::now();
        // `check`'s document is its diagnostics; every other command prints its own document
        // to stdout, so the diagnostics go to stderr in any format.
        let document = matches!(then, Then::Nothing);
        let printed = print_diagnostics(
            project,
            diags,
            &compiled.allowed,
            diag,
            compiled.blocks,
            document,
        );
        let rendered = at.elapsed();
        // The writer returns its result; only a bug could make it panic.
        let written = writer.map(|h| {
            h.join().unwrap_or_else(|_| {
                let failed = crate::emit::WriteError::Io {
                    path: String::new(),
                    reason: "the artifact writer stopped unexpectedly".to_string(),
                };
                (Err(failed), std::time::Duration::ZERO, 0)
            })
        });
        (written, rendered, printed)
    });
    laps.push(crate::Lap::new("render", rendered));
    if !printed {
        return 2;
    }
    if failed {
        return 1;
    }
    let Some((model, plan)) = planned else {
        return 0;
    };
    let mut err = std::io::stderr().lock();
    match then {
        Then::Nothing => 0,
        Then::Show(PlanFormat::Text) => {
            let on = crate::style::enabled(diag.color, crate::style::Stream::Stdout);
            let text = crate::style::paint_listing(&crate::emit::plan_text(model, plan), on);
            out_then(&text, 0)
        }
        Then::Show(PlanFormat::Json) => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let written = crate::emit::write_artifact(
                "plan.json",
                model,
                plan,
                &compiled.proofs,
                &project.sources,
                &mut w,
            )
            .and_then(|()| w.flush());
            match written {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot write the plan: {e}");
                    2
                }
            }
        }
        Then::Show(PlanFormat::Markdown) => out_then(
            &crate::emit::plan_markdown(model, plan, &compiled.proofs),
            0,
        ),
        Then::Build(dir) => {
            let Some((result, took, exported)) = written else {
                return 0;
            };
            laps.push(crate::Lap::new("emit", took));
            match result {
                Ok(()) => {
                    let _ = writeln!(
                        err,
                        "wrote {} artifacts and the Terraform export ({exported} files in `{}/`) to `{}`",
                        crate::emit::ARTIFACTS.len(),
                        crate::emit::TERRAFORM_DIR,
                        crate::text::term(&dir.display().to_string())
                    );
                    let _ = writeln!(err, "{}", crate::emit::summary(model, plan));
                    0
                }
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    2
                }
            }
        }
    }
}

/// Every diagnostic in the chosen format, then (human format) the summary line.
fn print_diagnostics(
    project: &project::Project,
    diags: &[diagnostics::Diagnostic],
    allowed: &[diagnostics::Allowed],
    diag: &ReportArgs,
    blocks: usize,
    document: bool,
) -> bool {
    let stderr = std::io::stderr();
    let opts = RenderOptions {
        color: crate::style::enabled(diag.color, crate::style::Stream::Stderr),
        width: crate::style::width(crate::style::Stream::Stderr),
    };
    let mut err = stderr.lock();
    let mut out: Box<dyn Write> = if document {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::io::stderr())
    };
    // The first failed write of the document (`> /dev/full`): the command then exits 2, so a
    // truncated report never looks like a success. A closed pipe ends quietly.
    let mut failed: Option<std::io::Error> = None;
    let mut note = |r: std::io::Result<()>| {
        if let Err(e) = r {
            if e.kind() != std::io::ErrorKind::BrokenPipe && failed.is_none() {
                failed = Some(e);
            }
        }
    };
    for d in diags {
        note(match diag.error_format {
            ErrorFormat::Human => writeln!(
                err,
                "{}",
                diagnostics::render_human(d, &project.sources, opts)
            ),
            ErrorFormat::Json => writeln!(out, "{}", diagnostics::render_json(d, &project.sources)),
            ErrorFormat::Github => {
                writeln!(out, "{}", diagnostics::render_github(d, &project.sources))
            }
            ErrorFormat::Sarif => Ok(()),
        });
    }
    if diag.error_format == ErrorFormat::Sarif {
        note(write!(
            out,
            "{}",
            diagnostics::render_sarif(diags, allowed, &project.sources, explanation)
        ));
    }
    note(out.flush());
    if diag.error_format == ErrorFormat::Human {
        let summary = diagnostics::Summary {
            files: project
                .sources
                .iter()
                .filter(|(_, f)| f.is_netlink())
                .count(),
            blocks,
            allowed: allowed.len(),
            deny_warnings: diag.deny_warnings,
        };
        let _ = writeln!(err, "{}", diagnostics::summary_line(diags, &summary));
    }
    match failed {
        Some(e) => {
            let _ = writeln!(err, "error: cannot write to stdout: {e}");
            false
        }
        None => true,
    }
}
