//! `<latchkey-console>`: the administrator's console. The passkey policy as a form ("Allow passkey
//! progressive enrollment", … "Update"), applied by the server at once, and the event log with filters
//! and older pages. Every request carries the bearer token the administrator types, kept for the tab's
//! session only.

use latchkey_proto::{
    ErrorCode, Policy,
    events::{EventCode, EventPage},
    paths,
    policy::{Attachment, ChallengeUi, Mfa, UserVerification},
};
use leptos::{ev::SubmitEvent, prelude::*};
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::http::{self, Failure};
use latchkey_widget::js::member;

/// Where the token is kept: the tab's session storage, never a cookie or local storage.
const TOKEN_KEY: &str = "latchkey-admin-token";

/// The console's state.
#[derive(Clone, Copy)]
struct Console {
    token: RwSignal<Option<String>>,
    policy: RwSignal<Option<Policy>>,
    events: RwSignal<Vec<latchkey_proto::events::EventRecord<Value>>>,
    next_cursor: RwSignal<Option<String>>,
    code_filter: RwSignal<String>,
    status: RwSignal<&'static str>,
    problem: RwSignal<Option<&'static str>>,
}

/// The console.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let console = Console {
        token: RwSignal::new(stored_token()),
        policy: RwSignal::new(None),
        events: RwSignal::new(Vec::new()),
        next_cursor: RwSignal::new(None),
        code_filter: RwSignal::new(String::new()),
        status: RwSignal::new(""),
        problem: RwSignal::new(None),
    };
    if console.token.get_untracked().is_some() {
        console.load();
    }
    view! {
        <section class="latchkey lk-console">
            <h2 class="lk-title">"Latchkey console"</h2>
            {token_form(console)}
            {move || console.policy.get().map(|policy| policy_form(console, policy))}
            {move || console.policy.get().is_some().then(|| events_view(console))}
            <p class="lk-status" role="status">{move || console.status.get()}</p>
            <div class="lk-problem" role="alert">
                {move || console.problem.get().map(|message| view! { <p class="lk-error">{message}</p> })}
            </div>
        </section>
    }
}

fn stored_token() -> Option<String> {
    let storage = web_sys::window()?.session_storage().ok()??;
    storage.get_item(TOKEN_KEY).ok()?
}

fn token_form(console: Console) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let token = member(&member(&form, "token"), "value").as_string().unwrap_or_default();
        if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
            let _ = storage.set_item(TOKEN_KEY, &token);
        }
        console.token.set(Some(token));
        console.load();
    };
    view! {
        <form class="lk-form lk-token" on:submit=on_submit>
            <label class="lk-label">"Admin token"
                <input class="lk-input" type="password" name="token" autocomplete="off" />
            </label>
            <button type="submit" class="lk-secondary">"Open the console"</button>
        </form>
    }
}

fn checkbox(label: &'static str, name: &'static str, checked: bool) -> impl IntoView {
    view! {
        <label class="lk-check"><input type="checkbox" name=name checked=checked /> {label}</label>
    }
}

fn number(label: &'static str, name: &'static str, value: u32) -> impl IntoView {
    view! {
        <label class="lk-label">{label}
            <input class="lk-input" type="number" min="1" name=name value=value.to_string() />
        </label>
    }
}

fn choice(label: &'static str, name: &'static str, options: &'static [&'static str], value: String) -> impl IntoView {
    view! {
        <label class="lk-label">{label}
            <select class="lk-input" name=name>
                {options.iter().map(|option| view! {
                    <option value=*option selected=*option == value>{*option}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// The JSON name of a policy enum value, as the form's `<select>` uses it.
fn wire<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn policy_form(console: Console, policy: Policy) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        console.update(read_policy(&form));
    };
    view! {
        <form class="lk-form lk-policy" on:submit=on_submit>
            <h3>"Passkey policy"</h3>
            {checkbox("Allow passkey progressive enrollment", "progressive_enrollment", policy.progressive_enrollment)}
            {number("Days \"Not now\" waits before asking again", "enrollment_snooze_days", policy.enrollment_snooze_days)}
            {checkbox("Offer a passkey on this device after a sign-in from another device", "local_enrollment", policy.local_enrollment)}
            {choice("Passkey prompt on the sign-in screen", "challenge_ui", &["both", "autofill", "button"], wire(&policy.challenge_ui))}
            {choice("User verification", "user_verification", &["required", "preferred"], wire(&policy.user_verification))}
            {choice("Where new passkeys live", "authenticator_attachment", &["any", "platform", "cross_platform"], wire(&policy.authenticator_attachment))}
            {choice("Passkey as a second factor after a password", "mfa", &["off", "passkey"], wire(&policy.mfa))}
            {number("Passkeys per account", "passkeys_per_user", policy.passkeys_per_user)}
            <label class="lk-label">"Allowed origins (one per line)"
                <textarea class="lk-input" name="origins" rows="2">{policy.origins.join("\n")}</textarea>
            </label>
            <label class="lk-label">"Related origins, served at /.well-known/webauthn (one per line)"
                <textarea class="lk-input" name="related_origins" rows="2">{policy.related_origins.join("\n")}</textarea>
            </label>
            <button type="submit" class="lk-primary">"Update"</button>
        </form>
    }
}

/// The policy as the form now says.
fn read_policy(form: &JsValue) -> Policy {
    let field = |name: &str| member(form, name);
    let text = |name: &str| member(&field(name), "value").as_string().unwrap_or_default();
    let checked = |name: &str| member(&field(name), "checked").is_truthy();
    let number = |name: &str, default: u32| text(name).trim().parse().unwrap_or(default);
    let lines = |name: &str| text(name).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let defaults = Policy::default();
    let pick = |name: &str| Value::String(text(name));
    Policy {
        challenge_ui: serde_json::from_value(pick("challenge_ui")).unwrap_or(ChallengeUi::Both),
        progressive_enrollment: checked("progressive_enrollment"),
        enrollment_snooze_days: number("enrollment_snooze_days", defaults.enrollment_snooze_days),
        local_enrollment: checked("local_enrollment"),
        user_verification: serde_json::from_value(pick("user_verification")).unwrap_or(UserVerification::Required),
        authenticator_attachment: serde_json::from_value(pick("authenticator_attachment")).unwrap_or(Attachment::Any),
        mfa: serde_json::from_value(pick("mfa")).unwrap_or(Mfa::Off),
        passkeys_per_user: number("passkeys_per_user", defaults.passkeys_per_user),
        origins: lines("origins"),
        related_origins: lines("related_origins"),
    }
}

fn events_view(console: Console) -> impl IntoView {
    let codes: Vec<&'static str> = EventCode::ALL.iter().map(|c| c.as_str()).collect();
    view! {
        <h3>"Events"</h3>
        <label class="lk-label">"Code"
            <select class="lk-input" name="code" on:change=move |event| {
                console.code_filter.set(event_target_value(&event));
                console.load_events(false);
            }>
                <option value="">"All"</option>
                {codes.into_iter().map(|code| view! { <option value=code>{code}</option> }).collect_view()}
            </select>
        </label>
        <table class="lk-events">
            <thead><tr><th>"Time"</th><th>"Event"</th><th>"User"</th><th>"Reason"</th><th>"IP"</th></tr></thead>
            <tbody>
                {move || console.events.get().into_iter().map(|event| view! {
                    <tr>
                        <td>{time(event.at)}</td>
                        <td>{event.code.as_str()}</td>
                        <td>{event.email.unwrap_or_default()}</td>
                        <td>{event.reason.unwrap_or_default()}</td>
                        <td>{event.ip.unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {move || console.next_cursor.get().is_some().then(|| view! {
            <button type="button" class="lk-secondary" on:click=move |_| console.load_events(true)>"Older events"</button>
        })}
    }
}

fn time(seconds: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    String::from(date.to_locale_string("default", &JsValue::UNDEFINED))
}

impl Console {
    fn token(self) -> Option<String> {
        self.token.get_untracked()
    }

    fn fail(self, failure: Failure) {
        self.status.set("");
        self.problem.set(Some(failure.message()));
        if failure == Failure::Server(ErrorCode::Forbidden) {
            self.policy.set(None);
        }
    }

    fn load(self) {
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            match http::get::<Policy>(paths::ADMIN_POLICY, self.token().as_deref()).await {
                Ok(policy) => {
                    self.policy.set(Some(policy));
                    self.load_events(false);
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn load_events(self, older: bool) {
        leptos::task::spawn_local(async move {
            let mut query = vec![String::from("limit=50")];
            let code = self.code_filter.get_untracked();
            if !code.is_empty() {
                query.push(format!("code={code}"));
            }
            if let Some(cursor) = self.next_cursor.get_untracked().filter(|_| older) {
                query.push(format!("cursor={cursor}"));
            }
            let path = format!("{}?{}", paths::ADMIN_EVENTS, query.join("&"));
            match http::get::<EventPage<Value>>(&path, self.token().as_deref()).await {
                Ok(page) => {
                    self.next_cursor.set(page.next_cursor);
                    if older {
                        self.events.update(|events| events.extend(page.events));
                    } else {
                        self.events.set(page.events);
                    }
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn update(self, policy: Policy) {
        self.status.set("Saving…");
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            match http::send::<_, Policy>("PUT", paths::ADMIN_POLICY, &policy, self.token().as_deref()).await {
                Ok(saved) => {
                    self.policy.set(Some(saved));
                    self.status.set("Policy updated. It applies to every request from now on.");
                    self.load_events(false);
                }
                Err(failure) => self.fail(failure),
            }
        });
    }
}
