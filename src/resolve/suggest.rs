//! "did you mean": the closest candidate by edit distance.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1) + usize::from(word.len() > 8);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let d = strsim::damerau_levenshtein(word, c);
        let prefix = c.starts_with(word) || word.starts_with(c);
        if d <= limit || (prefix && word.len() >= 3) {
            // Ties go to the alphabetically first candidate, so output is stable.
            let better = match best {
                None => true,
                Some((bd, bc)) => d < bd || (d == bd && c < bc),
            };
            if better {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// A help line suggesting `candidate`, or `fallback`.
pub fn help_line(candidate: Option<&str>, fallback: impl Into<String>) -> String {
    match candidate {
        Some(c) => format!("did you mean `{c}`?"),
        None => fallback.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_names() {
        assert_eq!(did_you_mean("hz_vcp", ["hz_vpc", "sh_vpc"]), Some("hz_vpc"));
        assert_eq!(
            did_you_mean("servrless", ["serverless", "exclusive"]),
            Some("serverless")
        );
        assert_eq!(did_you_mean("zzz", ["hz_vpc"]), None);
    }
}
