//! `<latchkey-account>`: the signed-in person's passkeys (listed with provider, backup state and
//! dates; renamed; deleted with confirmation; added), their password, and where they are signed in
//! (each session with its browser, system, address and dates; one ended, or all but this one).

use latchkey_proto::{
    AccountInfo, AddPasskey, ChangePassword, DeletePasskey, EndSession, PasskeySummary, RenamePasskey, SessionListing,
    SignInStep, paths,
};
use leptos::{ev::SubmitEvent, prelude::*};
use serde_json::json;
use wasm_bindgen::JsValue;

use crate::{
    http::{self, Failure},
    signal,
};
use latchkey_widget::{
    js::member,
    webauthn::{self, Mediation},
};

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
struct Page {
    /// The account, once loaded; `None` while loading or when nobody is signed in.
    account: RwSignal<Option<AccountInfo>>,
    /// Nobody is signed in.
    signed_out: RwSignal<bool>,
    /// The passkey whose name is being edited.
    renaming: RwSignal<Option<i64>>,
    /// The passkey whose deletion awaits confirmation.
    deleting: RwSignal<Option<i64>>,
    /// Progress and news.
    status: RwSignal<&'static str>,
    /// The last failure's message.
    problem: RwSignal<Option<&'static str>>,
    /// Where events go.
    on_event: Option<Callback<(&'static str, JsValue)>>,
}

/// The account page.
#[component]
pub fn AccountPage(
    /// Called with each event code the page causes (`passkey_added`, …) and its detail.
    #[prop(optional, into)]
    on_event: Option<Callback<(&'static str, JsValue)>>,
) -> impl IntoView {
    let page = Page {
        account: RwSignal::new(None),
        signed_out: RwSignal::new(false),
        renaming: RwSignal::new(None),
        deleting: RwSignal::new(None),
        status: RwSignal::new(""),
        problem: RwSignal::new(None),
        on_event,
    };
    page.load();
    view! {
        <section class="latchkey lk-account">
            <h2 class="lk-title">"Your passkeys"</h2>
            {move || {
                if page.signed_out.get() {
                    return view! {
                        <p class="lk-subtitle">"Log in to manage your passkeys. " <a href="/">"Log in"</a></p>
                    }
                    .into_any();
                }
                match page.account.get() {
                    None => view! { <p class="lk-status">"Loading…"</p> }.into_any(),
                    Some(account) => account_view(page, account).into_any(),
                }
            }}
            <p class="lk-status" role="status">{move || page.status.get()}</p>
            <div class="lk-problem" role="alert">
                {move || page.problem.get().map(|message| view! { <p class="lk-error">{message}</p> })}
            </div>
        </section>
    }
}

fn account_view(page: Page, account: AccountInfo) -> impl IntoView {
    let at_cap = account.passkeys.len() as u32 >= account.max_passkeys;
    let has_password = account.has_password;
    view! {
        <p class="lk-subtitle">"Signed in as " <strong>{account.user.email.clone()}</strong></p>
        <ul class="lk-passkeys">
            {account.passkeys.into_iter().map(|passkey| passkey_view(page, passkey)).collect_view()}
        </ul>
        <button type="button" class="lk-primary" disabled=at_cap on:click=move |_| page.add_passkey()>
            "Add a passkey"
        </button>
        {at_cap.then(|| view! {
            <p class="lk-note">"You have the most passkeys your account can have. Delete one to add another."</p>
        })}
        {password_view(page, has_password)}
        {sessions_view(page, account.sessions)}
    }
}

fn sessions_view(page: Page, sessions: Vec<SessionListing>) -> impl IntoView {
    let others = sessions.iter().any(|s| !s.current);
    view! {
        <h3 class="lk-subtitle-heading">"Where you're signed in"</h3>
        <ul class="lk-sessions">{sessions.into_iter().map(|s| session_view(page, s)).collect_view()}</ul>
        {others.then(|| view! {
            <button type="button" class="lk-secondary" on:click=move |_| page.end_other_sessions()>
                "Sign out everywhere else"
            </button>
        })}
    }
}

fn session_view(page: Page, session: SessionListing) -> impl IntoView {
    let device = session.device().unwrap_or_else(|| "Unknown browser".into());
    let address = session.ip.as_deref().map(|ip| format!(" · {ip}")).unwrap_or_default();
    let dates = format!(
        "Signed in {} · Last active {}{address}",
        date(session.created_at),
        date_and_time(session.last_seen_at)
    );
    let label = format!("Sign out {device}");
    let SessionListing { id, current, .. } = session;
    view! {
        <li class="lk-session">
            <div class="lk-session-text">
                <strong class="lk-session-name">{device}</strong>
                {current.then(|| view! { <span class="lk-this-device">"This device"</span> })}
                <span class="lk-dates">{dates}</span>
            </div>
            {(!current).then(|| view! {
                <button type="button" class="lk-secondary lk-inline" aria-label=label
                    on:click=move |_| page.end_session(id.clone())>"Sign out"</button>
            })}
        </li>
    }
}

fn passkey_view(page: Page, passkey: PasskeySummary) -> impl IntoView {
    let id = passkey.id;
    let name = passkey.name.clone();
    let backup = if passkey.synced { "Synced" } else { "This device only" };
    let used = passkey.last_used_at.map_or_else(|| String::from("never"), date);
    let dates = format!("Created {} · Last used {used}", date(passkey.created_at));
    let icon = icon(&passkey);
    view! {
        <li class="lk-passkey">
            {icon}
            <div class="lk-passkey-text">
                <strong class="lk-passkey-name">{passkey.name.clone()}</strong>
                {passkey.provider.clone().map(|provider| view! { <span class="lk-provider">{provider}</span> })}
                <span class="lk-backup">{backup}</span>
                <span class="lk-dates">{dates}</span>
            </div>
            {move || {
                if page.renaming.get() == Some(id) {
                    rename_form(page, id, name.clone()).into_any()
                } else if page.deleting.get() == Some(id) {
                    confirm_delete(page, id, name.clone()).into_any()
                } else {
                    actions(page, id, name.clone()).into_any()
                }
            }}
        </li>
    }
}

/// The provider's monogram, light or dark with the system's scheme; a key glyph when the provider is
/// unknown.
fn icon(passkey: &PasskeySummary) -> AnyView {
    match (passkey.icon_light.clone(), passkey.icon_dark.clone()) {
        (Some(light), Some(dark)) => view! {
            <picture class="lk-icon">
                <source srcset=dark media="(prefers-color-scheme: dark)" />
                <img src=light alt="" width="32" height="32" />
            </picture>
        }
        .into_any(),
        _ => view! { <span class="lk-icon lk-icon-generic" aria-hidden="true">"🔑"</span> }.into_any(),
    }
}

fn actions(page: Page, id: i64, name: String) -> impl IntoView {
    view! {
        <div class="lk-passkey-actions">
            <button type="button" class="lk-secondary" aria-label=format!("Rename {name}")
                on:click=move |_| page.renaming.set(Some(id))>"Rename"</button>
            <button type="button" class="lk-secondary" aria-label=format!("Delete {name}")
                on:click=move |_| page.deleting.set(Some(id))>"Delete"</button>
        </div>
    }
}

fn rename_form(page: Page, id: i64, name: String) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let name = member(&member(&form, "name"), "value").as_string().unwrap_or_default();
        page.rename(id, name);
    };
    view! {
        <form class="lk-form" on:submit=on_submit>
            <label class="lk-label">"Passkey name"
                <input class="lk-input" name="name" value=name autocomplete="off" required maxlength="64" />
            </label>
            <button type="submit" class="lk-primary">"Save"</button>
            <button type="button" class="lk-secondary" on:click=move |_| page.renaming.set(None)>"Cancel"</button>
        </form>
    }
}

fn confirm_delete(page: Page, id: i64, name: String) -> impl IntoView {
    view! {
        <div class="lk-confirm" role="group" aria-label="Confirm deletion">
            <p>{format!("Delete “{name}”? You won't be able to sign in with it any more.")}</p>
            <button type="button" class="lk-danger" on:click=move |_| page.delete(id)>"Delete passkey"</button>
            <button type="button" class="lk-secondary" on:click=move |_| page.deleting.set(None)>"Cancel"</button>
        </div>
    }
}

fn password_view(page: Page, has_password: bool) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let value = |name| member(&member(&form, name), "value").as_string();
        page.change_password(value("current"), value("password").unwrap_or_default());
    };
    view! {
        <h3 class="lk-subtitle-heading">"Password"</h3>
        <form class="lk-form" on:submit=on_submit>
            {has_password.then(|| view! {
                <label class="lk-label">"Current password"
                    <input class="lk-input" type="password" name="current" autocomplete="current-password" />
                </label>
            })}
            <label class="lk-label">"New password"
                <input class="lk-input" type="password" name="password" autocomplete="new-password" />
            </label>
            <button type="submit" class="lk-secondary">
                {if has_password { "Change password" } else { "Set a password" }}
            </button>
        </form>
    }
}

/// A date in the person's own format.
fn date(seconds: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    String::from(date.to_locale_date_string("default", &JsValue::UNDEFINED))
}

/// A date and time of day in the person's own format ("Dec 2, 2026, 1:20 PM").
fn date_and_time(seconds: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    let options = js_sys::Object::new();
    for (name, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        // Setting a member of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &name.into(), &value.into());
    }
    String::from(date.to_locale_string("default", &options))
}

impl Page {
    fn load(self) {
        leptos::task::spawn_local(async move {
            match http::get::<AccountInfo>(paths::ACCOUNT, None).await {
                Ok(account) => self.account.set(Some(account)),
                Err(Failure::Server(latchkey_proto::ErrorCode::NotSignedIn)) => self.signed_out.set(true),
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn busy(self, status: &'static str) {
        self.status.set(status);
        self.problem.set(None);
    }

    fn fail(self, failure: Failure) {
        self.status.set("");
        self.problem.set(Some(failure.message()));
    }

    fn event(self, code: &'static str, detail: serde_json::Value) {
        if let Some(callback) = self.on_event {
            let detail = js_sys::JSON::parse(&detail.to_string()).unwrap_or(JsValue::NULL);
            callback.run((code, detail));
        }
    }

    fn account(self) -> Option<AccountInfo> {
        self.account.get_untracked()
    }

    fn add_passkey(self) {
        self.busy("Waiting for your passkey…");
        leptos::task::spawn_local(async move {
            match self.create_passkey().await {
                Ok(step) => {
                    let passkey = step.passkey.map(|p| json!({ "id": p.id, "name": p.name }));
                    self.event("passkey_added", json!({ "passkey": passkey }));
                    self.status.set("Passkey added.");
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    async fn create_passkey(self) -> Result<SignInStep<serde_json::Value>, Failure> {
        let start = AddPasskey { from_account: true, ..AddPasskey::default() };
        let started: latchkey_proto::CeremonyStarted<serde_json::Value> =
            http::send("POST", paths::PASSKEY_ADD_START, &start, None).await?;
        let json = js_sys::JSON::parse(&started.public_key.to_string()).map_err(|_| Failure::Network)?;
        let options = webauthn::creation_options(&json).map_err(Failure::Browser)?;
        let controller = web_sys::AbortController::new().map_err(|_| Failure::Network)?;
        let credential =
            webauthn::create(&options, Mediation::Modal, &controller.signal()).await.map_err(Failure::Browser)?;
        let credential: serde_json::Value = js_sys::JSON::stringify(&credential)
            .ok()
            .and_then(|text| text.as_string())
            .and_then(|text| serde_json::from_str(&text).ok())
            .ok_or(Failure::Network)?;
        let finish = json!({ "ceremony": started.ceremony, "credential": credential });
        http::send("POST", paths::PASSKEY_ADD_FINISH, &finish, None).await
    }

    fn rename(self, id: i64, name: String) {
        self.busy("Saving…");
        leptos::task::spawn_local(async move {
            let body = RenamePasskey { id, name: name.trim().to_owned() };
            match http::send::<_, ()>("POST", paths::PASSKEY_RENAME, &body, None).await {
                Ok(()) => {
                    self.renaming.set(None);
                    if let Some(account) = self.account() {
                        // The provider shows the account by name: tell it the details are current.
                        let user = &account.user;
                        signal::current_user_details(
                            &account.rp_id,
                            &account.user_handle,
                            &user.email,
                            &user.display_name,
                        )
                        .await;
                    }
                    // The list shows the new name by the time the confirmation says so; the reload
                    // that follows brings the rest up to date.
                    self.account.update(|account| {
                        let passkey = account.as_mut().and_then(|a| a.passkeys.iter_mut().find(|p| p.id == id));
                        if let Some(passkey) = passkey {
                            passkey.name.clone_from(&body.name);
                        }
                    });
                    self.event("passkey_renamed", json!({ "passkey": { "id": id, "name": body.name } }));
                    self.status.set("Passkey renamed.");
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn delete(self, id: i64) {
        self.busy("Deleting…");
        leptos::task::spawn_local(async move {
            match http::send::<_, AccountInfo>("POST", paths::PASSKEY_DELETE, &DeletePasskey { id }, None).await {
                Ok(account) => {
                    self.deleting.set(None);
                    // The provider would go on offering the deleted passkey; list the ones that remain.
                    let ids: Vec<String> = account.passkeys.iter().map(|p| p.credential_id.clone()).collect();
                    signal::all_accepted_credentials(&account.rp_id, &account.user_handle, &ids).await;
                    self.event("passkey_deleted", json!({ "passkey": { "id": id } }));
                    self.account.set(Some(account));
                    self.status.set("Passkey deleted.");
                }
                Err(failure) => {
                    self.deleting.set(None);
                    self.fail(failure);
                }
            }
        });
    }

    fn end_session(self, id: String) {
        self.busy("Signing out…");
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::SESSION_END, &EndSession { id }, None).await {
                Ok(()) => {
                    self.event("session_ended", serde_json::Value::Null);
                    self.status.set("Signed out on that device.");
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn end_other_sessions(self) {
        self.busy("Signing out…");
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::SESSIONS_END_OTHERS, &json!({}), None).await {
                Ok(()) => {
                    self.event("sessions_ended", serde_json::Value::Null);
                    self.status.set("Signed out everywhere else.");
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn change_password(self, current: Option<String>, password: String) {
        self.busy("Saving…");
        leptos::task::spawn_local(async move {
            let body = ChangePassword { current, password };
            match http::send::<_, ()>("POST", paths::PASSWORD_CHANGE, &body, None).await {
                Ok(()) => {
                    self.event("password_changed", serde_json::Value::Null);
                    self.status.set("Password saved.");
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }
}
