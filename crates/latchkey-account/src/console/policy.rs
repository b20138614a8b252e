//! The console's Passkey policy section: the policy as a form in words, "Update" applied by the server at
//! once, and the confirmation next to the button that caused it.

use latchkey_proto::{
    Policy, paths,
    policy::{Attachment, ChallengeUi, Mfa, UserVerification},
};
use leptos::{ev::SubmitEvent, prelude::*};
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::{Console, labels};
use crate::catalog::Lang;
use latchkey_widget::js::member;

/// The section: loads the policy, then shows it as a form.
pub(super) fn section(console: Console) -> impl IntoView {
    let policy = RwSignal::new(None::<Policy>);
    let status = RwSignal::new("");
    leptos::task::spawn_local(async move {
        policy.set(console.get::<Policy>(paths::ADMIN_POLICY).await);
    });
    move || policy.get().map(|current| form(console, policy, status, current))
}

fn checkbox(label: &'static str, name: &'static str, checked: bool) -> impl IntoView {
    view! {
        <label class="lk-check"><input type="checkbox" name=name checked=checked /> {label}</label>
    }
}

fn number(label: &'static str, name: &'static str, value: u32) -> impl IntoView {
    view! {
        <label class="lk-label">{label}
            <input class="lk-input lk-narrow" type="number" min="1" name=name value=value.to_string() />
        </label>
    }
}

fn choice(
    says: Lang,
    label: &'static str,
    name: &'static str,
    options: &'static [&'static str],
    value: String,
) -> impl IntoView {
    view! {
        <label class="lk-label">{label}
            <select class="lk-input" name=name>
                {options.iter().map(|option| view! {
                    <option value=*option selected=*option == value>{labels::option(option, says)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// The JSON name of a policy enum value, as the form's `<select>` uses it.
fn wire<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn form(
    console: Console,
    shown: RwSignal<Option<Policy>>,
    status: RwSignal<&'static str>,
    policy: Policy,
) -> impl IntoView {
    let says = console.says();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let next = read_policy(&form);
        status.set(says.saving());
        leptos::task::spawn_local(async move {
            match console.send::<_, Policy>("PUT", paths::ADMIN_POLICY, &next).await {
                Some(saved) => {
                    shown.set(Some(saved));
                    status.set(says.policy_saved());
                }
                None => status.set(""),
            }
        });
    };
    view! {
        <form class="lk-form lk-policy" on:submit=on_submit>
            <fieldset class="lk-fieldset">
                <legend>{says.enrollment()}</legend>
                {checkbox(says.allow_progressive(), "progressive_enrollment", policy.progressive_enrollment)}
                {number(says.snooze_days(), "enrollment_snooze_days", policy.enrollment_snooze_days)}
                {checkbox(says.local_enrollment(), "local_enrollment", policy.local_enrollment)}
                {number(says.passkeys_per_account(), "passkeys_per_user", policy.passkeys_per_user)}
            </fieldset>
            <fieldset class="lk-fieldset">
                <legend>{says.sessions_heading()}</legend>
                {number(says.idle_days(), "session_idle_days", policy.session_idle_days)}
                {number(says.lifetime_days(), "session_lifetime_days", policy.session_lifetime_days)}
                {number(says.reauthentication_minutes(), "reauthentication_minutes", policy.reauthentication_minutes)}
            </fieldset>
            <fieldset class="lk-fieldset">
                <legend>{says.sign_in_legend()}</legend>
                {choice(says, says.challenge_ui(), "challenge_ui", &["both", "autofill", "button"], wire(&policy.challenge_ui))}
                {choice(says, says.user_verification(), "user_verification", &["required", "preferred"], wire(&policy.user_verification))}
                {choice(says, says.attachment(), "authenticator_attachment", &["any", "platform", "cross_platform"], wire(&policy.authenticator_attachment))}
                {choice(says, says.mfa(), "mfa", &["off", "passkey"], wire(&policy.mfa))}
                {choice(says, says.email_verification(), "email_verification", &["after_sign_up", "before_sign_up", "off"], wire(&policy.email_verification))}
            </fieldset>
            <fieldset class="lk-fieldset">
                <legend>{says.origins()}</legend>
                <label class="lk-label">{says.allowed_origins()}
                    <textarea class="lk-input" name="origins" rows="2">{policy.origins.join("\n")}</textarea>
                </label>
                <label class="lk-label">{says.related_origins()}
                    <textarea class="lk-input" name="related_origins" rows="2">{policy.related_origins.join("\n")}</textarea>
                </label>
            </fieldset>
            <div class="lk-actions">
                <button type="submit" class="lk-primary lk-inline">{says.update()}</button>
                <span class="lk-confirmation" role="status">{move || status.get()}</span>
            </div>
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
        session_idle_days: number("session_idle_days", defaults.session_idle_days),
        session_lifetime_days: number("session_lifetime_days", defaults.session_lifetime_days),
        reauthentication_minutes: number("reauthentication_minutes", defaults.reauthentication_minutes),
        email_verification: serde_json::from_value(pick("email_verification")).unwrap_or_default(),
    }
}
