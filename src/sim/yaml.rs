//! A tiny block-style YAML reader, enough for the workflow files the simulator serves.
//!
//! Supports maps, sequences (including `- key: value` items), plain and quoted scalars,
//! flow sequences (`[a, b]`), `|`/`>` block scalars and comments. Anchors, flow maps and
//! multi-document streams are not supported; the simulator only reads files it ships.

/// A parsed YAML node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yaml {
    /// A mapping, in file order.
    Map(Vec<(String, Yaml)>),
    /// A sequence.
    Seq(Vec<Yaml>),
    /// Any scalar, as text.
    Str(String),
    /// An empty value.
    Null,
}

impl Yaml {
    /// The value under `key` when this is a map.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Scalars and sequences of scalars as a list of strings.
    pub fn as_list(&self) -> Vec<String> {
        match self {
            Yaml::Str(s) => vec![s.clone()],
            Yaml::Seq(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Parses a YAML document (block style subset).
pub fn parse(text: &str) -> Yaml {
    let mut p = Parser {
        lines: text
            .lines()
            .map(|l| {
                let trimmed = l.trim_start_matches(' ');
                (l.len() - trimmed.len(), trimmed.trim_end().to_owned())
            })
            .collect(),
        i: 0,
    };
    p.node(0)
}

struct Parser {
    lines: Vec<(usize, String)>,
    i: usize,
}

impl Parser {
    /// Skips blank and comment lines; returns the indent and text of the next line.
    fn peek(&mut self) -> Option<(usize, String)> {
        while let Some((ind, text)) = self.lines.get(self.i) {
            if text.is_empty() || text.starts_with('#') || text == "---" {
                self.i += 1;
                continue;
            }
            return Some((*ind, text.clone()));
        }
        None
    }

    fn node(&mut self, min_indent: usize) -> Yaml {
        match self.peek() {
            Some((ind, text)) if ind >= min_indent => {
                if is_seq_item(&text) {
                    self.seq(ind)
                } else {
                    self.map(ind)
                }
            }
            _ => Yaml::Null,
        }
    }

    fn map(&mut self, ind: usize) -> Yaml {
        let mut entries = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != ind || is_seq_item(&text) {
                break;
            }
            let Some((key, value)) = split_key(&text) else {
                break;
            };
            self.i += 1;
            let value = strip_comment(value);
            let node = if value.is_empty() {
                match self.peek() {
                    Some((ni, nt)) if ni > ind || (ni == ind && is_seq_item(&nt)) => self.node(ni),
                    _ => Yaml::Null,
                }
            } else if is_block_indicator(value) {
                self.block_scalar(ind, value.starts_with('>'))
            } else {
                scalar(value)
            };
            entries.push((unquote(key), node));
        }
        Yaml::Map(entries)
    }

    fn seq(&mut self, ind: usize) -> Yaml {
        let mut items = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != ind || !is_seq_item(&text) {
                break;
            }
            let rest = text[1..].trim_start();
            if rest.is_empty() {
                self.i += 1;
                items.push(self.node(ind + 1));
            } else if split_key(rest).is_some() {
                // `- key: value` starts a map whose indent is where `key` begins.
                let inner = ind + (text.len() - rest.len());
                self.lines[self.i] = (inner, rest.to_owned());
                items.push(self.map(inner));
            } else {
                self.i += 1;
                items.push(scalar(strip_comment(rest)));
            }
        }
        Yaml::Seq(items)
    }

    fn block_scalar(&mut self, parent_indent: usize, folded: bool) -> Yaml {
        let mut raw: Vec<(usize, String)> = Vec::new();
        while let Some((ind, text)) = self.lines.get(self.i) {
            if !text.is_empty() && *ind <= parent_indent {
                break;
            }
            raw.push((*ind, text.clone()));
            self.i += 1;
        }
        while raw.last().is_some_and(|(_, t)| t.is_empty()) {
            raw.pop();
        }
        let base = raw
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(i, _)| *i)
            .min()
            .unwrap_or(0);
        let lines: Vec<String> = raw
            .iter()
            .map(|(i, t)| {
                if t.is_empty() {
                    String::new()
                } else {
                    format!("{}{}", " ".repeat(i - base), t)
                }
            })
            .collect();
        let sep = if folded { " " } else { "\n" };
        let mut s = lines.join(sep);
        s.push('\n');
        Yaml::Str(s)
    }
}

fn is_seq_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

fn is_block_indicator(v: &str) -> bool {
    matches!(v, "|" | "|-" | "|+" | ">" | ">-" | ">+")
}

/// Splits `key: value` (or `key:`) outside quotes.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => {
                return Some((text[..i].trim(), text[i + 1..].trim()));
            }
            None => {}
        }
    }
    None
}

/// Removes a trailing ` # comment` that is not inside quotes.
fn strip_comment(v: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in v.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == '#' && prev_space => return v[..i].trim_end(),
            None => {}
        }
        prev_space = c == ' ';
    }
    v
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        v[1..v.len() - 1].to_owned()
    } else {
        v.to_owned()
    }
}

fn scalar(v: &str) -> Yaml {
    let v = v.trim();
    if v.starts_with('[') && v.ends_with(']') {
        let inner = &v[1..v.len() - 1];
        return Yaml::Seq(
            inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Yaml::Str(unquote(s)))
                .collect(),
        );
    }
    if v == "~" || v == "null" {
        return Yaml::Null;
    }
    Yaml::Str(unquote(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_scalars_keep_lines() {
        let doc = parse("a:\n  run: |\n    one\n\n      two\n  b: x\n");
        let a = doc.get("a").expect("a");
        assert_eq!(a.get("run").and_then(Yaml::as_str), Some("one\n\n  two\n"));
        assert_eq!(a.get("b").and_then(Yaml::as_str), Some("x"));
    }
}
