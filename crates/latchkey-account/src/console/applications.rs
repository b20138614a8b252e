//! The console's Applications section: the OpenID Connect clients that sign people in through Latchkey,
//! added (the secret shown this once) and removed.

use latchkey_proto::{
    clients::{ClientInfo, NewClient, TokenEndpointAuthMethod},
    paths,
};
use leptos::{ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsValue;

use super::{Console, labels};
use latchkey_widget::js::member;

/// The section's state.
#[derive(Clone, Copy)]
struct Applications {
    console: Console,
    clients: RwSignal<Vec<ClientInfo>>,
    /// The client just added, with its secret, until the administrator moves on.
    added: RwSignal<Option<ClientInfo>>,
    /// The client whose removal awaits confirmation.
    removing: RwSignal<Option<String>>,
    status: RwSignal<&'static str>,
}

impl Applications {
    fn load(self) {
        leptos::task::spawn_local(async move {
            if let Some(clients) = self.console.get::<Vec<ClientInfo>>(paths::ADMIN_CLIENTS).await {
                self.clients.set(clients);
            }
        });
    }
}

/// The section.
pub(super) fn section(console: Console) -> impl IntoView {
    let section = Applications {
        console,
        clients: RwSignal::new(Vec::new()),
        added: RwSignal::new(None),
        removing: RwSignal::new(None),
        status: RwSignal::new(""),
    };
    section.load();
    view! {
        {move || list(section, section.clients.get())}
        {move || section.added.get().map(just_added)}
        {add_form(section)}
    }
}

fn list(section: Applications, clients: Vec<ClientInfo>) -> impl IntoView {
    if clients.is_empty() {
        return view! { <p class="lk-empty">"No applications yet. Add one below."</p> }.into_any();
    }
    view! {
        <table class="lk-table">
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Client ID"</th><th scope="col">"Type"</th><th scope="col">"Redirect URIs"</th><th scope="col">"Added"</th><th scope="col"><span class="lk-visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>
                {clients.into_iter().map(|client| row(section, client)).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn row(section: Applications, client: ClientInfo) -> impl IntoView {
    let id = client.client_id.clone();
    let confirming = {
        let id = id.clone();
        move || section.removing.get().as_deref() == Some(id.as_str())
    };
    let kind = match client.token_endpoint_auth_method {
        TokenEndpointAuthMethod::None => "Public (PKCE only)",
        TokenEndpointAuthMethod::ClientSecretBasic => "Confidential (secret)",
    };
    let name = client.client_name.clone();
    view! {
        <tr>
            <td>{client.client_name.clone()}</td>
            <td><code class="lk-code">{client.client_id.clone()}</code></td>
            <td>{kind}</td>
            <td>{client.redirect_uris.join("\n")}</td>
            <td class="lk-nowrap">{labels::time(client.client_id_issued_at)}</td>
            <td>
                {move || {
                    let id = id.clone();
                    if confirming() {
                        view! {
                            <button type="button" class="lk-danger lk-inline" on:click=move |_| remove(section, id.clone())>"Remove for good"</button>
                            <button type="button" class="lk-link" on:click=move |_| section.removing.set(None)>"Cancel"</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="lk-secondary lk-inline" aria-label=format!("Remove {name}") on:click=move |_| section.removing.set(Some(id.clone()))>"Remove"</button>
                        }.into_any()
                    }
                }}
            </td>
        </tr>
    }
}

fn remove(section: Applications, client_id: String) {
    leptos::task::spawn_local(async move {
        let path = paths::ADMIN_CLIENT.replace("{client_id}", &client_id);
        if section.console.send::<_, ()>("DELETE", &path, &()).await.is_some() {
            section.removing.set(None);
            section.load();
        }
    });
}

/// The new client's credentials, shown once.
fn just_added(client: ClientInfo) -> impl IntoView {
    view! {
        <div class="lk-notice" role="status">
            <p><strong>{format!("{} was added.", client.client_name)}</strong></p>
            <p>"Client ID: " <code class="lk-code">{client.client_id.clone()}</code></p>
            {client.client_secret.map(|secret| view! {
                <p>"Client secret: " <code class="lk-code">{secret}</code></p>
                <p>"Copy the secret now: it is stored hashed and never shown again."</p>
            })}
        </div>
    }
}

fn add_form(section: Applications) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let text = |name: &str| member(&member(&form, name), "value").as_string().unwrap_or_default();
        let lines =
            |name: &str| text(name).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        let new = NewClient {
            client_name: text("client_name"),
            redirect_uris: lines("redirect_uris"),
            post_logout_redirect_uris: lines("post_logout_redirect_uris"),
            token_endpoint_auth_method: if member(&member(&form, "public"), "checked").is_truthy() {
                TokenEndpointAuthMethod::None
            } else {
                TokenEndpointAuthMethod::ClientSecretBasic
            },
        };
        section.status.set("Adding…");
        leptos::task::spawn_local(async move {
            let added = section.console.send::<_, ClientInfo>("POST", paths::ADMIN_CLIENTS, &new).await;
            section.status.set("");
            if let Some(added) = added {
                section.added.set(Some(added));
                section.load();
            }
        });
    };
    view! {
        <form class="lk-form lk-add-client" on:submit=on_submit>
            <h3 class="lk-subsection">"Add an application"</h3>
            <label class="lk-label">"Name"
                <input class="lk-input" name="client_name" required />
            </label>
            <label class="lk-label">"Redirect URIs (one per line, exact)"
                <textarea class="lk-input" name="redirect_uris" rows="2" required></textarea>
            </label>
            <label class="lk-label">"Where a logout may return (one per line)"
                <textarea class="lk-input" name="post_logout_redirect_uris" rows="2"></textarea>
            </label>
            <label class="lk-check"><input type="checkbox" name="public" /> "Public client: a single-page or native app, with PKCE and no secret"</label>
            <div class="lk-actions">
                <button type="submit" class="lk-primary lk-inline">"Add application"</button>
                <span class="lk-confirmation" role="status">{move || section.status.get()}</span>
            </div>
        </form>
    }
}
