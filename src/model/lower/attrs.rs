//! Reading a block's attributes against what the block kind takes.
//!
//! The lowering function of each kind asks for its keys; whatever it did not ask for is an
//! unknown attribute (with did-you-mean over the keys it did ask for). Value conversions report
//! their own diagnostics and return `None` on a hard error.

use crate::diagnostics::{Code, Diagnostic};
use crate::model::words::Keyword;
use crate::model::{regions, PortRange};
use crate::resolve::{
    describe_kinds, did_you_mean, help_line, LookupError, SymbolId, SymbolKind, Symbols,
};
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Attribute, Block, Ident, Value, ValueKind};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// Shared state of the lowering pass.
pub struct Cx<'a> {
    /// The symbol table.
    pub symbols: &'a Symbols,
    /// Everything reported so far.
    pub diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    /// Report a diagnostic.
    pub fn report(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn wrong_type(&mut self, v: &Value, expected: &str, help: &str) {
        self.report(
            Diagnostic::new(
                Code::WRONG_TYPE,
                format!("expected {expected}, found {}", v.kind.describe()),
            )
            .primary(v.span, format!("expected {expected}"))
            .help(help.to_string()),
        );
    }

    /// Resolve a reference value to a symbol of one of `kinds`.
    pub fn reference(&mut self, v: &Value, kinds: &[SymbolKind]) -> Option<SymbolId> {
        let ValueKind::Path(path) = &v.kind else {
            let what = describe_kinds(kinds);
            self.wrong_type(
                v,
                &format!("a reference to {what}"),
                "write the name of the block, without quotes",
            );
            return None;
        };
        match self.symbols.lookup(path, kinds) {
            Ok(id) => Some(id),
            Err(LookupError::Reported(d)) => {
                self.diags.push(*d);
                None
            }
            Err(LookupError::Silent) => None,
        }
    }

    /// A string value.
    pub fn string(&mut self, v: &Value) -> Option<String> {
        match &v.kind {
            ValueKind::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(v, "a string", "put the text in double quotes");
                None
            }
        }
    }

    /// A RAM role's name: 1 to 64 letters, digits, periods and hyphens, as RAM's CreateRole
    /// allows (NL1016 otherwise).
    pub fn ram_role(&mut self, v: &Value) -> Option<String> {
        let name = self.string(v)?;
        let chars = name.chars().count();
        let valid = (1..=64).contains(&chars)
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if valid {
            return Some(name);
        }
        let bad = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'));
        let why = match bad {
            Some(c) => format!(
                "`{}` may not be in a RAM role name",
                crate::text::quote(c.encode_utf8(&mut [0; 4]))
            ),
            None if chars == 0 => "the name is empty".to_string(),
            None => format!("the name is {chars} characters long; at most 64"),
        };
        self.report(
            Diagnostic::new(
                Code::BAD_RAM_ROLE,
                format!("`{}` is not a RAM role name", crate::text::quote(&name)),
            )
            .primary(v.span, why)
            .help("a RAM role name is 1 to 64 letters, digits, periods (.) and hyphens (-); write it as the RAM console shows it, e.g. `AliyunDataWorksAccessingRdsRole`"),
        );
        None
    }

    /// A bare word (`cn-hangzhou`, `serverless`).
    pub fn word<'v>(&mut self, v: &Value<'v>, what: &str) -> Option<Ident<'v>> {
        match &v.kind {
            ValueKind::Path(p) if p.segment_count() == 1 => Some(Spanned::new(p.text, p.span)),
            ValueKind::String(s) => {
                self.report(
                    Diagnostic::new(Code::WRONG_TYPE, format!("expected {what}, found a string"))
                        .primary(v.span, format!("expected {what}"))
                        .help(format!("write it without quotes: `{s}`")),
                );
                None
            }
            _ => {
                self.wrong_type(v, what, &format!("write {what} as a bare word"));
                None
            }
        }
    }

    /// One word of a closed set.
    pub fn keyword<K: Keyword + PartialEq>(&mut self, v: &Value) -> Option<K> {
        let what = format!("a {}", K::WHAT);
        let w = self.word(v, &what)?;
        if let Some((_, k)) = K::WORDS.iter().find(|(word, _)| *word == w.node) {
            return Some(*k);
        }
        let words: Vec<&str> = K::WORDS.iter().map(|(w, _)| *w).collect();
        let cand = did_you_mean(w.node, words.iter().copied());
        let list = words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.report(
            Diagnostic::new(
                Code::UNKNOWN_VALUE,
                format!("`{}` is not a {}", w.node, K::WHAT),
            )
            .primary(w.span, format!("expected one of {list}"))
            .help(help_line(cand, format!("write one of {list}")))
            .suggest_name(w.span, cand),
        );
        None
    }

    /// A boolean.
    pub fn boolean(&mut self, v: &Value) -> Option<bool> {
        let w = self.word(v, "`true` or `false`")?;
        match w.node {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                self.report(
                    Diagnostic::new(Code::UNKNOWN_VALUE, format!("`{other}` is not a boolean"))
                        .primary(w.span, "expected `true` or `false`")
                        .help("write `true` or `false`"),
                );
                None
            }
        }
    }

    /// A region id.
    pub fn region(&mut self, v: &Value) -> Option<String> {
        let w = self.word(v, "a region id such as `cn-hangzhou`")?;
        if regions::region(w.node).is_some() {
            return Some(w.node.to_string());
        }
        let cand = did_you_mean(w.node, regions::REGIONS.iter().map(|r| r.id));
        // A typo is near a listed id; a mere prefix (`cn-beijing` of `cn-beijing-new-1`) is not.
        let typo = cand.is_some_and(|c| !c.starts_with(w.node) && !w.node.starts_with(c));
        let zone = regions::region_of_zone(w.node);
        if !typo && zone.is_none() && regions::looks_like_region(w.node) {
            self.report(
                Diagnostic::new(
                    Code::REGION_NOT_LISTED,
                    format!("region `{}` is not in netlink's region table", w.node),
                )
                .primary(w.span, "taken as written")
                .help("check the id against the console's region list; if it is right, acknowledge this note (`# netlink:allow NL2013 <reason>`)")
                .note("zones are checked by their spelling only, and MaxCompute's connection schemes are taken as unavailable there (seed 000 lists their regions)"),
            );
            return Some(w.node.to_string());
        }
        let help = match zone {
            Some(r) => format!("`{}` is a zone; its region is `{}`", w.node, r.id),
            None => help_line(
                cand,
                "use an Alibaba Cloud region id such as `cn-hangzhou` or `ap-southeast-1`",
            ),
        };
        self.report(
            Diagnostic::new(Code::UNKNOWN_REGION, format!("unknown region `{}`", w.node))
                .primary(w.span, "not an Alibaba Cloud region id")
                .help(help)
                .suggest_name(w.span, zone.map(|r| r.id).or(cand)),
        );
        None
    }

    /// A CIDR block; host bits are reported and cleared (a soft error).
    pub fn cidr(&mut self, v: &Value) -> Option<Ipv4Net> {
        match &v.kind {
            ValueKind::Cidr(text) => self.parse_cidr(text, v.span),
            _ => {
                self.wrong_type(
                    v,
                    "a CIDR block",
                    "write an IPv4 CIDR block such as `192.168.0.0/16`",
                );
                None
            }
        }
    }

    fn parse_cidr(&mut self, text: &str, span: Span) -> Option<Ipv4Net> {
        let (addr, len) = text.split_once('/').unwrap_or((text, ""));
        let addr = self.parse_addr(addr, span)?;
        let prefix: u8 = match len.parse() {
            Ok(p) if p <= 32 => p,
            _ => {
                self.report(
                    Diagnostic::new(
                        Code::INVALID_ADDRESS,
                        format!("`{text}` has an invalid prefix length"),
                    )
                    .primary(span, "the prefix length must be 0 to 32")
                    .help("write the prefix length after the slash, from 0 to 32"),
                );
                return None;
            }
        };
        // The prefix is at most 32 here, so construction cannot fail.
        let net = Ipv4Net::new(addr, prefix).ok()?;
        if net.trunc() != net {
            let fixed = net.trunc();
            self.report(
                Diagnostic::new(Code::HOST_BITS, format!("`{text}` has host bits set"))
                    .primary(
                        span,
                        format!("the network address of this block is `{}`", fixed.addr()),
                    )
                    .help(format!("write `{fixed}`"))
                    .suggest(span, fixed.to_string(), format!("write `{fixed}`"))
                    .note(format!(
                        "`{text}` would be read as `{fixed}`; writing it so avoids surprises"
                    )),
            );
            return Some(fixed);
        }
        Some(net)
    }

    fn parse_addr(&mut self, text: &str, span: Span) -> Option<Ipv4Addr> {
        match text.parse::<Ipv4Addr>() {
            Ok(a) => Some(a),
            Err(_) => {
                let bad = text
                    .split('.')
                    .find(|o| o.parse::<u8>().is_err() || (o.len() > 1 && o.starts_with('0')))
                    .unwrap_or(text);
                self.report(
                    Diagnostic::new(
                        Code::INVALID_ADDRESS,
                        format!("`{text}` is not a valid IPv4 address"),
                    )
                    .primary(
                        span,
                        format!("`{bad}` is not an octet (0-255, no leading zeros)"),
                    )
                    .help("each of the four parts is a number from 0 to 255"),
                );
                None
            }
        }
    }

    /// An IPv4 address.
    pub fn ipv4(&mut self, v: &Value) -> Option<Ipv4Addr> {
        match &v.kind {
            ValueKind::Ipv4(text) => self.parse_addr(text, v.span),
            _ => {
                self.wrong_type(
                    v,
                    "an IPv4 address",
                    "write an address such as `47.96.1.10`",
                );
                None
            }
        }
    }

    /// A CIDR block or a single address (as a /32).
    pub fn net_or_addr(&mut self, v: &Value) -> Option<(Ipv4Net, bool)> {
        match &v.kind {
            ValueKind::Ipv4(text) => self
                .parse_addr(text, v.span)
                .map(|a| (Ipv4Net::from(a), true)),
            ValueKind::Cidr(text) => self.parse_cidr(text, v.span).map(|n| (n, false)),
            _ => {
                self.wrong_type(
                    v,
                    "a CIDR block or an IPv4 address",
                    "write `172.16.66.0/24` or `10.0.0.5`",
                );
                None
            }
        }
    }

    fn number(&mut self, text: &str, span: Span) -> Option<u64> {
        match text.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.report(
                    Diagnostic::new(
                        Code::NUMBER_TOO_LARGE,
                        format!("`{}` is too large", crate::text::quote(text)),
                    )
                    .primary(span, "this number does not fit")
                    .help("numbers in netlink are ports, priorities and counts; check the value"),
                );
                None
            }
        }
    }

    fn port_number(&mut self, text: &str, span: Span) -> Option<u16> {
        let n = self.number(text, span)?;
        match u16::try_from(n) {
            Ok(p) if p >= 1 => Some(p),
            _ => {
                self.report(
                    Diagnostic::new(Code::PORT_RANGE, format!("port `{text}` is out of range"))
                        .primary(span, "ports run from 1 to 65535")
                        .help("use a port from 1 to 65535"),
                );
                None
            }
        }
    }

    /// A port or port range.
    pub fn port(&mut self, v: &Value) -> Option<PortRange> {
        match &v.kind {
            ValueKind::Number(n) => self.port_number(n, v.span).map(PortRange::single),
            ValueKind::PortRange(a, b) => {
                let start = self.port_number(a, v.span);
                let end = self.port_number(b, v.span);
                let (start, end) = (start?, end?);
                if start > end {
                    self.report(
                        Diagnostic::new(
                            Code::PORT_RANGE,
                            format!("port range `{a}-{b}` runs backwards"),
                        )
                        .primary(v.span, "the first port is larger than the last")
                        .help(format!("write `{b}-{a}`")),
                    );
                    return None;
                }
                Some(PortRange { start, end })
            }
            _ => {
                self.wrong_type(
                    v,
                    "a port",
                    "write a port (`3306`) or a range (`8000-8100`)",
                );
                None
            }
        }
    }

    /// A small number within `lo..=hi`.
    pub fn bounded(&mut self, v: &Value, lo: u64, hi: u64, what: &str) -> Option<u64> {
        let ValueKind::Number(text) = &v.kind else {
            self.wrong_type(
                v,
                "a number",
                &format!("write {what} as a number from {lo} to {hi}"),
            );
            return None;
        };
        let n = self.number(text, v.span)?;
        if n < lo || n > hi {
            self.report(
                Diagnostic::new(Code::WRONG_TYPE, format!("{what} `{n}` is out of range"))
                    .primary(v.span, format!("expected {lo} to {hi}"))
                    .help(format!("write {what} from {lo} to {hi}")),
            );
            return None;
        }
        Some(n)
    }

    /// A list (a single value counts as a one-element list); `None` if any element failed.
    pub fn list<T>(
        &mut self,
        v: &Value,
        mut each: impl FnMut(&mut Self, &Value) -> Option<T>,
    ) -> Option<Vec<Spanned<T>>> {
        let items: Vec<&Value> = match &v.kind {
            ValueKind::List(items) => items.iter().collect(),
            _ => vec![v],
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match each(self, item) {
                Some(t) => out.push(Spanned::new(t, item.span)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

impl Cx<'_> {
    /// A list that must hold at least one item.
    pub fn non_empty_list<T>(
        &mut self,
        v: &Value,
        each: impl FnMut(&mut Self, &Value) -> Option<T>,
    ) -> Option<Vec<Spanned<T>>> {
        let list = self.list(v, each)?;
        if list.is_empty() {
            self.report(
                Diagnostic::new(
                    Code::WRONG_TYPE,
                    "expected at least one item, found an empty list",
                )
                .primary(v.span, "empty list")
                .help("list at least one item, or leave the attribute out where it is optional"),
            );
            return None;
        }
        Some(list)
    }
}

/// The attributes of one block, consumed key by key.
pub struct Attrs<'b> {
    block: &'b Block<'b>,
    attrs: Vec<&'b Attribute<'b>>,
    used: Vec<bool>,
    asked: Vec<&'static str>,
    /// A hard error was reported: the block cannot become part of the model.
    pub failed: bool,
}

impl<'b> Attrs<'b> {
    /// Start reading a top-level block. `after` is known to every top-level block (it is read
    /// once for all kinds by the lowering walk).
    pub fn new(block: &'b Block<'b>) -> Attrs<'b> {
        let mut a = Attrs::nested(block);
        a.asked.push("after");
        a
    }

    /// Start reading a nested block (`vswitch`, `security_group`, `rule`, `attach`, ...).
    pub fn nested(block: &'b Block<'b>) -> Attrs<'b> {
        let attrs: Vec<&Attribute<'b>> = block.attributes().collect();
        let used = vec![false; attrs.len()];
        Attrs {
            block,
            attrs,
            used,
            asked: Vec::new(),
            failed: false,
        }
    }

    /// The block being read.
    pub fn block(&self) -> &'b Block<'b> {
        self.block
    }

    /// The first attribute called `key` (later ones are reported as duplicates by `finish`).
    pub fn get(&mut self, key: &'static str) -> Option<&'b Attribute<'b>> {
        self.asked.push(key);
        let mut found = None;
        for (i, a) in self.attrs.iter().enumerate() {
            if a.key.node == key && found.is_none() {
                found = Some(*a);
                self.used[i] = true;
            }
        }
        found
    }

    /// Read an optional attribute through `conv`.
    pub fn opt<T>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        conv: impl FnOnce(&mut Cx<'_>, &Value) -> Option<T>,
    ) -> Option<Spanned<T>> {
        let a = self.get(key)?;
        match conv(cx, &a.value) {
            Some(t) => Some(Spanned::new(t, a.value.span)),
            None => {
                self.failed = true;
                None
            }
        }
    }

    /// Read a required attribute through `conv`; `example` shows how to write it.
    pub fn req<T>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        example: &str,
        conv: impl FnOnce(&mut Cx<'_>, &Value) -> Option<T>,
    ) -> Option<Spanned<T>> {
        if self.attrs.iter().any(|a| a.key.node == key) {
            return self.opt(cx, key, conv);
        }
        self.asked.push(key);
        self.missing(cx, key, example);
        None
    }

    /// Report `key` as missing.
    pub fn missing(&mut self, cx: &mut Cx<'_>, key: &str, example: &str) {
        self.failed = true;
        let kind = &self.block.kind.node;
        let name = self
            .block
            .label
            .as_ref()
            .map(|l| format!(" `{}`", l.node))
            .unwrap_or_default();
        cx.report(
            Diagnostic::new(
                Code::MISSING_ATTRIBUTE,
                format!("{kind}{name} has no `{key}`"),
            )
            .primary(self.block.header(), format!("`{key}` is required here"))
            .help(format!("add `{key} = {example}`")),
        );
    }

    /// Report attributes nobody asked for, and keys given twice.
    pub fn finish(self, cx: &mut Cx<'_>) -> bool {
        let mut failed = self.failed;
        let mut seen: Vec<&str> = Vec::new();
        for (i, a) in self.attrs.iter().enumerate() {
            let key = a.key.node;
            if self.asked.contains(&key) {
                if seen.contains(&key) {
                    failed = true;
                    let first = self
                        .attrs
                        .iter()
                        .find(|b| b.key.node == key)
                        .map(|b| b.key.span)
                        .unwrap_or(a.key.span);
                    cx.report(
                        Diagnostic::new(
                            Code::DUPLICATE_ATTRIBUTE,
                            format!("`{key}` is given twice"),
                        )
                        .primary(a.key.span, "given again here")
                        .secondary(first, "first given here")
                        .help(format!("keep one `{key}`")),
                    );
                } else {
                    seen.push(key);
                }
                continue;
            }
            if self.used[i] {
                continue;
            }
            failed = true;
            let mut known: Vec<&str> = self.asked.clone();
            known.sort_unstable();
            known.dedup();
            let cand = did_you_mean(key, known.iter().copied());
            let list = known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            cx.report(
                Diagnostic::new(
                    Code::UNKNOWN_ATTRIBUTE,
                    format!("`{}` does not take `{key}`", self.block.kind.node),
                )
                .primary(a.key.span, "unknown attribute")
                .help(help_line(
                    cand,
                    format!("`{}` takes {list}", self.block.kind.node),
                )),
            );
        }
        !failed
    }
}
