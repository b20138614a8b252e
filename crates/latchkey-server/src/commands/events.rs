//! `latchkey-server events [--follow] [--user ID] [--code CODE] [--limit N]`: the newest events, oldest
//! first, one JSON object per line; with `--follow`, every new one as it comes.

use std::time::Duration;

use super::CommandError;
use crate::{AppState, store::EventFilter};

pub(super) async fn print(state: &AppState, args: &[String]) -> Result<(), CommandError> {
    let mut filter = EventFilter::default();
    let mut follow = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--follow" | "-f" => follow = true,
            "--user" => filter.user = Some(value()?.parse()?),
            "--code" => filter.code = Some(value()?),
            "--limit" => filter.limit = Some(value()?.parse()?),
            other => return Err(format!("unknown option {other}; use --follow, --user, --code, --limit").into()),
        }
    }
    let query = filter.clone();
    let mut newest = state.store.events_page(query).await?.events;
    newest.reverse();
    let mut last = newest.last().map_or(0, |e| e.id);
    newest.iter().for_each(print_event);
    if !follow {
        return Ok(());
    }
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let query = EventFilter { after: Some(last), limit: Some(200), ..filter.clone() };
        let page = state.store.events_page(query).await?;
        last = page.events.last().map_or(last, |e| e.id);
        page.events.iter().for_each(print_event);
    }
}

fn print_event(event: &latchkey_proto::events::EventRecord<serde_json::Value>) {
    match serde_json::to_string(event) {
        Ok(line) => println!("{line}"),
        Err(e) => eprintln!("event {}: {e}", event.id),
    }
}
