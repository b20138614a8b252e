//! Writes each language's texts to `<directory>/<tag>-<keys>.json`, a JSON array in the order of the catalog's
//! keys, which a widget speaking that language fetches; `scripts/build-widget` runs it into `dist/i18n/`.
//! A language that lacks a text does not compile, so this never writes an incomplete file.

use std::{env, fs, io, path::PathBuf};

use latchkey_widget::catalog::{file_name, languages::ALL};

fn main() -> io::Result<()> {
    let directory = PathBuf::from(env::args().nth(1).unwrap_or_else(|| "dist/i18n".to_owned()));
    fs::create_dir_all(&directory)?;
    for (tag, texts) in ALL {
        let list: Vec<String> = texts.list().into_iter().map(json_string).collect();
        fs::write(directory.join(file_name(tag)), format!("[{}]\n", list.join(",\n")))?;
    }
    Ok(())
}

/// `text` as a JSON string (RFC 8259 §7): quotation marks, backslashes and control characters escaped.
fn json_string(text: &str) -> String {
    let mut json = String::with_capacity(text.len() + 2);
    json.push('"');
    for c in text.chars() {
        match c {
            '"' => json.push_str("\\\""),
            '\\' => json.push_str("\\\\"),
            c if c.is_control() => json.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => json.push(c),
        }
    }
    json.push('"');
    json
}
