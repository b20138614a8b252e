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
                self.status.set("Account deleted, with everything of it.");
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
    view! {
        <form class="lk-search" role="search" on:submit=on_submit>
            <label class="lk-label">"Find by email"
                <input class="lk-input" type="search" name="email" placeholder="ada@" autocomplete="off" />
            </label>
            <button type="submit" class="lk-primary lk-inline">"Search"</button>
        </form>
        <p class="lk-confirmation" role="status">{move || users.status.get()}</p>
        <div class="lk-users">
            <div class="lk-users-list">{move || users.found.get().map(|found| results(users, found))}</div>
            <div class="lk-users-detail">{move || users.open.get().map(|detail| account(users, detail))}</div>
        </div>
    }
}

fn results(users: Users, found: Vec<AdminUser>) -> impl IntoView {
    if found.is_empty() {
        return view! { <p class="lk-empty">"No account has an email that starts like that."</p> }.into_any();
    }
    view! {
        <ul class="lk-user-results">
            {found.into_iter().map(|user| {
                let id = user.id;
                view! {
                    <li>
                        <button type="button" class="lk-user-result" on:click=move |_| users.show(id)>
                            <span class="lk-user-email">{user.email.clone()}</span>
                            <span class="lk-muted">{summary(&user)}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn summary(user: &AdminUser) -> String {
    let passkeys = match user.passkeys {
        1 => "1 passkey".to_owned(),
        n => format!("{n} passkeys"),
    };
    let password = if user.has_password { ", a password" } else { "" };
    let disabled = if user.disabled { " · disabled" } else { "" };
    format!("{passkeys}{password}{disabled}")
}

fn account(users: Users, detail: AdminUserDetail<Value>) -> impl IntoView {
    let user = detail.user.clone();
    let id = user.id;
    let email = user.email.clone();
    let events_email = email.clone();
    view! {
        <article class="lk-user" aria-label=format!("Account {email}")>
            <h3 class="lk-subsection">{user.email.clone()}</h3>
            <dl class="lk-facts">
                <dt>"Name"</dt><dd>{user.display_name.clone()}</dd>
                <dt>"Created"</dt><dd>{labels::time(user.created_at)}</dd>
                <dt>"Status"</dt><dd>{if user.disabled { "Disabled: cannot sign in" } else { "Active" }}</dd>
                <dt>"Password"</dt><dd>{if user.has_password { "Yes" } else { "No" }}</dd>
            </dl>
            <div class="lk-actions">
                {if user.disabled {
                    view! { <button type="button" class="lk-secondary lk-inline" on:click=move |_| users.change(paths::ADMIN_USER_ENABLE, id, "Account enabled.")>"Enable account"</button> }.into_any()
                } else {
                    view! { <button type="button" class="lk-secondary lk-inline" on:click=move |_| users.change(paths::ADMIN_USER_DISABLE, id, "Account disabled: its sessions and tokens have ended.")>"Disable account"</button> }.into_any()
                }}
                {move || if users.deleting.get() {
                    view! {
                        <span class="lk-confirm">"Delete this account and everything of it?"</span>
                        <button type="button" class="lk-danger lk-inline" on:click=move |_| users.delete(id)>"Delete for good"</button>
                        <button type="button" class="lk-link" on:click=move |_| users.deleting.set(false)>"Cancel"</button>
                    }.into_any()
                } else {
                    view! { <button type="button" class="lk-secondary lk-inline" on:click=move |_| users.deleting.set(true)>"Delete account"</button> }.into_any()
                }}
            </div>
            <h4 class="lk-subsection">"Passkeys"</h4>
            {passkeys(detail.passkeys)}
            <h4 class="lk-subsection">"Sessions"</h4>
            {sessions(detail.sessions)}
            <h4 class="lk-subsection">"Recent events"</h4>
            {events::table(detail.events, events::Accounts::One)}
            <button type="button" class="lk-link" on:click=move |_| {
                users.console.events_user.set(Some((id, events_email.clone())));
                users.console.section.set(Section::Events);
            }>"All events of this account"</button>
        </article>
    }
}

fn passkeys(passkeys: Vec<PasskeySummary>) -> impl IntoView {
    if passkeys.is_empty() {
        return view! { <p class="lk-empty">"No passkeys."</p> }.into_any();
    }
    view! {
        <table class="lk-table">
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Provider"</th><th scope="col">"Synced"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th></tr></thead>
            <tbody>
                {passkeys.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.name}</td>
                        <td>{p.provider.unwrap_or_else(|| "Unknown provider".into())}</td>
                        <td>{if p.synced { "Yes" } else { "No, one device" }}</td>
                        <td class="lk-nowrap">{labels::time(p.created_at)}</td>
                        <td class="lk-nowrap">{labels::maybe_time(p.last_used_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn sessions(sessions: Vec<SessionListing>) -> impl IntoView {
    if sessions.is_empty() {
        return view! { <p class="lk-empty">"No live sessions."</p> }.into_any();
    }
    view! {
        <table class="lk-table">
            <thead><tr>
                <th scope="col">"Started"</th><th scope="col">"Last used"</th><th scope="col">"Browser"</th>
                <th scope="col">"Address"</th><th scope="col">"How"</th>
            </tr></thead>
            <tbody>
                {sessions.into_iter().map(|s| view! {
                    <tr>
                        <td class="lk-nowrap">{labels::time(s.created_at)}</td>
                        <td class="lk-nowrap">{labels::time(s.last_seen_at)}</td>
                        <td>{s.device().unwrap_or_else(|| "Unknown".into())}</td>
                        <td>{s.ip.unwrap_or_default()}</td>
                        <td>{s.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
