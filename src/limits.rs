//! Hard limits, each reported as a diagnostic (or, for the project's size, a load error), never a
//! crash; and the diagnostic for a credential ([`crate::secrets`] finds them).

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Largest source file read (bytes).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Most `.netlink` files in one project.
pub const MAX_FILES: usize = 10_000;
/// Longest name (block kind, block name, attribute key, path segment), in bytes.
pub const MAX_NAME: usize = 256;
/// Longest string literal, in bytes.
pub const MAX_STRING: usize = 4096;

/// NL0007 for a name or string over its limit; `None` when within.
pub fn too_long(
    file: FileId,
    start: usize,
    len: usize,
    what: &str,
    max: usize,
) -> Option<Diagnostic> {
    (len > max).then(|| {
        Diagnostic::new(Code::TOO_LONG, format!("this {what} is {len} bytes long"))
            .primary(
                Span::new(file, start, start + len.min(64)),
                format!("a {what} may be at most {max} bytes"),
            )
            .help(format!("shorten the {what} to at most {max} bytes"))
    })
}

/// NL0008 for a masked credential.
pub fn secret_diagnostic(file: FileId, start: usize, end: usize, what: &str) -> Diagnostic {
    Diagnostic::new(Code::SECRET, format!("{what} is written in this file"))
        .primary(Span::new(file, start, end), "credentials never belong in a `.netlink` file (shown masked)")
        .help("remove it and rotate the key; netlink needs no credentials, and cross-account access is granted with a RAM role (`ram_role`)")
}
