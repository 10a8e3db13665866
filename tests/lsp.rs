//! `netlink lsp` driven as an editor drives it: JSON-RPC with `Content-Length` framing over the
//! server's stdin and stdout. initialize → didOpen (a mistake) → diagnostics → definition →
//! hover → document symbols → code action → formatting → didChange (fixed) → diagnostics cleared → shutdown →
//! exit.

mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_netlink"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Start a server on project `root` and open `uri` with `text`; the first diagnostics.
    fn open(root: &std::path::Path, uri: &str, text: &str) -> (Client, Value) {
        let mut c = Client::start();
        c.send(
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "capabilities": {}, "rootUri": format!("file://{}", root.display())
            }}),
        );
        c.until(|m| m["id"] == 1);
        c.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        c.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": {"uri": uri, "languageId": "netlink", "version": 1, "text": text}
            }}),
        );
        let first = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
        (c, first)
    }

    /// `shutdown`, then `exit`: the server must exit 0.
    fn close(mut self) {
        self.send(json!({"jsonrpc": "2.0", "id": 999, "method": "shutdown"}));
        let down = self.until(|m| m["id"] == 999);
        assert!(down.get("error").is_none(), "{down}");
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        assert!(
            self.child.wait().unwrap().success(),
            "exit 0 after shutdown and exit"
        );
    }

    /// The next message with this method (notifications) or id (responses).
    fn until(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..100 {
            let m = self.receive();
            if pred(&m) {
                return m;
            }
        }
        panic!("no such message from the server");
    }
}

const BROKEN: &str = "account acme { uid = \"1234567890123456\" }\n\nvpc hz_vpc {\n  account = acme\n  region = cn-hangzhou\n  cidr = 192.168.0.5/16\n}\n";

#[test]
fn an_editor_session() {
    let dir = common::scratch("lsp");
    let file = dir.join("main.netlink");
    std::fs::write(&file, BROKEN).unwrap();
    let uri = format!("file://{}", file.display());
    let mut c = Client::start();
    c.send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "capabilities": {}, "rootUri": format!("file://{}", dir.display())
        }}),
    );
    let init = c.until(|m| m["id"] == 1);
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"], 1,
        "{init}"
    );
    assert_eq!(
        init["result"]["capabilities"]["documentFormattingProvider"],
        true
    );
    c.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    c.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "netlink", "version": 1, "text": BROKEN}
        }}),
    );
    let diags = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(diags["params"]["uri"], uri.as_str());
    let d = &diags["params"]["diagnostics"][0];
    assert_eq!(d["code"], "NL2002", "{diags}");
    assert_eq!(d["severity"], 1);
    // `cidr = 192.168.0.5/16` on line 6 (0-based 5), the block from column 9.
    assert_eq!(
        d["range"]["start"],
        json!({"line": 5, "character": 9}),
        "{d}"
    );
    assert_eq!(
        d["range"]["end"],
        json!({"line": 5, "character": 23}),
        "{d}"
    );
    // Go to definition: `acme` in `account = acme` (line 3) is declared on line 0.
    let at_acme = json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 13}});
    c.send(
        json!({"jsonrpc": "2.0", "id": 10, "method": "textDocument/definition", "params": at_acme}),
    );
    let def = c.until(|m| m["id"] == 10);
    assert_eq!(def["result"]["uri"], uri.as_str(), "{def}");
    assert_eq!(
        def["result"]["range"]["start"],
        json!({"line": 0, "character": 8}),
        "{def}"
    );
    c.send(json!({"jsonrpc": "2.0", "id": 11, "method": "textDocument/hover", "params": at_acme}));
    let hover = c.until(|m| m["id"] == 11);
    let shown = hover["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(shown.starts_with("account `acme`"), "{hover}");
    c.send(
        json!({"jsonrpc": "2.0", "id": 12, "method": "textDocument/documentSymbol", "params": {
            "textDocument": {"uri": uri}
        }}),
    );
    let symbols = c.until(|m| m["id"] == 12);
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme", "hz_vpc"], "{symbols}");
    // The diagnostic's suggestion as a quick fix.
    c.send(
        json!({"jsonrpc": "2.0", "id": 13, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": uri},
            "range": d["range"],
            "context": {"diagnostics": [d]}
        }}),
    );
    let actions = c.until(|m| m["id"] == 13);
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix", "{actions}");
    let change = &action["edit"]["changes"][uri.as_str()][0];
    assert_eq!(change["newText"], "192.168.0.0/16", "{actions}");
    assert_eq!(change["range"], d["range"], "{actions}");
    // Formatting is exactly `netlink fmt`.
    c.send(
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/formatting", "params": {
            "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}
        }}),
    );
    let formatted = c.until(|m| m["id"] == 2);
    let expected = netlink::format::format_source(BROKEN).unwrap();
    assert_eq!(
        formatted["result"][0]["newText"],
        expected.as_str(),
        "{formatted}"
    );
    // An unsaved edit counts: the fix clears the diagnostic.
    let fixed = BROKEN.replace("192.168.0.5/16", "192.168.0.0/16");
    c.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": fixed}]
        }}),
    );
    let cleared = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
    assert_eq!(cleared["params"]["diagnostics"], json!([]), "{cleared}");
    // A half-typed buffer is diagnosed, not fatal.
    c.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [{"text": "vpc half {\n  cidr = "}]
        }}),
    );
    let half = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
    assert!(
        !half["params"]["diagnostics"].as_array().unwrap().is_empty(),
        "{half}"
    );
    // Secondary labels become related information: the first of two `region`s.
    let twice = "vpc v {\n  region = cn-hangzhou\n  region = cn-shanghai\n}\n";
    c.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 4},
            "contentChanges": [{"text": twice}]
        }}),
    );
    let dup = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
    let related = dup["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "NL1009")
        .map(|d| d["relatedInformation"][0].clone())
        .unwrap_or_default();
    assert_eq!(related["message"], "first given here", "{dup}");
    assert_eq!(related["location"]["range"]["start"]["line"], 1, "{dup}");
    c.send(json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
    let down = c.until(|m| m["id"] == 3);
    assert!(down.get("error").is_none(), "{down}");
    c.send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let status = c.child.wait().unwrap();
    assert!(
        status.success(),
        "the server exits 0 after shutdown and exit"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_corpus_file_as_a_buffer_is_diagnosed_and_the_server_lives() {
    // A half-typed file is the normal case: every corpus case, and every prefix cut at a third
    // and two thirds of it, is sent as the buffer; each gets its diagnostics published.
    let dir = common::scratch("lsp_corpus");
    let file = dir.join("buffer.netlink");
    std::fs::write(&file, "").unwrap();
    let uri = format!("file://{}", file.display());
    let (mut c, _) = Client::open(&dir, &uri, "");
    let mut version = 1;
    for sub in ["fail", "pass"] {
        let mut paths: Vec<_> = std::fs::read_dir(common::root().join("tests/corpus").join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "netlink"))
            .collect();
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // NL0003's case is not UTF-8: an editor would not send it as text
            };
            let cuts = [text.len() / 3, 2 * text.len() / 3, text.len()];
            for cut in cuts {
                let mut at = cut;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                version += 1;
                c.send(
                    json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"text": &text[..at]}]
                    }}),
                );
                let m = c.until(|m| m["method"] == "textDocument/publishDiagnostics");
                assert!(m["params"]["diagnostics"].is_array(), "{}", path.display());
            }
        }
    }
    c.close();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn netlink_toml_acknowledges_in_the_editor_as_on_the_command_line() {
    // `netlink.toml` is a configuration, not a `.netlink` file; its `allow` silences the open
    // buffer's warning as `check` does. (NL2008: a whitelist open to every address.)
    let dir = common::scratch("lsp_toml");
    std::fs::write(
        dir.join("netlink.toml"),
        "[diagnostics]\nallow = [\"NL2008\"]\n",
    )
    .unwrap();
    let text = "account acme { uid = \"1234567890123456\" }\n\nvpc hz_vpc {\n  account = acme\n  region  = cn-hangzhou\n  cidr    = 192.168.0.0/16\n  vswitch hz_h { zone = cn-hangzhou-h  cidr = 192.168.6.0/24 }\n}\n\nrds orders_db {\n  vswitch = hz_vpc.hz_h\n  engine  = mysql\n}\n\nwhitelist orders_db_access {\n  target  = orders_db\n  entries = [0.0.0.0/0]\n}\n";
    let file = dir.join("main.netlink");
    std::fs::write(&file, text).unwrap();
    let check = common::run(&["check", "--error-format", "json", dir.to_str().unwrap()]);
    let on_cli: Vec<Value> = String::from_utf8_lossy(&check.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let uri = format!("file://{}", file.display());
    let (c, m) = Client::open(&dir, &uri, text);
    let codes: Vec<&str> = m["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    let cli_codes: Vec<&str> = on_cli.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&"NL2008"), "allowed: {codes:?}");
    assert!(
        !codes.iter().any(|c| c.starts_with("NL0")),
        "netlink.toml read as netlink: {codes:?}"
    );
    assert_eq!(codes, cli_codes, "the editor shows what check shows");
    c.close();
    let _ = std::fs::remove_dir_all(&dir);
}
