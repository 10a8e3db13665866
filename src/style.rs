//! Terminal output the way cargo does it: colour when the stream is a terminal (or when asked),
//! `NO_COLOR`, `CLICOLOR_FORCE` and `TERM=dumb` honoured (through `anstream`), and the width of
//! the terminal (fallback 100 columns).

use anstyle::{AnsiColor, Style};
use std::io::IsTerminal;

/// When to colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorWhen {
    /// When the stream is a terminal, unless `NO_COLOR` is set or `TERM=dumb`
    /// (`CLICOLOR_FORCE` forces it).
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Which stream a text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Whether to colour text for `stream`.
pub fn enabled(when: ColorWhen, stream: Stream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let choice = match stream {
                Stream::Stdout => anstream::AutoStream::choice(&std::io::stdout()),
                Stream::Stderr => anstream::AutoStream::choice(&std::io::stderr()),
            };
            !matches!(choice, anstream::ColorChoice::Never)
        }
    }
}

/// The width to wrap at: the terminal's when the stream is one, else `COLUMNS`, else 100.
pub fn width(stream: Stream) -> usize {
    let terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    let size = if terminal {
        match stream {
            Stream::Stdout => terminal_size::terminal_size_of(std::io::stdout()),
            Stream::Stderr => terminal_size::terminal_size_of(std::io::stderr()),
        }
    } else {
        None
    };
    size.map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .filter(|&w| w >= 20)
        .unwrap_or(100)
}

const ADD: Style = AnsiColor::Green.on_default();
const REMOVE: Style = AnsiColor::Red.on_default();
const CHANGE: Style = AnsiColor::Yellow.on_default();
const MANUAL: Style = AnsiColor::Yellow.on_default().bold();
const HEADING: Style = Style::new().bold();
const DETAIL: Style = Style::new().dimmed();

fn paint(out: &mut String, style: Style, text: &str) {
    use std::fmt::Write;
    let _ = write!(out, "{style}{text}{style:#}");
}

/// Colour the lines of a `+`/`-`/`~`/`!` listing (`netlink plan`, `netlink diff`): the marker
/// and the line it opens in its colour, account headings and the closing summary bold, step ids
/// dimmed. The text's user strings are already escaped, so a marker is always netlink's own.
pub fn paint_listing(text: &str, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let trimmed = body.trim_start();
        let style = match trimmed.chars().next() {
            _ if body.starts_with("Plan:") || body.starts_with("Diff:") => Some(HEADING),
            Some('#') if trimmed.starts_with("# ") && body.starts_with("  #") => Some(HEADING),
            Some('+') if trimmed.starts_with("+ ") => Some(ADD),
            Some('-') if trimmed.starts_with("- ") => Some(REMOVE),
            Some('~') if trimmed.starts_with("~ ") => Some(CHANGE),
            Some('!') if trimmed.starts_with("! ") => Some(MANUAL),
            Some(_) if trimmed.starts_with("id: ") => Some(DETAIL),
            _ => None,
        };
        match style {
            Some(s) => paint(&mut out, s, body),
            None => out.push_str(body),
        }
        out.push_str(end);
    }
    out
}

/// Colour a unified diff (`netlink fmt --diff`): `+` lines green, `-` lines red, hunks cyan.
pub fn paint_unified(text: &str, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let style = if body.starts_with("+++") || body.starts_with("---") {
            Some(HEADING)
        } else if body.starts_with('+') {
            Some(ADD)
        } else if body.starts_with('-') {
            Some(REMOVE)
        } else if body.starts_with("@@") {
            Some(AnsiColor::Cyan.on_default())
        } else {
            None
        };
        match style {
            Some(s) => paint(&mut out, s, body),
            None => out.push_str(body),
        }
        out.push_str(end);
    }
    out
}

/// Colour a trace (`netlink trace`): the verdict green when proven, red when not; the
/// direction headings bold.
pub fn paint_trace(text: &str, on: bool) -> String {
    if !on {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let style = match body {
            "  proven" | "  proven once the manual steps are done" => Some(ADD),
            "  NOT proven" => Some(REMOVE.bold()),
            "  forward" | "  return" => Some(HEADING),
            _ => None,
        };
        match style {
            Some(s) => paint(&mut out, s, body),
            None => out.push_str(body),
        }
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_are_painted_only_when_on() {
        let text = "  + step a  x\n         id: a\nDiff: 1 to add, 0 to change, 0 to remove.\n";
        assert_eq!(paint_listing(text, false), text);
        let painted = paint_listing(text, true);
        assert!(
            painted.starts_with("\u{1b}[32m  + step a  x\u{1b}[0m\n"),
            "{painted:?}"
        );
        assert!(
            painted.contains("\u{1b}[2m         id: a\u{1b}[0m"),
            "{painted:?}"
        );
        assert!(painted.contains("\u{1b}[1mDiff:"), "{painted:?}");
    }
}
