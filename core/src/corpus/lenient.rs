//! The second, lenient pass over a file whose typed parse failed: serde stops at the
//! first error of a document, so the file is read again into a tree of plain values with
//! their places and checked against its JSON Schema (the one `positions schema` writes,
//! derived from the same types), so that every unknown key, missing key, value of the
//! wrong shape and value outside a fixed set is reported in one run. It runs only when
//! the typed parse fails: a valid corpus never pays for it.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;

use super::schema::{FileKind, schema};

/// A value as written, without its meaning.
enum Node {
    Text(String),
    Number,
    Bool,
    Null,
    List(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Number)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Bool)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// One problem found: a message worded as the typed parse words it (so that the same
/// hints apply), and its place (1-based).
pub(super) struct Problem {
    pub(super) message: String,
    pub(super) line: u32,
    pub(super) column: u32,
}

/// Every problem of the shape of `text` as a file of `kind`; empty when the text cannot
/// be read as YAML at all (the typed parse's error says why).
pub(super) fn problems(text: &str, kind: FileKind, mut options: serde_saphyr::Options) -> Vec<Problem> {
    // A corpus file nests a few levels deep; the tree of a deeper one is not built (its
    // recursion would cost stack on the checking threads), and the typed error stands.
    if let Some(budget) = options.budget.as_mut() {
        budget.max_depth = MAX_TREE_DEPTH;
    }
    let Ok(root) = serde_saphyr::from_str_with_options::<Spanned<Node>>(text, options) else {
        return Vec::new();
    };
    let schema = schema(kind);
    let mut walk = Walk {
        definitions: schema.get("definitions"),
        problems: Vec::new(),
    };
    walk.check(&schema, &root, "the file", 0);
    walk.problems.sort_by_key(|p| (p.line, p.column));
    walk.problems
}

struct Walk<'s> {
    definitions: Option<&'s Value>,
    problems: Vec<Problem>,
}

fn place(node: &Spanned<Node>) -> (u32, u32) {
    let at = node.referenced;
    (at.line() as u32, at.column() as u32)
}

fn kind_name(node: &Node) -> &'static str {
    match node {
        Node::Text(_) => "a text",
        Node::Number => "a number",
        Node::Bool => "true or false",
        Node::Null => "nothing",
        Node::List(_) => "a list",
        Node::Map(_) => "a mapping",
    }
}

/// Does `node` have the JSON Schema type `ty`? Texts that read as numbers or booleans
/// count as those: the typed parse decides how plain scalars are read.
fn has_type(node: &Node, ty: &str) -> bool {
    match (ty, node) {
        ("string", Node::Text(_) | Node::Number | Node::Bool) => true,
        ("number" | "integer", Node::Number) => true,
        ("number" | "integer", Node::Text(t)) => t.trim().parse::<f64>().is_ok(),
        ("boolean", Node::Bool) => true,
        ("boolean", Node::Text(t)) => t == "true" || t == "false",
        ("null", Node::Null) => true,
        ("array", Node::List(_)) => true,
        ("object", Node::Map(_)) => true,
        _ => false,
    }
}

/// Deeper than any corpus: a schema that refers to itself cannot loop.
const MAX_DEPTH: usize = 64;

/// The deepest tree the lenient pass builds; corpus files nest at most six levels.
const MAX_TREE_DEPTH: usize = 16;

impl<'s> Walk<'s> {
    fn resolve(&self, schema: &'s Value) -> &'s Value {
        let mut schema = schema;
        for _ in 0..8 {
            let Some(name) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/definitions/"))
            else {
                break;
            };
            match self.definitions.and_then(|d| d.get(name)) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn push(&mut self, node: &Spanned<Node>, message: String) {
        let (line, column) = place(node);
        self.problems.push(Problem { message, line, column });
    }

    /// Would `node` pass `schema` without a problem?
    fn fits(&self, schema: &'s Value, node: &Spanned<Node>, depth: usize) -> bool {
        let mut trial = Walk {
            definitions: self.definitions,
            problems: Vec::new(),
        };
        trial.check(schema, node, "", depth);
        trial.problems.is_empty()
    }

    /// Check `node`, the value of `key`, against `schema`.
    fn check(&mut self, schema: &'s Value, node: &Spanned<Node>, key: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.check(part, node, key, depth + 1);
            }
        }
        let any = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array);
        if let Some(alternatives) = any {
            if !alternatives.iter().any(|a| self.fits(a, node, depth + 1)) {
                // Check against the alternative of the node's shape, so that the problem
                // is the one inside it; else say what shapes are allowed. Alternatives
                // that only require keys (options or scale) are left to the typed checks.
                let typed = alternatives.iter().any(|a| self.resolve(a).get("type").is_some());
                let same_shape = alternatives.iter().find(|a| {
                    let a = self.resolve(a);
                    a.get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|t| has_type(&node.value, t))
                });
                match same_shape {
                    Some(alternative) => self.check(alternative, node, key, depth + 1),
                    None if typed => self.wrong_type(schema, node, key),
                    None => {}
                }
            }
            if schema.get("type").is_none() {
                return;
            }
        }
        if let Some(ty) = schema.get("type") {
            let fits = match ty {
                Value::String(t) => has_type(&node.value, t),
                Value::Array(types) => types.iter().filter_map(Value::as_str).any(|t| has_type(&node.value, t)),
                _ => true,
            };
            if !fits {
                self.wrong_type(schema, node, key);
                return;
            }
        }
        if let (Some(allowed), Node::Text(text)) = (schema.get("enum").and_then(Value::as_array), &node.value) {
            let allowed: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
            if !allowed.contains(&text.as_str()) {
                self.push(
                    node,
                    format!("unknown variant `{text}`, expected one of {}", allowed.join(", ")),
                );
            }
        }
        match &node.value {
            Node::List(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.check(item_schema, item, key, depth + 1);
                    }
                }
            }
            Node::Map(entries) => self.check_map(schema, node, entries, depth),
            _ => {}
        }
    }

    fn check_map(
        &mut self,
        schema: &'s Value,
        node: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        depth: usize,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        let extra = schema.get("additionalProperties");
        let mut present = Vec::with_capacity(entries.len());
        let mut unknown = Vec::new();
        for (key, value) in entries {
            let Node::Text(name) = &key.value else { continue };
            present.push(name.as_str());
            match properties.and_then(|p| p.get(name)) {
                Some(property) => self.check(property, value, name, depth + 1),
                None => match extra {
                    Some(Value::Bool(false)) => {
                        unknown.push(name.as_str());
                        let known: Vec<&str> = properties
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        self.push(
                            key,
                            format!("unknown field `{name}`, expected one of {}", known.join(", ")),
                        );
                    }
                    Some(extra @ Value::Object(_)) => self.check(extra, value, name, depth + 1),
                    _ => {}
                },
            }
        }
        let required = schema.get("required").and_then(Value::as_array);
        for field in required.into_iter().flatten().filter_map(Value::as_str) {
            // A misspelt key is reported as unknown, not also its right spelling as missing.
            let misspelt = unknown.iter().any(|u| crate::suggest::closest(u, [field]).is_some());
            if !present.contains(&field) && !misspelt {
                let at = entries.first().map_or(node, |(key, _)| key);
                self.push(at, format!("missing field `{field}`"));
            }
        }
    }

    fn wrong_type(&mut self, schema: &'s Value, node: &Spanned<Node>, key: &str) {
        let expected = match schema.get("type") {
            Some(Value::String(t)) => describe_type(t).to_string(),
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .map(describe_type)
                .collect::<Vec<_>>()
                .join(" or "),
            _ => schema
                .get("description")
                .and_then(Value::as_str)
                .map_or_else(|| "another kind of value".to_string(), str::to_string),
        };
        let message = match (&node.value, expected.as_str()) {
            (Node::Text(text), "a list") => format!("invalid type: string \"{text}\", expected a list"),
            (Node::Text(text), e) if e.starts_with("A list") => {
                format!("invalid type: string \"{text}\", expected a list of option ids, or a range")
            }
            (found, _) => format!("`{key}` is {}, but it holds {expected}", kind_name(found)),
        };
        self.push(node, message);
    }
}

fn describe_type(ty: &str) -> &'static str {
    match ty {
        "string" => "a text",
        "number" | "integer" => "a number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "a mapping",
        _ => "a value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::layout;

    /// The lenient pass finds nothing in files the typed parse accepts: every file of the
    /// built-in corpus and of the examples.
    #[test]
    fn valid_files_have_no_problems() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut checked = 0;
        for corpus in ["positions", "tests/fixtures/valid"] {
            let dir = root.join(corpus);
            let mut paths = vec![dir.join(layout::ISSUES), dir.join(layout::RELATIONS)];
            for sub in [layout::PARTIES, layout::PLANS] {
                if let Ok(entries) = std::fs::read_dir(dir.join(sub)) {
                    paths.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
                }
            }
            for path in paths {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let relative = path.strip_prefix(&dir).map(|p| p.to_string_lossy().replace('\\', "/"));
                let Some(kind) = relative.ok().and_then(|r| layout::kind_of(&r)) else {
                    continue;
                };
                let found = problems(&text, kind, crate::corpus::yaml_options());
                let messages: Vec<String> = found
                    .iter()
                    .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
                    .collect();
                assert!(messages.is_empty(), "{}: {messages:?}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 5, "only {checked} files checked");
    }
}
