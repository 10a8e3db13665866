//! Source files, byte spans and `Spanned<T>`.
//!
//! Every AST node and every diagnostic label carries a [`Span`]: a file id plus a byte range. Line
//! and column are computed only when something is shown to a person (or written to JSON).

use std::fmt;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// The file the range lies in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span over `start..end` in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    /// The smallest span covering both (same file assumed; otherwise `self`).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// True for a zero-width span.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A value together with the span it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wrap `node` with `span`.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl Spanned<&str> {
    /// An owned copy, for the model (the syntax tree borrows from the source text).
    pub fn owned(&self) -> Spanned<String> {
        Spanned::new(self.node.to_string(), self.span)
    }
}

impl<T: fmt::Display> fmt::Display for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node.fmt(f)
    }
}

/// One loaded source file.
#[derive(Debug)]
pub struct SourceFile {
    /// The name shown to users: the path as given on the command line, `/`-separated.
    pub name: String,
    /// The file's text (bytes that were not UTF-8 are read as spaces).
    pub text: String,
    line_starts: Vec<u32>,
    /// The text as a terminal may show it, made on first use (see [`SourceFile::shown_text`]).
    shown: std::sync::OnceLock<Option<String>>,
    /// Every byte is ASCII: a column is a byte distance.
    ascii: bool,
    /// A `.netlink` file (not `netlink.toml`, which is here so its diagnostics can show it).
    netlink: bool,
    /// The last column found (offset, its 0-based column): diagnostics are rendered in order, so
    /// the next column on the same line is counted from there, never from the line's start
    /// (thousands of diagnostics on one long line would otherwise take quadratic time).
    last_column: std::sync::Mutex<(u32, usize)>,
}

impl Clone for SourceFile {
    fn clone(&self) -> SourceFile {
        SourceFile {
            netlink: self.netlink,
            ..SourceFile::new(self.name.clone(), self.text.clone())
        }
    }
}

impl SourceFile {
    /// A file from its display name and text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| clamp_u32(i + 1)),
        );
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            shown: std::sync::OnceLock::new(),
            ascii: false,
            netlink: true,
            last_column: std::sync::Mutex::new((0, 0)),
        }
        .with_ascii_flag()
    }

    /// The project's `netlink.toml`: shown in diagnostics, never parsed as netlink.
    pub fn config(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            netlink: false,
            ..SourceFile::new(name, text)
        }
    }

    /// Whether this is a `.netlink` file (rather than `netlink.toml`).
    pub fn is_netlink(&self) -> bool {
        self.netlink
    }

    fn with_ascii_flag(mut self) -> SourceFile {
        self.ascii = self.text.is_ascii();
        self
    }

    /// The text with every character a terminal would obey (escape sequences, bidirectional
    /// overrides, other controls but tab and line ends) replaced by as many `?` as it has bytes,
    /// so a snippet keeps its offsets and can neither move the cursor nor reorder what is shown.
    /// Only a file holding such characters is copied.
    pub fn shown_text(&self) -> &str {
        self.shown
            .get_or_init(|| {
                // A CR ends a line only before a LF; alone it returns the cursor and hides
                // what was shown (NL0012).
                let bytes = self.text.as_bytes();
                let unsafe_at = |i: usize, c: char| match c {
                    '\n' | '\t' => false,
                    '\r' => bytes.get(i + 1) != Some(&b'\n'),
                    c => crate::text::is_unsafe(c),
                };
                self.text
                    .char_indices()
                    .any(|(i, c)| unsafe_at(i, c))
                    .then(|| {
                        let mut out = String::with_capacity(self.text.len());
                        for (i, c) in self.text.char_indices() {
                            if unsafe_at(i, c) {
                                out.extend(std::iter::repeat_n('?', c.len_utf8()));
                            } else {
                                out.push(c);
                            }
                        }
                        out
                    })
            })
            .as_deref()
            .unwrap_or(&self.text)
    }

    /// 0-based index of the line holding a byte offset.
    pub fn line_index(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1, // line_starts[0] == 0, so i >= 1 here
        }
    }

    /// Byte offset where 0-based line `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map(|&o| o as usize)
            .unwrap_or(self.text.len())
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1, // line_starts[0] == 0, so i >= 1 here
        };
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(self.text.len());
        if self.ascii {
            return (line + 1, end.saturating_sub(start) + 1);
        }
        let count = |from: usize| {
            self.text
                .get(from..end)
                .map(|s| s.chars().count())
                .unwrap_or(end.saturating_sub(from))
        };
        // A poisoned lock only means another thread panicked mid-update; the value is still a
        // valid (offset, column) pair or the initial one.
        let mut last = self
            .last_column
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (at, at_col) = *last;
        let col = if (at as usize) >= start && (at as usize) <= end {
            at_col + count(at as usize)
        } else {
            count(start)
        };
        *last = (end as u32, col);
        (line + 1, col + 1)
    }

    /// The text under a span (empty if the span does not fit the file).
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

/// All files of a project, indexed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Add a file and return its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(clamp_u32(self.files.len() - 1))
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// All files with their ids, in load order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(clamp_u32(i)), f))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The text under a span.
    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).map(|f| f.slice(span)).unwrap_or("")
    }
}
