//! Writes each language's texts to `<directory>/<tag>-<keys>.json`, a JSON array in the order of the
//! catalog's keys, which a widget speaking that language fetches; `scripts/build-widget` runs it into
//! `dist/i18n/`. A language that lacks a text does not compile, so this never writes an incomplete file.

use std::{env, io, path::PathBuf};

use latchkey_widget::catalog::{KEYS_ID, languages::ALL, write_language_files};

fn main() -> io::Result<()> {
    let directory = PathBuf::from(env::args().nth(1).unwrap_or_else(|| "dist/i18n".to_owned()));
    write_language_files(&directory, KEYS_ID, ALL.iter().map(|(tag, texts)| (*tag, texts.list())))
}
