//! The passkeys section: each passkey with its provider, backup state and dates; renamed; deleted
//! with confirmation (and a recent sign-in); added (after a recent sign-in too).

use latchkey_proto::{AccountInfo, AddPasskey, DeletePasskey, PasskeySummary, RenamePasskey, SignInStep, paths};
use leptos::{ev::SubmitEvent, prelude::*};
use serde_json::json;
use wasm_bindgen::JsValue;

use super::{Change, Page, confirm, dates::date};
use crate::{
    catalog::fill,
    http::{self, Failure},
    signal,
};
use latchkey_widget::{
    js::member,
    webauthn::{self, Mediation},
};

/// The list, "Add a passkey", and the confirmation either may wait for.
pub(super) fn section(page: Page, account: &AccountInfo) -> impl IntoView + use<> {
    let at_cap = account.passkeys.len() as u32 >= account.max_passkeys;
    let passkeys = account.passkeys.clone();
    let says = page.says();
    view! {
        <ul class="lk-passkeys">
            {passkeys.into_iter().map(|passkey| passkey_view(page, passkey)).collect_view()}
        </ul>
        {confirm::here(page, account, |change| matches!(change, Change::AddPasskey | Change::DeletePasskey(_)))}
        <button type="button" class="lk-primary" disabled=at_cap on:click=move |_| page.add_passkey()>
            {says.add_passkey()}
        </button>
        {at_cap.then(|| view! { <p class="lk-note">{says.passkeys_at_cap()}</p> })}
    }
}

fn passkey_view(page: Page, passkey: PasskeySummary) -> impl IntoView {
    let id = passkey.id;
    let name = passkey.name.clone();
    let says = page.says();
    let backup = if passkey.synced { says.synced() } else { says.this_device_only() };
    let language = page.locale();
    let used = passkey.last_used_at.map_or_else(|| says.never().to_owned(), |at| date(at, language));
    let dates = fill(says.passkey_dates(), &[&date(passkey.created_at, language), &used]);
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
    let says = page.says();
    view! {
        <div class="lk-passkey-actions">
            <button type="button" class="lk-secondary" aria-label=fill(says.rename_named(), &[&name])
                on:click=move |_| page.renaming.set(Some(id))>{says.rename()}</button>
            <button type="button" class="lk-secondary" aria-label=fill(says.delete_named(), &[&name])
                on:click=move |_| page.deleting.set(Some(id))>{says.delete()}</button>
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
    let says = page.says();
    view! {
        <form class="lk-form" on:submit=on_submit>
            <label class="lk-label">{says.passkey_name()}
                <input class="lk-input" name="name" value=name autocomplete="off" required maxlength="64" />
            </label>
            <button type="submit" class="lk-primary">{says.save()}</button>
            <button type="button" class="lk-secondary" on:click=move |_| page.renaming.set(None)>{says.cancel()}</button>
        </form>
    }
}

fn confirm_delete(page: Page, id: i64, name: String) -> impl IntoView {
    let says = page.says();
    view! {
        <div class="lk-confirm" role="group" aria-label=says.confirm_deletion()>
            <p>{fill(says.delete_question(), &[&name])}</p>
            <button type="button" class="lk-danger" on:click=move |_| page.delete(id)>{says.delete_passkey()}</button>
            <button type="button" class="lk-secondary" on:click=move |_| page.deleting.set(None)>{says.cancel()}</button>
        </div>
    }
}

impl Page {
    pub(super) fn add_passkey(self) {
        self.busy(self.says().waiting_for_passkey());
        leptos::task::spawn_local(async move {
            match self.create_passkey().await {
                Ok(step) => {
                    let passkey = step.passkey.map(|p| json!({ "id": p.id, "name": p.name }));
                    self.event("passkey_added", json!({ "passkey": passkey }));
                    self.status.set(self.says().passkey_added());
                    self.load();
                }
                Err(failure) => self.refused(Change::AddPasskey, failure),
            }
        });
    }

    async fn create_passkey(self) -> Result<SignInStep<serde_json::Value>, Failure> {
        let start = AddPasskey { from_account: true, ..AddPasskey::default() };
        let started: latchkey_proto::CeremonyStarted<serde_json::Value> =
            http::send("POST", paths::PASSKEY_ADD_START, &start, self.sender()).await?;
        let json = js_sys::JSON::parse(&started.public_key.to_string()).map_err(|_| Failure::Network)?;
        let options = webauthn::creation_options(&json).map_err(Failure::Browser)?;
        let controller = web_sys::AbortController::new().map_err(|_| Failure::Network)?;
        let credential =
            webauthn::create(&options, Mediation::Modal, &controller.signal()).await.map_err(Failure::Browser)?;
        let credential = http::json_value(&credential)?;
        let finish = json!({ "ceremony": started.ceremony, "credential": credential });
        http::send("POST", paths::PASSKEY_ADD_FINISH, &finish, self.sender()).await
    }

    fn rename(self, id: i64, name: String) {
        self.busy(self.says().saving());
        leptos::task::spawn_local(async move {
            let body = RenamePasskey { id, name: name.trim().to_owned() };
            match http::send::<_, ()>("POST", paths::PASSKEY_RENAME, &body, self.sender()).await {
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
                    self.status.set(self.says().passkey_renamed());
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    pub(super) fn delete(self, id: i64) {
        self.busy(self.says().deleting());
        leptos::task::spawn_local(async move {
            match http::send::<_, AccountInfo>("POST", paths::PASSKEY_DELETE, &DeletePasskey { id }, self.sender())
                .await
            {
                Ok(account) => {
                    self.deleting.set(None);
                    // The provider would go on offering the deleted passkey; list the ones that remain.
                    let ids: Vec<String> = account.passkeys.iter().map(|p| p.credential_id.clone()).collect();
                    signal::all_accepted_credentials(&account.rp_id, &account.user_handle, &ids).await;
                    self.event("passkey_deleted", json!({ "passkey": { "id": id } }));
                    self.account.set(Some(account));
                    self.status.set(self.says().passkey_deleted());
                }
                Err(failure) => {
                    self.deleting.set(None);
                    self.refused(Change::DeletePasskey(id), failure);
                }
            }
        });
    }
}
