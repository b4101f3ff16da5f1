//! The workflow files the simulator serves, read with `serde_yaml_ng` into a small tree that
//! keeps the file's key order. A file that is not valid YAML is an error, as on GitHub.

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

/// Parses a YAML document.
///
/// # Errors
/// The parser's message when the text is not valid YAML.
pub fn parse(text: &str) -> Result<Yaml, String> {
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| e.to_string())?;
    Ok(convert(value))
}

fn convert(v: serde_yaml_ng::Value) -> Yaml {
    use serde_yaml_ng::Value;
    match v {
        Value::Null => Yaml::Null,
        Value::Bool(b) => Yaml::Str(b.to_string()),
        Value::Number(n) => Yaml::Str(n.to_string()),
        Value::String(s) => Yaml::Str(s),
        Value::Sequence(items) => Yaml::Seq(items.into_iter().map(convert).collect()),
        Value::Mapping(m) => Yaml::Map(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match convert(k) {
                        Yaml::Str(s) => s,
                        Yaml::Null => "null".to_owned(),
                        other => format!("{other:?}"),
                    };
                    (key, convert(v))
                })
                .collect(),
        ),
        Value::Tagged(t) => convert(t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_scalars_keep_lines() {
        let doc = parse("a:\n  run: |\n    one\n\n      two\n  b: x\n").expect("valid");
        let a = doc.get("a").expect("a");
        assert_eq!(a.get("run").and_then(Yaml::as_str), Some("one\n\n  two\n"));
        assert_eq!(a.get("b").and_then(Yaml::as_str), Some("x"));
    }

    #[test]
    fn keys_keep_file_order_and_scalars_read_as_text() {
        let doc = parse("z: 1\na: true\nm: [x, 2]\n").expect("valid");
        let Yaml::Map(m) = &doc else {
            panic!("a map: {doc:?}");
        };
        let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        assert_eq!(doc.get("a").and_then(Yaml::as_str), Some("true"));
        assert_eq!(
            doc.get("m").map(Yaml::as_list),
            Some(vec!["x".to_owned(), "2".to_owned()])
        );
    }
}
