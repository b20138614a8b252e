//! The email section: whether the address is verified (with the link mailed again on request), and a
//! change of address, which needs a recent sign-in and takes effect when the new address's owner opens
//! the link mailed to it.

use latchkey_proto::{AccountInfo, ChangeEmail, paths};
use leptos::{ev::SubmitEvent, prelude::*};
use serde_json::json;
use wasm_bindgen::JsValue;

use super::{Change, Page, confirm};
use crate::http;
use latchkey_widget::js::member;

/// The address, its state, and the change form with the confirmation it may wait for.
pub(super) fn section(page: Page, account: &AccountInfo) -> impl IntoView + use<> {
    let verified = account.email_verified;
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let email = member(&member(&form, "email"), "value").as_string().unwrap_or_default();
        page.change_email(email.trim().to_owned());
    };
    view! {
        <h3 class="lk-subtitle-heading">"Email"</h3>
        <p class="lk-email">
            {account.user.email.clone()} " "
            <span class="lk-badge">{if verified { "Verified" } else { "Not verified yet" }}</span>
        </p>
        {(!verified).then(|| view! {
            <p class="lk-note">
                "Open the link we mailed to this address to verify it. "
                <button type="button" class="lk-link" on:click=move |_| page.resend_verification()>
                    "Send the link again"
                </button>
            </p>
        })}
        <form class="lk-form" on:submit=on_submit>
            <label class="lk-label">"New email address"
                <input class="lk-input" type="email" name="email" autocomplete="email" required maxlength="254" />
            </label>
            <button type="submit" class="lk-secondary">"Change email"</button>
        </form>
        {confirm::here(page, account, |change| matches!(change, Change::Email(_)))}
    }
}

impl Page {
    pub(super) fn change_email(self, email: String) {
        self.busy("Sending…");
        leptos::task::spawn_local(async move {
            let body = ChangeEmail { email: email.clone() };
            match http::send::<_, ()>("POST", paths::EMAIL_CHANGE, &body, None).await {
                Ok(()) => {
                    self.status.set("Check the new address: the change happens when you open the link we sent it.")
                }
                Err(failure) => self.refused(Change::Email(email), failure),
            }
        });
    }

    fn resend_verification(self) {
        self.busy("Sending…");
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::EMAIL_VERIFY, &json!({}), None).await {
                Ok(()) => self.status.set("Sent. Open the link in the mail to verify your address."),
                Err(failure) => self.fail(failure),
            }
        });
    }
}
