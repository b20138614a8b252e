//! `latchkey-server clients add --name NAME --redirect-uri URI [--redirect-uri URI…]
//! [--post-logout-redirect-uri URI…] [--public]`, `clients list` and `clients remove CLIENT_ID`: the
//! applications that sign people in through Latchkey, as RFC 7591 JSON.

use latchkey_proto::{
    clients::{NewClient, TokenEndpointAuthMethod},
    events::EventCode,
};
use serde_json::json;

use super::{CommandError, Options};
use crate::{
    AppState,
    events::{Client, Event, record},
    oidc,
};

const USAGE: &str = "use: clients add --name NAME --redirect-uri URI [--redirect-uri URI…] \
                     [--post-logout-redirect-uri URI…] [--public] | clients list | clients remove CLIENT_ID";

pub(super) async fn run(state: &AppState, args: &[String]) -> Result<(), CommandError> {
    match args.first().map(String::as_str) {
        Some("add") => add(state, &args[1..]).await,
        Some("list") => list(state).await,
        Some("remove") => remove(state, args.get(1).ok_or(USAGE)?).await,
        _ => Err(USAGE.into()),
    }
}

/// Registers the application and prints it with its secret, the only time the secret is shown.
async fn add(state: &AppState, args: &[String]) -> Result<(), CommandError> {
    let options = Options { args };
    options.only(&["--name", "--redirect-uri", "--post-logout-redirect-uri"], &["--public"])?;
    let new = NewClient {
        client_name: options.values("--name").pop().ok_or(USAGE)?,
        redirect_uris: options.values("--redirect-uri"),
        post_logout_redirect_uris: options.values("--post-logout-redirect-uri"),
        token_endpoint_auth_method: if options.has("--public") {
            TokenEndpointAuthMethod::None
        } else {
            TokenEndpointAuthMethod::ClientSecretBasic
        },
    };
    let added = oidc::clients::register(&state.store, new).await?.map_err(|refused| refused.to_string())?;
    let detail = json!({ "client": added.client_id, "name": added.client_name });
    record(state, &Client::command_line(), Event::new(EventCode::ClientAdded).detail(detail)).await;
    println!("{}", serde_json::to_string_pretty(&added)?);
    Ok(())
}

async fn list(state: &AppState) -> Result<(), CommandError> {
    let clients: Vec<_> = state.store.clients().await?.iter().map(|row| oidc::clients::info(row, None)).collect();
    println!("{}", serde_json::to_string_pretty(&clients)?);
    Ok(())
}

async fn remove(state: &AppState, client_id: &str) -> Result<(), CommandError> {
    if !state.store.remove_client(client_id.to_owned()).await? {
        return Err(format!("no application has client_id {client_id}").into());
    }
    let event = Event::new(EventCode::ClientRemoved).detail(json!({ "client": client_id }));
    record(state, &Client::command_line(), event).await;
    println!("removed {client_id}");
    Ok(())
}
