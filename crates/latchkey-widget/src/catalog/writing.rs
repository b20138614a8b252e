//! Writing a catalog's language files (host only): each language's texts as a JSON array in the order
//! of the catalog's keys, in `<tag>-<keys>.json`, which a page in that language fetches.

use std::{fs, io, path::Path};

/// Writes each of `languages` (a tag and its texts in key order) to `directory/<tag>-<keys>.json`,
/// `keys` being the catalog's `KEYS_ID` in hexadecimal, the name `fetchTexts` (`file.rs`) asks for.
pub fn write_language_files<'a>(
    directory: &Path,
    keys: u32,
    languages: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
) -> io::Result<()> {
    fs::create_dir_all(directory)?;
    for (tag, texts) in languages {
        let list: Vec<String> = texts.into_iter().map(json_string).collect();
        fs::write(directory.join(format!("{tag}-{keys:x}.json")), format!("[{}]\n", list.join(",\n")))?;
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
