//! The `Serialize`, `Deserialize` and `JsonSchema` impls of the generated
//! types, written out instead of derived.
//!
//! A derive expands to a hundred lines or more per type (field visitors,
//! sequence forms, schema builders), and with thousands of metrics the
//! client crate took minutes and gigabytes to type-check. These impls are a
//! few lines per type and per field, calling the shared functions of
//! `values.rs` (`choice_*`, `FieldIndex`, `field_*`, `object_schema`), and
//! keep what the derives did: the same JSON, `deny_unknown_fields`, the same
//! error messages, the same schemas (the crate's `schema_contract` test
//! compares them with the files [`super::schema`] computes).

use std::fmt::Write as _;

use super::code::{doc_metadata, lit};

/// A fieldless enum (an event's name): its variants and the names they
/// are sent as. The enum and set fields' values are `values::Listed` and
/// `values::Member`, whose impls are generic.
pub struct Choice<'a> {
    pub name: &'a str,
    pub variants: &'a [String],
    pub names: &'a [&'a str],
    /// The type's doc comment.
    pub doc: &'a str,
}

impl Choice<'_> {
    pub fn write(&self, out: &mut String) {
        let name = self.name;
        let _ = writeln!(out, "\nimpl Choice for {name} {{");
        let all: Vec<String> = self.variants.iter().map(|v| format!("Self::{v}")).collect();
        let _ = writeln!(
            out,
            "    const ALL: &'static [Self] = &[{}];",
            all.join(", ")
        );
        let names: Vec<String> = self.names.iter().map(|n| lit(n)).collect();
        let _ = writeln!(
            out,
            "    const NAMES: &'static [&'static str] = &[{}];\n}}",
            names.join(", ")
        );
        let _ = writeln!(
            out,
            "\nimpl serde::Serialize for {name} {{\n    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{\n        s.serialize_str(Self::NAMES[*self as usize])\n    }}\n}}"
        );
        let _ = writeln!(
            out,
            "\nimpl<'de> serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n        choice_deserialize(d)\n    }}\n}}"
        );
        let (_, description) = doc_metadata(self.doc);
        schema_impl_head(out, name);
        let _ = writeln!(
            out,
            "        choice_schema(Self::NAMES, None, {})\n    }}\n}}",
            lit(&description)
        );
    }
}

/// A field of a generated struct.
pub struct Field<'a> {
    /// The key it is sent under.
    pub key: &'a str,
    /// The Rust field name.
    pub ident: &'a str,
    /// The Rust type, `Option<…>` included for an optional field.
    pub ty: &'a str,
    /// Left out of the JSON when `None` (and `None` when absent).
    pub optional: bool,
    /// Its doc comment.
    pub doc: &'a str,
}

/// A struct whose fields are sent as a JSON object, unknown keys refused.
pub struct Record<'a> {
    pub name: &'a str,
    /// `#[schemars(title = …)]`, when the schema's title is not the doc's.
    pub title: Option<&'a str>,
    /// The type's doc comment.
    pub doc: &'a str,
    pub fields: &'a [Field<'a>],
}

/// The most fields read and written as a tuple (`values::MAX_TUPLE_FIELDS`).
const MAX_TUPLE_FIELDS: usize = 16;

impl Record<'_> {
    /// A record's fields are all required (a metric, an event's envelope)
    /// or all optional (an event's metrics, a map's keys).
    pub fn write(&self, out: &mut String) {
        if self.fields.iter().all(|f| f.optional) {
            self.optional_serde(out);
        } else {
            assert!(
                self.fields.iter().all(|f| !f.optional),
                "{}: a record's fields are all required or all optional",
                self.name
            );
            if self.fields.len() <= MAX_TUPLE_FIELDS {
                self.tuple_serde(out);
            } else {
                self.serialize(out);
                self.deserialize(out);
            }
        }
        self.schema(out);
    }

    /// Through `values::OptionalFields`: a match arm and a line per field.
    /// `PartialEq` too: derived, it is one `&&` chain, and rustc overflows
    /// its stack on an event of 10,000 metrics.
    fn optional_serde(&self, out: &mut String) {
        let name = self.name;
        let _ = writeln!(
            out,
            "\nimpl PartialEq for {name} {{\n    fn eq(&self, other: &Self) -> bool {{"
        );
        for f in self.fields {
            let _ = writeln!(
                out,
                "        if self.{0} != other.{0} {{\n            return false;\n        }}",
                f.ident
            );
        }
        if self.fields.is_empty() {
            out.push_str("        let _ = other;\n");
        }
        out.push_str("        true\n    }\n}\n");
        let keys: Vec<String> = self.fields.iter().map(|f| lit(f.key)).collect();
        let _ = writeln!(out, "\nimpl OptionalFields for {name} {{");
        let _ = writeln!(out, "    const NAME: &'static str = {};", lit(name));
        let _ = writeln!(
            out,
            "    const FIELDS: &'static [&'static str] = &[{}];",
            keys.join(", ")
        );
        out.push_str("    fn read<'de, A: serde::de::MapAccess<'de>>(&mut self, i: usize, map: &mut A) -> Result<(), A::Error> {\n");
        if self.fields.is_empty() {
            // No field: `FieldIndex` refuses every key before this is called.
            out.push_str("        let _ = (i, map);\n        Ok(())\n    }\n");
        } else {
            out.push_str("        match i {\n");
            for (i, f) in self.fields.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "            {i} => self.{} = map.next_value()?,",
                    f.ident
                );
            }
            out.push_str("            _ => {}\n        }\n        Ok(())\n    }\n");
        }
        out.push_str("    fn write<S: serde::ser::SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error> {\n");
        if self.fields.is_empty() {
            out.push_str("        let _ = st;\n");
        }
        for (i, f) in self.fields.iter().enumerate() {
            let _ = writeln!(
                out,
                "        if self.{0}.is_some() {{\n            st.serialize_field(Self::FIELDS[{i}], &self.{0})?;\n        }}",
                f.ident
            );
        }
        out.push_str("        Ok(())\n    }\n");
        let present: Vec<String> = self
            .fields
            .iter()
            .map(|f| format!("self.{}.is_some()", f.ident))
            .collect();
        // An array, not a sum: a sum of thousands of terms is one deeply
        // nested expression.
        let present = if present.is_empty() {
            "0".to_string()
        } else {
            format!("[{}].iter().filter(|p| **p).count()", present.join(", "))
        };
        let _ = writeln!(
            out,
            "    fn present(&self) -> usize {{\n        {present}\n    }}\n}}"
        );
        let _ = writeln!(
            out,
            "\nimpl serde::Serialize for {name} {{\n    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{\n        serialize_optional(self, s)\n    }}\n}}"
        );
        let _ = writeln!(
            out,
            "\nimpl<'de> serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n        deserialize_optional(d)\n    }}\n}}"
        );
    }

    fn tuple_serde(&self, out: &mut String) {
        let name = self.name;
        let keys: Vec<String> = self.fields.iter().map(|f| lit(f.key)).collect();
        let idents: Vec<&str> = self.fields.iter().map(|f| f.ident).collect();
        let refs: Vec<String> = idents.iter().map(|i| format!("&self.{i}")).collect();
        let _ = writeln!(
            out,
            "\nimpl {name} {{\n    const FIELDS: &'static [&'static str] = &[{}];\n}}",
            keys.join(", ")
        );
        let _ = writeln!(
            out,
            "\nimpl serde::Serialize for {name} {{\n    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{\n        serialize_record(s, {}, Self::FIELDS, ({},))\n    }}\n}}",
            lit(name),
            refs.join(", ")
        );
        let _ = writeln!(
            out,
            "\nimpl<'de> serde::Deserialize<'de> for {name} {{\n    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n        let ({},) = deserialize_record(d, {}, Self::FIELDS)?;\n        Ok({name} {{ {} }})\n    }}\n}}",
            idents.join(", "),
            lit(name),
            idents.join(", ")
        );
    }

    /// `Serialize` of more required fields than the tuple impls take.
    fn serialize(&self, out: &mut String) {
        let name = self.name;
        let _ = writeln!(out, "\nimpl serde::Serialize for {name} {{");
        out.push_str(
            "    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {\n",
        );
        out.push_str("        use serde::ser::SerializeStruct;\n");
        let _ = writeln!(
            out,
            "        let mut st = s.serialize_struct({}, {})?;",
            lit(name),
            self.fields.len()
        );
        for f in self.fields {
            let _ = writeln!(
                out,
                "        st.serialize_field({}, &self.{})?;",
                lit(f.key),
                f.ident
            );
        }
        out.push_str("        st.end()\n    }\n}\n");
    }

    /// `Deserialize` of more required fields than the tuple impls take.
    fn deserialize(&self, out: &mut String) {
        let name = self.name;
        let _ = writeln!(out, "\nimpl<'de> serde::Deserialize<'de> for {name} {{");
        out.push_str(
            "    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {\n",
        );
        let keys: Vec<String> = self.fields.iter().map(|f| lit(f.key)).collect();
        let _ = writeln!(
            out,
            "        const FIELDS: &[&str] = &[{}];",
            keys.join(", ")
        );
        out.push_str("        struct Fields;\n");
        out.push_str("        impl<'de> serde::de::Visitor<'de> for Fields {\n");
        let _ = writeln!(out, "            type Value = {name};");
        let _ = writeln!(
            out,
            "            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n                f.write_str({})\n            }}",
            lit(&format!("struct {name}"))
        );
        let _ = writeln!(
            out,
            "            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<{name}, A::Error> {{"
        );
        // Typed slots, so that no slot's type waits for the struct literal.
        for (i, f) in self.fields.iter().enumerate() {
            let _ = writeln!(
                out,
                "                let mut f{i}: Option<{}> = None;",
                f.ty
            );
        }
        out.push_str(
            "                while let Some(i) = map.next_key_seed(FieldIndex(FIELDS))? {\n                    match i {\n",
        );
        let last = self.fields.len() - 1;
        for i in 0..self.fields.len() {
            let arm = if i == last {
                "_".to_string()
            } else {
                i.to_string()
            };
            let _ = writeln!(
                out,
                "                        {arm} => field_value(&mut f{i}, &mut map, FIELDS[{i}])?,"
            );
        }
        out.push_str("                    }\n                }\n");
        let _ = writeln!(out, "                Ok({name} {{");
        for (i, f) in self.fields.iter().enumerate() {
            let _ = writeln!(
                out,
                "                    {}: field_required(f{i}, FIELDS[{i}])?,",
                f.ident
            );
        }
        out.push_str("                })\n            }\n        }\n");
        let _ = writeln!(
            out,
            "        d.deserialize_struct({}, FIELDS, Fields)\n    }}\n}}",
            lit(name)
        );
    }

    fn schema(&self, out: &mut String) {
        schema_impl_head(out, self.name);
        let (doc_title, description) = doc_metadata(self.doc);
        let title = self.title.map_or(doc_title, str::to_string);
        let _ = writeln!(
            out,
            "        object_schema(\n            {},\n            {},\n            vec![",
            lit(&title),
            lit(&description)
        );
        for f in self.fields {
            let (title, description) = doc_metadata(f.doc);
            let _ = writeln!(
                out,
                "                property({}, g.subschema_for::<{}>(), {}, {}, {}),",
                lit(f.key),
                f.ty,
                lit(&title),
                lit(&description),
                f.optional
            );
        }
        out.push_str("            ],\n        )\n    }\n}\n");
    }
}

/// `impl JsonSchema for name` up to the body of `json_schema` (`g` is the
/// generator); the id is the type's path, as schemars derives it.
/// The functions are `#[inline]`: an inline function is compiled where it
/// is used, and `json_schema`'s calls instantiate schemars' generics once
/// per field type, which for a crate of thousands of metrics was most of
/// its build.
fn schema_impl_head(out: &mut String, name: &str) {
    let _ = writeln!(out, "\nimpl schemars::JsonSchema for {name} {{");
    let _ = writeln!(
        out,
        "    #[inline]\n    fn schema_name() -> std::borrow::Cow<'static, str> {{\n        std::borrow::Cow::Borrowed({})\n    }}",
        lit(name)
    );
    let _ = writeln!(
        out,
        "    #[inline]\n    fn schema_id() -> std::borrow::Cow<'static, str> {{\n        std::borrow::Cow::Borrowed(concat!(module_path!(), {}))\n    }}",
        lit(&format!("::{name}"))
    );
    out.push_str("    #[inline]\n    #[allow(unused_variables)]\n    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {\n");
}
