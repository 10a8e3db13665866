//! `netlink lsp`: a language server over stdio (`lsp-server`'s ordered message loop). Every
//! change recompiles the whole project — the workspace folder, else the open file's directory —
//! with the open buffers laid over the files on disk, so unsaved edits count, and publishes
//! every diagnostic of every open file. Formatting is exactly `netlink fmt`.

use crate::diagnostics::{Diagnostic, Severity};
use crate::project::{self, Project};
use crate::source::SourceFile;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    Request as _,
};
use lsp_types::{
    InitializeParams, NumberOrString, Position, PublishDiagnosticsParams, Range,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Open buffers by path, and the project's root.
struct State {
    root: Option<PathBuf>,
    open: BTreeMap<PathBuf, (Uri, String)>,
}

/// Run the server on stdin and stdout until the client says `exit`; the exit code.
pub fn run() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        document_formatting_provider: Some(lsp_types::OneOf::Left(true)),
        definition_provider: Some(lsp_types::OneOf::Left(true)),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(lsp_types::OneOf::Left(true)),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    };
    let Ok(caps) = serde_json::to_value(capabilities) else {
        return 2;
    };
    let params = match connection.initialize(caps) {
        Ok(p) => p,
        Err(e) => {
            // The client broke the handshake (no `initialize`, or no `initialized` after it).
            eprintln!("netlink lsp: {e}");
            return 2;
        }
    };
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    #[allow(deprecated)] // `root_uri` is what older clients send
    let root = init
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or(init.root_uri)
        .and_then(|u| path_of(&u));
    let mut state = State {
        root,
        open: BTreeMap::new(),
    };
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).unwrap_or(true) {
                    break;
                }
                let _ = connection
                    .sender
                    .send(Message::Response(respond(&state, req)));
            }
            Message::Notification(n) => {
                if changed(&mut state, n) {
                    for m in publish(&state) {
                        let _ = connection.sender.send(Message::Notification(m));
                    }
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    match io_threads.join() {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

/// The path of a `file:` URI.
fn path_of(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str().strip_prefix("file://")?;
    // Percent-decoding: the bytes of `%XX`.
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// Apply a document notification; whether the diagnostics must be recomputed.
fn changed(state: &mut State, n: Notification) -> bool {
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
            else {
                return false;
            };
            let Some(path) = path_of(&p.text_document.uri) else {
                return false;
            };
            if state.root.is_none() {
                state.root = path.parent().map(Path::to_path_buf);
            }
            state
                .open
                .insert(path, (p.text_document.uri, p.text_document.text));
            true
        }
        DidChangeTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
            else {
                return false;
            };
            let (Some(path), Some(last)) =
                (path_of(&p.text_document.uri), p.content_changes.last())
            else {
                return false;
            };
            // Full sync: the last change is the whole text.
            state
                .open
                .insert(path, (p.text_document.uri, last.text.clone()));
            true
        }
        DidCloseTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
            else {
                return false;
            };
            if let Some(path) = path_of(&p.text_document.uri) {
                state.open.remove(&path);
            }
            true
        }
        _ => false,
    }
}

/// The project as the editor sees it: the files on disk in their order, each open buffer in
/// place of its file, then open buffers that are not on disk. `netlink.toml` stays what it is
/// (a configuration, not a `.netlink` file), with its policy and its own diagnostics.
fn project(state: &State) -> Project {
    let mut p = Project::default();
    let mut seen: std::collections::BTreeSet<PathBuf> = Default::default();
    if let Some(root) = &state.root {
        if let Ok(disk) = project::load(std::slice::from_ref(root)) {
            let mut configs = Vec::new();
            for (id, f) in disk.sources.iter() {
                // Every file by its absolute path, as the editor's URIs name it.
                let path = absolute(root, &f.name);
                let name = path.to_string_lossy().into_owned();
                if f.is_netlink() {
                    let text = match state.open.get(&path) {
                        Some((_, buffer)) => buffer.clone(),
                        None => f.text.clone(),
                    };
                    project::add_bytes(&mut p, name, text.into_bytes());
                } else {
                    // Same position, so the policy's spans still point into it.
                    p.sources.add(SourceFile::config(name, f.text.clone()));
                    configs.push(id);
                }
                seen.insert(path);
            }
            p.policy = disk.policy;
            p.diagnostics.extend(
                disk.diagnostics
                    .into_iter()
                    .filter(|d| configs.contains(&d.primary_span().file)),
            );
        }
    }
    for (path, (_, text)) in &state.open {
        if !seen.contains(path) {
            project::add_bytes(
                &mut p,
                path.to_string_lossy().into_owned(),
                text.clone().into_bytes(),
            );
        }
    }
    p
}

/// The absolute path of a file `project::load` named (relative to the working directory, or to
/// the root's parent when outside it).
fn absolute(root: &Path, name: &str) -> PathBuf {
    let named = Path::new(name);
    if named.is_absolute() {
        return named.to_path_buf();
    }
    let from_cwd = std::env::current_dir().map(|c| c.join(named)).ok();
    match from_cwd.filter(|p| p.starts_with(root) && p.exists()) {
        Some(p) => p,
        None => root.parent().unwrap_or(root).join(named),
    }
}

/// An LSP position (0-based line, UTF-16 column) of a byte offset.
fn position(file: &SourceFile, offset: u32) -> Position {
    let (line, _) = file.line_col(offset);
    let start = file.line_start(line - 1);
    let end = (offset as usize).min(file.text.len());
    let character = file
        .text
        .get(start..end)
        .map(|t| t.encode_utf16().count())
        .unwrap_or(0);
    Position::new((line - 1) as u32, character as u32)
}

fn to_lsp(d: &Diagnostic, file: &SourceFile, p: &Project) -> lsp_types::Diagnostic {
    let span = d.primary_span();
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    lsp_types::Diagnostic {
        range: Range::new(position(file, span.start), position(file, span.end)),
        severity: Some(match d.severity {
            Severity::Error => lsp_types::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp_types::DiagnosticSeverity::WARNING,
            Severity::Note => lsp_types::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        source: Some("netlink".to_string()),
        message,
        // Secondary labels: where the context of the problem is written, in any file.
        related_information: Some(
            d.labels
                .iter()
                .filter(|l| !l.primary)
                .filter_map(|l| {
                    Some(lsp_types::DiagnosticRelatedInformation {
                        location: location(p, l.span)?,
                        message: l.message.clone(),
                    })
                })
                .collect::<Vec<_>>(),
        )
        .filter(|r| !r.is_empty()),
        ..Default::default()
    }
}

/// A `publishDiagnostics` for every open file (an empty list clears a fixed one).
fn publish(state: &State) -> Vec<Notification> {
    let p = project(state);
    let compiled = crate::compile_with(&p.sources, &p.policy);
    let mut by_file: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for d in p.diagnostics.iter().chain(compiled.diagnostics.iter()) {
        let span = d.primary_span();
        if let Some(f) = p.sources.get(span.file) {
            by_file
                .entry(f.name.clone())
                .or_default()
                .push(to_lsp(d, f, &p));
        }
    }
    state
        .open
        .iter()
        .map(|(path, (uri, _))| {
            let diagnostics = by_file
                .remove(&path.to_string_lossy().into_owned())
                .unwrap_or_default();
            Notification::new(
                PublishDiagnostics::METHOD.to_string(),
                PublishDiagnosticsParams::new(uri.clone(), diagnostics, None),
            )
        })
        .collect()
}

/// Quick fixes: the suggestions of the diagnostics whose primary range meets the requested one.
fn code_actions(state: &State, p: &lsp_types::CodeActionParams) -> Vec<lsp_types::CodeAction> {
    let Some(path) = path_of(&p.text_document.uri) else {
        return Vec::new();
    };
    let name = path.to_string_lossy().into_owned();
    let project = project(state);
    let compiled = crate::compile_with(&project.sources, &project.policy);
    let meets = |r: &Range| !(r.end < p.range.start || p.range.end < r.start);
    let mut out = Vec::new();
    for d in project
        .diagnostics
        .iter()
        .chain(compiled.diagnostics.iter())
    {
        let Some(file) = project
            .sources
            .get(d.primary_span().file)
            .filter(|f| f.name == name)
        else {
            continue;
        };
        let shown = to_lsp(d, file, &project);
        if !meets(&shown.range) {
            continue;
        }
        for s in &d.suggestions {
            let edit = TextEdit::new(
                Range::new(position(file, s.span.start), position(file, s.span.end)),
                s.replacement.clone(),
            );
            // `WorkspaceEdit` is keyed by `Uri`, whose cached parts clippy takes for mutability;
            // its hash and equality are of the text alone.
            #[allow(clippy::mutable_key_type)]
            let mut changes = std::collections::HashMap::new();
            changes.insert(p.text_document.uri.clone(), vec![edit]);
            out.push(lsp_types::CodeAction {
                title: s.message.clone(),
                kind: Some(lsp_types::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(lsp_types::WorkspaceEdit::new(changes)),
                is_preferred: Some(true),
                ..Default::default()
            });
        }
    }
    out
}

/// The name under a position: letters, digits, `_`, `-` and `.` (qualified names), as written.
fn word_at(text: &str, pos: Position) -> Option<String> {
    let line = text.lines().nth(pos.line as usize)?;
    // The UTF-16 column as a byte offset into the line.
    let mut units = 0usize;
    let mut at = line.len();
    for (i, c) in line.char_indices() {
        if units >= pos.character as usize {
            at = i;
            break;
        }
        units += c.len_utf16();
    }
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    let start = line[..at].rfind(|c: char| !is_name(c)).map_or(0, |i| i + 1);
    let end = line[at..]
        .find(|c: char| !is_name(c))
        .map_or(line.len(), |i| at + i);
    let word = line.get(start..end)?.trim_matches('.');
    (!word.is_empty()).then(|| word.to_string())
}

/// The project's symbols, and the project they were read from.
fn symbols(state: &State) -> (Project, crate::resolve::Symbols) {
    let p = project(state);
    let symbols = {
        let (files, _) = crate::parse(&p.sources);
        crate::resolve(&files).0
    };
    (p, symbols)
}

/// The declaration of the name under the cursor: the longest qualified prefix that names one
/// (`hz_vpc.hz_h` on the vSwitch part, `hz_vpc` on the VPC part).
fn declaration<'s>(
    symbols: &'s crate::resolve::Symbols,
    word: &str,
) -> Option<&'s crate::resolve::Symbol> {
    let mut candidate = word;
    loop {
        if let Some(id) = symbols.by_name(candidate) {
            return Some(symbols.get(id));
        }
        candidate = candidate.rsplit_once('.')?.0;
    }
}

fn location(p: &Project, span: crate::source::Span) -> Option<lsp_types::Location> {
    let f = p.sources.get(span.file)?;
    let uri: Uri = format!("file://{}", f.name).parse().ok()?;
    Some(lsp_types::Location::new(
        uri,
        Range::new(position(f, span.start), position(f, span.end)),
    ))
}

/// Answer a request: formatting, definition, hover, document symbols; else "method not found".
fn respond(state: &State, req: Request) -> Response {
    let text_at = |params: &lsp_types::TextDocumentPositionParams| -> Option<String> {
        let path = path_of(&params.text_document.uri)?;
        let (_, text) = state.open.get(&path)?;
        word_at(text, params.position)
    };
    if req.method == GotoDefinition::METHOD {
        let result = serde_json::from_value::<lsp_types::GotoDefinitionParams>(req.params)
            .ok()
            .and_then(|p| {
                let word = text_at(&p.text_document_position_params)?;
                let (project, symbols) = symbols(state);
                let decl = declaration(&symbols, &word)?;
                location(&project, decl.span)
            });
        return Response::new_ok(req.id, result);
    }
    if req.method == HoverRequest::METHOD {
        let result = serde_json::from_value::<lsp_types::HoverParams>(req.params)
            .ok()
            .and_then(|p| {
                let word = text_at(&p.text_document_position_params)?;
                let (project, symbols) = symbols(state);
                let decl = declaration(&symbols, &word)?;
                let file = project.sources.get(decl.span.file)?;
                let (line, _) = file.line_col(decl.span.start);
                Some(lsp_types::Hover {
                    contents: lsp_types::HoverContents::Markup(lsp_types::MarkupContent {
                        kind: lsp_types::MarkupKind::Markdown,
                        value: format!(
                            "{} {}\n\ndeclared in {}, line {line}",
                            decl.kind.keyword(),
                            crate::text::md_code(&decl.name),
                            crate::text::md_code(&file.name)
                        ),
                    }),
                    range: None,
                })
            });
        return Response::new_ok(req.id, result);
    }
    if req.method == CodeActionRequest::METHOD {
        let result = serde_json::from_value::<lsp_types::CodeActionParams>(req.params)
            .ok()
            .map(|p| code_actions(state, &p))
            .unwrap_or_default();
        return Response::new_ok(req.id, result);
    }
    if req.method == DocumentSymbolRequest::METHOD {
        let result = serde_json::from_value::<lsp_types::DocumentSymbolParams>(req.params)
            .ok()
            .and_then(|p| {
                let path = path_of(&p.text_document.uri)?
                    .to_string_lossy()
                    .into_owned();
                let (project, symbols) = symbols(state);
                #[allow(deprecated)] // `SymbolInformation::deprecated` must still be written
                let list: Vec<lsp_types::SymbolInformation> = symbols
                    .iter()
                    .filter(|(_, s)| {
                        project
                            .sources
                            .get(s.span.file)
                            .is_some_and(|f| f.name == path)
                    })
                    .filter_map(|(_, s)| {
                        Some(lsp_types::SymbolInformation {
                            name: s.name.clone(),
                            kind: lsp_types::SymbolKind::OBJECT,
                            tags: None,
                            deprecated: None,
                            location: location(&project, s.span)?,
                            container_name: Some(s.kind.keyword().to_string()),
                        })
                    })
                    .collect();
                Some(lsp_types::DocumentSymbolResponse::Flat(list))
            });
        return Response::new_ok(req.id, result);
    }
    if req.method == Formatting::METHOD {
        let edits = serde_json::from_value::<lsp_types::DocumentFormattingParams>(req.params)
            .ok()
            .and_then(|p| {
                let path = path_of(&p.text_document.uri)?;
                let (_, text) = state.open.get(&path)?;
                let formatted = crate::format::format_source(text).ok()?;
                let file = SourceFile::new(String::new(), text.clone());
                let end = position(&file, text.len() as u32);
                Some(if formatted == *text {
                    Vec::new()
                } else {
                    vec![TextEdit::new(
                        Range::new(Position::new(0, 0), end),
                        formatted,
                    )]
                })
            });
        // A buffer that does not parse is not formatted: no edits (as `fmt` refuses it).
        return Response::new_ok(req.id, edits.unwrap_or_default());
    }
    Response::new_err(
        req.id,
        lsp_server::ErrorCode::MethodNotFound as i32,
        format!("netlink lsp does not answer `{}`", req.method),
    )
}
