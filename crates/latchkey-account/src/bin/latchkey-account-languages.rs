//! Writes each of the account page's languages to `<directory>/<tag>-<keys>.json`, a JSON array in the
//! order of its catalog's keys, which an account page in that language fetches; `scripts/build-widget`
//! runs it into `dist/i18n/account/`. A language that lacks a text does not compile.

use std::{env, io, path::PathBuf};

use latchkey_account::catalog::{KEYS_ID, languages::ALL};
use latchkey_widget::catalog::write_language_files;

fn main() -> io::Result<()> {
    let directory = PathBuf::from(env::args().nth(1).unwrap_or_else(|| "dist/i18n/account".to_owned()));
    write_language_files(&directory, KEYS_ID, ALL.iter().map(|(tag, texts)| (*tag, texts.list())))
}
