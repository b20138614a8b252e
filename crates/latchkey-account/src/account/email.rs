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
    let says = page.says();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let email = member(&member(&form, "email"), "value").as_string().unwrap_or_default();
        page.change_email(email.trim().to_owned());
    };
    view! {
        <h3 class="lk-subtitle-heading">{says.email()}</h3>
        <p class="lk-email">
            {account.user.email.clone()} " "
            <span class="lk-badge">{if verified { says.verified() } else { says.not_verified() }}</span>
        </p>
        {(!verified).then(|| view! {
            <p class="lk-note">
                {says.open_link_to_verify()}
                <button type="button" class="lk-link" on:click=move |_| page.resend_verification()>
                    {says.send_link_again()}
                </button>
            </p>
        })}
        <form class="lk-form" on:submit=on_submit>
            <label class="lk-label">{says.new_email()}
                <input class="lk-input" type="email" name="email" autocomplete="email" required maxlength="254" />
            </label>
            <button type="submit" class="lk-secondary">{says.change_email()}</button>
        </form>
        {confirm::here(page, account, |change| matches!(change, Change::Email(_)))}
    }
}

impl Page {
    pub(super) fn change_email(self, email: String) {
        self.busy(self.says().sending());
        leptos::task::spawn_local(async move {
            let body = ChangeEmail { email: email.clone() };
            match http::send::<_, ()>("POST", paths::EMAIL_CHANGE, &body, self.sender()).await {
                Ok(()) => self.status.set(self.says().check_new_address()),
                Err(failure) => self.refused(Change::Email(email), failure),
            }
        });
    }

    fn resend_verification(self) {
        self.busy(self.says().sending());
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::EMAIL_VERIFY, &json!({}), self.sender()).await {
                Ok(()) => self.status.set(self.says().verification_sent()),
                Err(failure) => self.fail(failure),
            }
        });
    }
}
