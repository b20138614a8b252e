//! The console's Users section: find accounts by the start of their email, open one to see its passkeys,
//! sessions and recent events, and disable, enable or delete it.

use latchkey_proto::{
    PasskeySummary, SessionListing,
    admin::{AdminUser, AdminUserDetail},
    paths,
};
use leptos::{ev::SubmitEvent, prelude::*};
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::{Console, Section, events, labels};
use crate::catalog::{self, Lang, fill};
use latchkey_widget::js::member;

/// The section's state.
#[derive(Clone, Copy)]
struct Users {
    console: Console,
    found: RwSignal<Option<Vec<AdminUser>>>,
    open: RwSignal<Option<AdminUserDetail<Value>>>,
    deleting: RwSignal<bool>,
    status: RwSignal<&'static str>,
}

impl Users {
    fn search(self, prefix: String) {
        leptos::task::spawn_local(async move {
            let query: String = js_sys::encode_uri_component(&prefix).into();
            let path = format!("{}?email={query}", paths::ADMIN_USERS);
            if let Some(found) = self.console.get::<Vec<AdminUser>>(&path).await {
                self.found.set(Some(found));
            }
        });
    }

    fn show(self, id: i64) {
        self.deleting.set(false);
        leptos::task::spawn_local(async move {
            let path = paths::ADMIN_USER.replace("{id}", &id.to_string());
            if let Some(detail) = self.console.get::<AdminUserDetail<Value>>(&path).await {
                self.open.set(Some(detail));
            }
        });
    }

    /// Disables or enables the open account (`path` is which), then shows it again.
    fn change(self, path: &'static str, id: i64, done: &'static str) {
        leptos::task::spawn_local(async move {
            let path = path.replace("{id}", &id.to_string());
            if self.console.send::<_, AdminUser>("POST", &path, &()).await.is_some() {
                self.status.set(done);
                self.show(id);
            }
        });
    }

    fn delete(self, id: i64) {
        leptos::task::spawn_local(async move {
            let path = paths::ADMIN_USER.replace("{id}", &id.to_string());
            if self.console.send::<_, ()>("DELETE", &path, &()).await.is_some() {
                self.open.set(None);
                self.found.update(|found| {
                    if let Some(found) = found {
                        found.retain(|u| u.id != id);
                    }
                });
                self.status.set(self.console.says().account_deleted());
            }
        });
    }
}

/// The section.
pub(super) fn section(console: Console) -> impl IntoView {
    let users = Users {
        console,
        found: RwSignal::new(None),
        open: RwSignal::new(None),
        deleting: RwSignal::new(false),
        status: RwSignal::new(""),
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        users.status.set("");
        users.search(member(&member(&form, "email"), "value").as_string().unwrap_or_default());
    };
    users.search(String::new());
    let says = console.says();
    view! {
        <form class="lk-search" role="search" on:submit=on_submit>
            <label class="lk-label">{says.find_by_email()}
                <input class="lk-input" type="search" name="email" placeholder="ada@" autocomplete="off" />
            </label>
            <button type="submit" class="lk-primary lk-inline">{says.search()}</button>
        </form>
        <p class="lk-confirmation" role="status">{move || users.status.get()}</p>
        <div class="lk-users">
            <div class="lk-users-list">{move || users.found.get().map(|found| results(users, found))}</div>
            <div class="lk-users-detail">{move || users.open.get().map(|detail| account(users, detail))}</div>
        </div>
    }
}

fn results(users: Users, found: Vec<AdminUser>) -> impl IntoView {
    let says = users.console.says();
    if found.is_empty() {
        return view! { <p class="lk-empty">{says.no_account_found()}</p> }.into_any();
    }
    view! {
        <ul class="lk-user-results">
            {found.into_iter().map(|user| {
                let id = user.id;
                view! {
                    <li>
                        <button type="button" class="lk-user-result" on:click=move |_| users.show(id)>
                            <span class="lk-user-email">{user.email.clone()}</span>
                            <span class="lk-muted">{summary(&user, says)}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// "Passkeys: 2 · password · disabled": a count after a label, so no language needs plural forms.
fn summary(user: &AdminUser, says: Lang) -> String {
    let mut parts = vec![fill(says.passkey_count(), &[&user.passkeys.to_string()])];
    parts.extend(user.has_password.then(|| says.has_password_note().to_owned()));
    parts.extend(user.disabled.then(|| says.disabled_note().to_owned()));
    parts.join(" · ")
}

fn account(users: Users, detail: AdminUserDetail<Value>) -> impl IntoView {
    let user = detail.user.clone();
    let id = user.id;
    let email = user.email.clone();
    let events_email = email.clone();
    let console = users.console;
    let (says, language) = (console.says(), console.locale());
    view! {
        <article class="lk-user" aria-label=fill(says.account_named(), &[&email])>
            <h3 class="lk-subsection">{user.email.clone()}</h3>
            <dl class="lk-facts">
                <dt>{says.name()}</dt><dd>{user.display_name.clone()}</dd>
                <dt>{says.created()}</dt><dd>{labels::time(user.created_at, language)}</dd>
                <dt>{says.status()}</dt><dd>{if user.disabled { says.disabled_status() } else { says.active() }}</dd>
                <dt>{says.password()}</dt><dd>{if user.has_password { says.yes() } else { says.no() }}</dd>
            </dl>
            <div class="lk-actions">
                {if user.disabled {
                    view! { <button type="button" class="lk-secondary lk-inline" on:click=move |_| users.change(paths::ADMIN_USER_ENABLE, id, says.account_enabled())>{says.enable_account()}</button> }.into_any()
                } else {
                    view! { <button type="button" class="lk-secondary lk-inline" on:click=move |_| users.change(paths::ADMIN_USER_DISABLE, id, says.account_disabled())>{says.disable_account()}</button> }.into_any()
                }}
                {move || if users.deleting.get() {
                    view! {
                        <span class="lk-confirm">{says.delete_account_question()}</span>
                        <button type="button" class="lk-danger lk-inline" on:click=move |_| users.delete(id)>{says.delete_for_good()}</button>
                        <button type="button" class="lk-link" on:click=move |_| users.deleting.set(false)>{says.cancel()}</button>
                    }.into_any()
                } else {
                    view! { <button type="button" class="lk-secondary lk-inline" on:click=move |_| users.deleting.set(true)>{says.delete_account()}</button> }.into_any()
                }}
            </div>
            <h4 class="lk-subsection">{says.passkeys_heading()}</h4>
            {passkeys(console, detail.passkeys)}
            <h4 class="lk-subsection">{says.sessions_heading()}</h4>
            {sessions(console, detail.sessions)}
            <h4 class="lk-subsection">{says.recent_events()}</h4>
            {events::table(console, detail.events, events::Accounts::One)}
            <button type="button" class="lk-link" on:click=move |_| {
                users.console.events_user.set(Some((id, events_email.clone())));
                users.console.section.set(Section::Events);
            }>{says.all_events_of_account()}</button>
        </article>
    }
}

fn passkeys(console: Console, passkeys: Vec<PasskeySummary>) -> impl IntoView {
    let (says, language) = (console.says(), console.locale());
    if passkeys.is_empty() {
        return view! { <p class="lk-empty">{says.no_passkeys()}</p> }.into_any();
    }
    view! {
        <table class="lk-table">
            <thead><tr><th scope="col">{says.name()}</th><th scope="col">{says.provider()}</th><th scope="col">{says.synced()}</th><th scope="col">{says.created()}</th><th scope="col">{says.last_used()}</th></tr></thead>
            <tbody>
                {passkeys.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.name}</td>
                        <td>{p.provider.unwrap_or_else(|| says.unknown_provider().into())}</td>
                        <td>{if p.synced { says.yes() } else { says.synced_no() }}</td>
                        <td class="lk-nowrap">{labels::time(p.created_at, language)}</td>
                        <td class="lk-nowrap">{labels::maybe_time(p.last_used_at, language)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn sessions(console: Console, sessions: Vec<SessionListing>) -> impl IntoView {
    let (says, language) = (console.says(), console.locale());
    if sessions.is_empty() {
        return view! { <p class="lk-empty">{says.no_sessions()}</p> }.into_any();
    }
    view! {
        <table class="lk-table">
            <thead><tr>
                <th scope="col">{says.started()}</th><th scope="col">{says.last_used()}</th><th scope="col">{says.browser()}</th>
                <th scope="col">{says.address()}</th><th scope="col">{says.how()}</th>
            </tr></thead>
            <tbody>
                {sessions.into_iter().map(|s| view! {
                    <tr>
                        <td class="lk-nowrap">{labels::time(s.created_at, language)}</td>
                        <td class="lk-nowrap">{labels::time(s.last_seen_at, language)}</td>
                        <td>{catalog::device(says, s.browser.as_deref(), s.system.as_deref())}</td>
                        <td>{s.ip.unwrap_or_default()}</td>
                        <td>{s.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
