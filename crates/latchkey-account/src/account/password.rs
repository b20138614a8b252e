//! The password section: set one (after a recent sign-in) or change it (with the current one).

use latchkey_proto::{AccountInfo, ChangePassword, paths};
use leptos::{ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsValue;

use super::{Change, Page, confirm};
use crate::http;
use latchkey_widget::js::member;

/// The form, and the confirmation setting a first password may wait for.
pub(super) fn section(page: Page, account: &AccountInfo) -> impl IntoView + use<> {
    let has_password = account.has_password;
    let says = page.says();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let value = |name| member(&member(&form, name), "value").as_string();
        page.change_password(value("current"), value("password").unwrap_or_default());
    };
    view! {
        <h3 class="lk-subtitle-heading">{says.password()}</h3>
        <form class="lk-form" on:submit=on_submit>
            {has_password.then(|| view! {
                <label class="lk-label">{says.current_password()}
                    <input class="lk-input" type="password" name="current" autocomplete="current-password" />
                </label>
            })}
            <label class="lk-label">{says.new_password()}
                <input class="lk-input" type="password" name="password" autocomplete="new-password" />
            </label>
            <button type="submit" class="lk-secondary">
                {if has_password { says.change_password() } else { says.set_password() }}
            </button>
        </form>
        {confirm::here(page, account, |change| matches!(change, Change::Password { .. }))}
    }
}

impl Page {
    pub(super) fn change_password(self, current: Option<String>, new: String) {
        self.busy(self.says().saving());
        leptos::task::spawn_local(async move {
            let body = ChangePassword { current: current.clone(), password: new.clone() };
            match http::send::<_, ()>("POST", paths::PASSWORD_CHANGE, &body, self.sender()).await {
                Ok(()) => {
                    self.event("password_changed", serde_json::Value::Null);
                    self.status.set(self.says().password_saved());
                    self.load();
                }
                Err(failure) => self.refused(Change::Password { current, new }, failure),
            }
        });
    }
}
