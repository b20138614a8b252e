//! The console's Applications section: the OpenID Connect clients that sign people in through Latchkey,
//! added (the secret shown this once) and removed.

use latchkey_proto::{
    clients::{ClientInfo, NewClient, TokenEndpointAuthMethod},
    paths,
};
use leptos::{ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsValue;

use super::{Console, labels};
use crate::catalog::fill;
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
        {move || section.added.get().map(|client| just_added(section, client))}
        {add_form(section)}
    }
}

fn list(section: Applications, clients: Vec<ClientInfo>) -> impl IntoView {
    let says = section.console.says();
    if clients.is_empty() {
        return view! { <p class="lk-empty">{says.no_applications()}</p> }.into_any();
    }
    view! {
        <table class="lk-table">
            <thead><tr><th scope="col">{says.name()}</th><th scope="col">{says.client_id()}</th><th scope="col">{says.client_type()}</th><th scope="col">{says.redirect_uris()}</th><th scope="col">{says.added()}</th><th scope="col"><span class="lk-visually-hidden">{says.actions()}</span></th></tr></thead>
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
    let (says, language) = (section.console.says(), section.console.locale());
    let kind = match client.token_endpoint_auth_method {
        TokenEndpointAuthMethod::None => says.public_client_kind(),
        TokenEndpointAuthMethod::ClientSecretBasic => says.confidential_kind(),
    };
    let name = client.client_name.clone();
    view! {
        <tr>
            <td>{client.client_name.clone()}</td>
            <td><code class="lk-code">{client.client_id.clone()}</code></td>
            <td>{kind}</td>
            <td>{client.redirect_uris.join("\n")}</td>
            <td class="lk-nowrap">{labels::time(client.client_id_issued_at, language)}</td>
            <td>
                {move || {
                    let id = id.clone();
                    if confirming() {
                        view! {
                            <button type="button" class="lk-danger lk-inline" on:click=move |_| remove(section, id.clone())>{says.remove_for_good()}</button>
                            <button type="button" class="lk-link" on:click=move |_| section.removing.set(None)>{says.cancel()}</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="lk-secondary lk-inline" aria-label=fill(says.remove_named(), &[&name]) on:click=move |_| section.removing.set(Some(id.clone()))>{says.remove()}</button>
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
fn just_added(section: Applications, client: ClientInfo) -> impl IntoView {
    let says = section.console.says();
    view! {
        <div class="lk-notice" role="status">
            <p><strong>{fill(says.client_added(), &[&client.client_name])}</strong></p>
            <p>{says.client_id_lead()} <code class="lk-code">{client.client_id.clone()}</code></p>
            {client.client_secret.map(|secret| view! {
                <p>{says.client_secret_lead()} <code class="lk-code">{secret}</code></p>
                <p>{says.copy_secret()}</p>
            })}
        </div>
    }
}

fn add_form(section: Applications) -> impl IntoView {
    let says = section.console.says();
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
        section.status.set(says.adding());
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
            <h3 class="lk-subsection">{says.add_application_heading()}</h3>
            <label class="lk-label">{says.name()}
                <input class="lk-input" name="client_name" required />
            </label>
            <label class="lk-label">{says.redirect_uris_label()}
                <textarea class="lk-input" name="redirect_uris" rows="2" required></textarea>
            </label>
            <label class="lk-label">{says.logout_uris_label()}
                <textarea class="lk-input" name="post_logout_redirect_uris" rows="2"></textarea>
            </label>
            <label class="lk-check"><input type="checkbox" name="public" /> {says.public_client_label()}</label>
            <div class="lk-actions">
                <button type="submit" class="lk-primary lk-inline">{says.add_application()}</button>
                <span class="lk-confirmation" role="status">{move || section.status.get()}</span>
            </div>
        </form>
    }
}
