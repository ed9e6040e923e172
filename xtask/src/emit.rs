//! The declared types of the bindings, generated from the core's JSON Schemas
//! (`fleetops::schema`): Python TypedDicts and TypeScript interfaces of every result, and
//! TypeScript interfaces of every options argument.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// Property names as JavaScript sees them (the Node binding's rule, from the core).
pub fn camel(key: &str) -> String {
    fleetops::wire::camel_name(key)
}

fn pascal(word: &str) -> String {
    let c = camel(&word.replace([' ', '-'], "_"));
    let mut chars = c.chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq)]
pub enum Lang {
    Python,
    Ts,
}

/// One named type to emit: an object (fields) or an alias (a type expression).
enum Decl {
    Object { doc: String, base: Option<String>, fields: Vec<Field> },
    Alias { doc: String, expr: String },
}

struct Field {
    name: String,
    doc: String,
    ty: String,
    required: bool,
}

/// Turns schemas into type expressions of one language, naming inline objects as it goes.
struct Emitter<'a> {
    lang: Lang,
    defs: &'a Map<String, Value>,
    decls: BTreeMap<String, Decl>,
    /// Names in the order they may be declared (dependencies first, for Python's runtime).
    order: Vec<String>,
    visiting: BTreeSet<String>,
    /// Names declared in another file (imported there): used, never declared again.
    external: BTreeSet<String>,
}

impl<'a> Emitter<'a> {
    fn new(lang: Lang, defs: &'a Map<String, Value>) -> Self {
        Self {
            lang,
            defs,
            decls: BTreeMap::new(),
            order: Vec::new(),
            visiting: BTreeSet::new(),
            external: BTreeSet::new(),
        }
    }

    fn doc(schema: &Value) -> String {
        schema.get("description").and_then(Value::as_str).unwrap_or("").to_owned()
    }

    /// Declares the `$defs` entry `name` (once).
    fn named(&mut self, name: &str) -> String {
        if self.external.contains(name) {
            return name.to_owned();
        }
        if !self.decls.contains_key(name) && !self.visiting.contains(name) {
            self.visiting.insert(name.to_owned());
            let schema = self.defs.get(name).unwrap_or_else(|| panic!("no $defs entry {name}")).clone();
            let decl = self.decl(name, &schema);
            self.decls.insert(name.to_owned(), decl);
            self.order.push(name.to_owned());
        }
        name.to_owned()
    }

    fn decl(&mut self, name: &str, schema: &Value) -> Decl {
        let doc = Self::doc(schema);
        if schema.get("properties").is_some() {
            let (base, fields) = self.object(name, schema);
            return Decl::Object { doc, base, fields };
        }
        Decl::Alias { doc, expr: self.expr(schema, name) }
    }

    /// An object's base (declared first) and the fields it adds to it.
    fn object(&mut self, owner: &str, schema: &Value) -> (Option<String>, Vec<Field>) {
        let Some(base) = schema.get("x-extends").and_then(Value::as_str) else {
            return (None, self.fields(owner, schema));
        };
        let base = self.named(base);
        let inherited: BTreeSet<String> =
            self.defs[&base]["properties"].as_object().into_iter().flatten().map(|(k, _)| k.clone()).collect();
        let mut own = schema.clone();
        if let Some(props) = own.get_mut("properties").and_then(Value::as_object_mut) {
            props.retain(|k, _| !inherited.contains(k));
        }
        (Some(base), self.fields(owner, &own))
    }

    fn fields(&mut self, owner: &str, schema: &Value) -> Vec<Field> {
        let required: BTreeSet<&str> =
            schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let props = schema["properties"].as_object().expect("properties");
        let keep_case = schema.get("x-keep-case") == Some(&Value::Bool(true));
        props
            .iter()
            .map(|(key, sub)| Field {
                name: if self.lang == Lang::Ts && !keep_case { camel(key) } else { key.clone() },
                doc: Self::doc(sub),
                ty: self.expr(sub, &format!("{owner}{}", pascal(key))),
                required: required.contains(key.as_str()),
            })
            .collect()
    }

    /// Declares an inline object under `hint` and returns its name.
    fn inline_object(&mut self, hint: &str, schema: &Value) -> String {
        let mut name = hint.to_owned();
        let mut n = 2;
        while self.decls.contains_key(&name) || self.defs.contains_key(&name) {
            name = format!("{hint}{n}");
            n += 1;
        }
        let (base, fields) = self.object(&name, schema);
        let decl = Decl::Object { doc: Self::doc(schema), base, fields };
        self.decls.insert(name.clone(), decl);
        self.order.push(name.clone());
        name
    }

    fn union(&self, mut parts: Vec<String>) -> String {
        parts.dedup();
        // `Literal["a"] | Literal["b"]` reads better as `Literal["a", "b"]`.
        let literals: Option<Vec<&str>> =
            parts.iter().map(|p| p.strip_prefix("Literal[").and_then(|p| p.strip_suffix(']'))).collect();
        match literals {
            Some(l) if self.lang == Lang::Python && l.len() > 1 => format!("Literal[{}]", l.join(", ")),
            _ => parts.join(" | "),
        }
    }

    fn literal(&self, v: &Value) -> String {
        let s = v.as_str().expect("string literal");
        match self.lang {
            Lang::Python => format!("Literal[{}]", serde_json::to_string(s).unwrap()),
            Lang::Ts => format!("'{s}'"),
        }
    }

    fn primitive(&self, t: &str) -> String {
        let (py, ts) = match t {
            "string" => ("str", "string"),
            "integer" => ("int", "number"),
            "number" => ("float", "number"),
            "boolean" => ("bool", "boolean"),
            "null" => ("None", "null"),
            other => panic!("type {other}"),
        };
        if self.lang == Lang::Python { py } else { ts }.to_owned()
    }

    fn any(&self) -> String {
        if self.lang == Lang::Python { "object" } else { "unknown" }.to_owned()
    }

    fn expr(&mut self, schema: &Value, hint: &str) -> String {
        let Value::Object(s) = schema else { return self.any() };
        // What JSON Schema cannot say (a `Date`, a typed array, a class instance).
        if let (Lang::Ts, Some(Value::String(ts))) = (self.lang, s.get("x-typescript")) {
            return ts.clone();
        }
        if let Some(Value::String(r)) = s.get("$ref") {
            return self.named(r.trim_start_matches("#/$defs/"));
        }
        if let Some(c) = s.get("const") {
            return self.literal(c);
        }
        if let Some(Value::Array(values)) = s.get("enum") {
            let parts = values.iter().map(|v| self.literal(v)).collect();
            return self.union(parts);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(variants)) = s.get(key) {
                let parts = variants
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let tag = v["properties"]
                            .as_object()
                            .and_then(|p| p.values().find_map(|f| f.get("const").and_then(Value::as_str).map(pascal)));
                        let variant = match tag {
                            Some(tag) => format!("{hint}{tag}"),
                            None if v.get("properties").is_some() => format!("{hint}Object"),
                            None => format!("{hint}{}", i + 1),
                        };
                        self.expr(v, &variant)
                    })
                    .collect();
                return self.union(parts);
            }
        }
        if s.get("properties").is_some() {
            return self.inline_object(hint, schema);
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return self.any(),
        };
        let parts = types
            .iter()
            .map(|t| match *t {
                "array" => {
                    if let Some(Value::Array(items)) = s.get("prefixItems") {
                        let items: Vec<String> = items.iter().map(|i| self.expr(i, hint)).collect();
                        match self.lang {
                            Lang::Python => format!("tuple[{}]", items.join(", ")),
                            Lang::Ts => format!("[{}]", items.join(", ")),
                        }
                    } else {
                        let item = match s.get("items") {
                            Some(i) => self.expr(i, &format!("{hint}Item")),
                            None => self.any(),
                        };
                        match self.lang {
                            Lang::Python => format!("list[{item}]"),
                            Lang::Ts if item.contains(' ') => format!("Array<{item}>"),
                            Lang::Ts => format!("{item}[]"),
                        }
                    }
                }
                "object" => {
                    let value = match s.get("additionalProperties") {
                        Some(v @ Value::Object(_)) => self.expr(v, &format!("{hint}Value")),
                        _ => self.any(),
                    };
                    match self.lang {
                        Lang::Python => format!("dict[str, {value}]"),
                        Lang::Ts => format!("Record<string, {value}>"),
                    }
                }
                t => self.primitive(t),
            })
            .collect();
        self.union(parts)
    }
}

fn comment(prefix: &str, doc: &str) -> String {
    doc.lines()
        .map(|l| {
            format!("{prefix}{}\n", l.trim_end()).replace(&format!("{prefix}\n"), &format!("{}\n", prefix.trim_end()))
        })
        .collect()
}

const PY_KEYWORDS: &[&str] = &["class", "from", "import", "def", "return", "in", "is", "not", "and", "or", "global"];

/// A docstring's text: one paragraph, no trailing quote trouble.
fn docstring(doc: &str) -> String {
    let text = doc.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        "A fleetops result.".to_owned()
    } else {
        text.replace('"', "'")
    }
}

/// Words wrapped at `width`, continuation lines indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().unwrap();
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join(&format!("\n{indent}"))
}

/// Every declaration of one language, and each call's result type in it.
fn declare(lang: Lang, schema: &Value) -> (Emitter<'_>, BTreeMap<String, String>) {
    let defs = schema["$defs"].as_object().unwrap();
    let mut e = Emitter::new(lang, defs);
    let mut returns = BTreeMap::new();
    for (call, s) in schema["returns"].as_object().unwrap() {
        returns.insert(call.clone(), e.expr(s, &pascal(call)));
    }
    for name in defs.keys() {
        e.named(name);
    }
    (e, returns)
}

/// `results.py` and each call's result annotation.
pub fn python(schema: &Value) -> (String, BTreeMap<String, String>) {
    let (e, returns) = declare(Lang::Python, schema);
    let mut out = String::from(
        "\"\"\"The result of every fleetops call, as TypedDicts: the plain dicts the calls return.\n\n\
         Generated from the core's result types by ``cargo xtask codegen``; do not edit. Import them for\n\
         annotations:\n\
         ``from fleetops.results import SloStatus``.\n\"\"\"\n\n\
         from typing import Literal, NotRequired, TypeAlias, TypedDict\n",
    );
    let mut names = Vec::new();
    for (i, name) in e.order.iter().enumerate() {
        names.push(name.clone());
        // isort wants one blank line between the imports and an assignment, PEP 8 two between
        // top-level definitions.
        let alias = matches!(e.decls[name], Decl::Alias { .. });
        out.push_str(if i == 0 && alias { "\n" } else { "\n\n" });
        match &e.decls[name] {
            Decl::Alias { doc, expr } => {
                out.push_str(&comment("# ", doc));
                let line = format!("{name}: TypeAlias = {expr}");
                if line.len() <= 120 {
                    out.push_str(&line);
                    out.push('\n');
                } else {
                    out.push_str(&format!("{name}: TypeAlias = (\n    {}\n)\n", expr.replace(" | ", "\n    | ")));
                }
            }
            // Class syntax, unless a key is a Python keyword (`class`): then the functional form.
            Decl::Object { doc, base, fields } if fields.iter().all(|f| !PY_KEYWORDS.contains(&f.name.as_str())) => {
                out.push_str(&format!("class {name}({}):\n", base.as_deref().unwrap_or("TypedDict")));
                out.push_str(&format!("    \"\"\"{}\"\"\"\n", wrap(&docstring(doc), 110, "    ")));
                out.push('\n');
                for f in fields {
                    out.push_str(&comment("    # ", &f.doc));
                    let ty = if f.required { f.ty.clone() } else { format!("NotRequired[{}]", f.ty) };
                    out.push_str(&format!("    {}: {ty}\n", f.name));
                }
            }
            Decl::Object { doc, fields, .. } => {
                out.push_str(&comment("# ", doc));
                out.push_str(&format!("{name} = TypedDict(\n    \"{name}\",\n    {{\n"));
                for f in fields {
                    out.push_str(&comment("        # ", &f.doc));
                    let ty = if f.required { f.ty.clone() } else { format!("NotRequired[{}]", f.ty) };
                    out.push_str(&format!("        \"{}\": {ty},\n", f.name));
                }
                out.push_str("    },\n)\n");
            }
        }
    }
    out.push_str("\n\n__all__ = [\n");
    names.sort();
    for n in names {
        out.push_str(&format!("    \"{n}\",\n"));
    }
    out.push_str("]\n");
    (out, returns)
}

/// Every declaration of `e`, as TypeScript.
fn ts_declarations(e: &Emitter<'_>, out: &mut String) {
    for name in &e.order {
        out.push('\n');
        match &e.decls[name] {
            Decl::Alias { doc, expr } => {
                out.push_str(&format!("/** {} */\nexport type {name} = {expr}\n", doc.replace('\n', " ")));
            }
            Decl::Object { doc, base, fields } => {
                let extends = base.as_ref().map(|b| format!(" extends {b}")).unwrap_or_default();
                out.push_str(&format!("/** {} */\nexport interface {name}{extends} {{\n", doc.replace('\n', " ")));
                for f in fields {
                    if !f.doc.is_empty() {
                        out.push_str(&format!("  /** {} */\n", f.doc.replace('\n', " ")));
                    }
                    let opt = if f.required { "" } else { "?" };
                    out.push_str(&format!("  {}{opt}: {}\n", f.name, f.ty));
                }
                out.push_str("}\n");
            }
        }
    }
}

/// `results.d.ts`, each call's result type, and the names it declares.
pub fn typescript(schema: &Value) -> (String, BTreeMap<String, String>, Vec<String>) {
    let (e, returns) = declare(Lang::Ts, schema);
    let mut out = String::from(
        "/**\n * The result of every fleetops call (camelCase fields; map keys such as table names stay as\n \
         * they are). Generated from the core's result types by `cargo xtask codegen`; do not edit.\n */\n",
    );
    ts_declarations(&e, &mut out);
    (out, returns, e.order.clone())
}

/// `options.d.ts` (every options argument, by its name in `index.d.ts`) and the names it
/// declares; the types `results.d.ts` declares already are imported from it.
pub fn options_typescript(schema: &Value, results: &[String]) -> (String, Vec<String>) {
    let defs = schema["$defs"].as_object().expect("$defs");
    let mut e = Emitter::new(Lang::Ts, defs);
    e.external = results.iter().cloned().collect();
    for (name, s) in schema["options"].as_object().expect("options") {
        let decl = match s.get("$ref").and_then(Value::as_str) {
            Some(r) if r.trim_start_matches("#/$defs/") == name => {
                e.named(name);
                continue;
            }
            Some(r) => {
                // An alias reads as the type it names.
                let doc = defs.get(r.trim_start_matches("#/$defs/")).map(Emitter::doc).unwrap_or_default();
                Decl::Alias { doc, expr: e.expr(s, name) }
            }
            None => e.decl(name, s),
        };
        e.decls.insert(name.clone(), decl);
        e.order.push(name.clone());
    }
    let used: Vec<&String> = results.iter().filter(|n| e.external.contains(*n)).collect();
    let mut out = format!(
        "/**\n * The options of every fleetops call (camelCase fields). Generated from the core's spec types\n \
         * by `cargo xtask codegen`; do not edit.\n */\n\
         import type {{ {} }} from './results'\n\
         import type {{ LoadSchedule }} from './index'\n",
        used.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")
    );
    ts_declarations(&e, &mut out);
    (out, e.order.clone())
}

/// The header napi puts on `index.d.ts`: brings the result and option types into its scope and
/// re-exports them.
pub fn dts_header(results: &[String], options: &[String]) -> String {
    format!(
        "/* auto-generated by NAPI-RS */\n/* eslint-disable */\n\
         // The result and option types (results.d.ts, options.d.ts: `cargo xtask codegen`).\n\
         import type {{ {} }} from './results'\nimport type {{ {} }} from './options'\n\
         export type * from './results'\nexport type * from './options'\n",
        results.join(", "),
        options.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_javascript_sees() {
        assert_eq!(camel("p999_ms"), "p999Ms");
        assert_eq!(camel("estimated_fpr"), "estimatedFpr");
        assert_eq!(pascal("insufficient_history"), "InsufficientHistory");
        assert_eq!(pascal("runtime error"), "RuntimeError");
    }
}
