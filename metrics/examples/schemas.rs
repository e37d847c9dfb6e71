//! Prints the JSON Schema of every metric and event payload as one JSON
//! object, `{ file name: schema }`. `cargo xtask codegen` runs this to write
//! `metrics/schemas/`.

fn main() {
    let all: serde_json::Map<String, serde_json::Value> = metrics::schemas()
        .into_iter()
        .map(|(name, schema)| (name.to_string(), schema.to_value()))
        .collect();
    println!("{}", serde_json::Value::Object(all));
}
