//! `latchkey-server keys rotate`: a new signing key signs from now on, on every node at once; the old
//! public key stays in the JWKS until the last token it signed has expired.

use latchkey_proto::events::EventCode;
use serde_json::json;

use super::CommandError;
use crate::{
    AppState,
    events::{Client, Event, record},
    oidc,
};

pub(super) async fn run(state: &AppState, args: &[String]) -> Result<(), CommandError> {
    if args.first().map(String::as_str) != Some("rotate") || args.len() > 1 {
        return Err("use: keys rotate".into());
    }
    let kid = oidc::keys::rotate(&state.store).await?;
    record(state, &Client::command_line(), Event::new(EventCode::SigningKeyRotated).detail(json!({ "kid": kid })))
        .await;
    println!("{}", json!({ "kid": kid }));
    Ok(())
}
