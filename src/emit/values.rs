//! A step's values as each output shows them; every user string escaped for where it lands.

use crate::plan::Val;
use crate::text;

/// For a terminal or the text diff: user strings in backticks, control characters escaped.
pub fn term(v: &Val) -> String {
    match v {
        Val::Text(t) => format!("`{}`", text::term(t)),
        Val::List(l) => l
            .iter()
            .map(|x| format!("`{}`", text::term(x)))
            .collect::<Vec<_>>()
            .join(", "),
        Val::Output { step, output } => {
            format!("(the {output} from step `{}`)", text::term(step))
        }
    }
}

/// For Markdown text: each user string a code span.
pub fn markdown(v: &Val) -> String {
    match v {
        Val::Text(t) => text::md_code(t),
        Val::List(l) => l
            .iter()
            .map(|x| text::md_code(x))
            .collect::<Vec<_>>()
            .join(", "),
        Val::Output { step, output } => {
            format!("(the {output} from step {})", text::md_code(step))
        }
    }
}

/// For a GFM table cell: as [`markdown`], with `|` escaped.
pub fn cell(v: &Val) -> String {
    markdown(v).replace('|', "\\|")
}
