//! The binary's administration commands, each working on the configured database while servers run:
//! `events` prints the event log, `clients` registers applications, `keys rotate` replaces the signing key.

mod clients;
mod events;
mod keys;

use crate::{AppState, config::Config};

/// An error a command reports before exiting non-zero.
pub type CommandError = Box<dyn std::error::Error>;

/// Runs the command `args` names (`args[0]`); `None` when it names none, so the binary serves.
pub async fn run(config: Config, args: &[String]) -> Option<Result<(), CommandError>> {
    let command = args.first()?.as_str();
    if !matches!(command, "events" | "clients" | "keys") {
        return Some(Err(format!("unknown command {command}; use events, clients or keys").into()));
    }
    let state = match AppState::without_workers(config) {
        Ok(state) => state,
        Err(e) => return Some(Err(e.into())),
    };
    let rest = &args[1..];
    Some(match command {
        "events" => events::print(&state, rest).await,
        "clients" => clients::run(&state, rest).await,
        _ => keys::run(&state, rest).await,
    })
}

/// The values of one option that may repeat (`--redirect-uri A --redirect-uri B`), and the flags.
struct Options<'a> {
    args: &'a [String],
}

impl<'a> Options<'a> {
    /// Every value given for `name`.
    fn values(&self, name: &str) -> Vec<String> {
        self.args.windows(2).filter(|pair| pair[0] == name).map(|pair| pair[1].clone()).collect()
    }

    /// Whether the flag `name` is present.
    fn has(&self, name: &str) -> bool {
        self.args.iter().any(|a| a == name)
    }

    /// Refuses anything but the options and flags a command knows.
    fn only(&self, options: &[&str], flags: &[&str]) -> Result<(), CommandError> {
        let mut args = self.args.iter();
        while let Some(arg) = args.next() {
            if options.contains(&arg.as_str()) {
                args.next().ok_or(format!("{arg} needs a value"))?;
            } else if !flags.contains(&arg.as_str()) {
                return Err(format!("unknown option {arg}").into());
            }
        }
        Ok(())
    }
}
