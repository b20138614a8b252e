//! "Confirm it's you": shown where a change was refused for an old sign-in, it signs the person in again
//! with one of the account's passkeys (the identifier-first prompt, limited to them) or its password
//! (and the passkey second factor when the policy wants one), then sends the change again.

use latchkey_proto::{
    AccountInfo, CeremonyFinish, CeremonyStarted, ErrorCode, Identified, Identify, Next, PasswordSignIn, SignInStep,
    paths,
};
use leptos::{ev::SubmitEvent, html, prelude::*};
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::{Change, Page};
use crate::http::{self, Failure, Sender};
use latchkey_widget::{
    js::member,
    webauthn::{self, Mediation},
};

/// The confirmation, if the change waiting for one is of the kind this section makes.
pub(super) fn here(page: Page, account: &AccountInfo, of_this_section: fn(&Change) -> bool) -> impl IntoView + use<> {
    let email = account.user.email.clone();
    let with_passkey = !account.passkeys.is_empty();
    let with_password = account.has_password;
    move || {
        let change = page.confirming.get().filter(of_this_section)?;
        Some(panel(page, change, email.clone(), with_passkey, with_password))
    }
}

fn panel(page: Page, change: Change, email: String, with_passkey: bool, with_password: bool) -> impl IntoView {
    let heading = NodeRef::<html::H4>::new();
    // Focus follows the refusal here, so a screen reader announces what is asked and a keyboard is
    // already in place.
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let passkey_email = email.clone();
    let passkey_change = change.clone();
    let says = page.says();
    let on_password = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let password = member(&member(&form, "password"), "value").as_string().unwrap_or_default();
        page.confirm(change.clone(), Confirmation::with_password(email.clone(), password));
    };
    view! {
        <div class="lk-reauth" role="group" aria-label=says.confirm_its_you()>
            <h4 class="lk-reauth-title" tabindex="-1" node_ref=heading>{says.confirm_its_you()}</h4>
            <p>{says.confirm_why()}</p>
            {with_passkey.then(|| view! {
                <button type="button" class="lk-primary"
                    on:click=move |_| page.confirm(passkey_change.clone(), Confirmation::WithPasskey(passkey_email.clone()))>
                    {says.use_your_passkey()}
                </button>
            })}
            {with_password.then(|| view! {
                <form class="lk-form" on:submit=on_password>
                    <label class="lk-label">{says.your_password()}
                        <input class="lk-input" type="password" name="password" autocomplete="current-password" required />
                    </label>
                    <button type="submit" class="lk-secondary">{says.confirm_with_password()}</button>
                </form>
            })}
            <button type="button" class="lk-secondary" on:click=move |_| page.confirming.set(None)>{says.cancel()}</button>
        </div>
    }
}

/// How the person confirms it's them.
enum Confirmation {
    /// With one of the account's passkeys.
    WithPasskey(String),
    /// With the account's password.
    WithPassword(PasswordSignIn),
}

impl Confirmation {
    fn with_password(email: String, password: String) -> Self {
        Self::WithPassword(PasswordSignIn { email, password })
    }

    /// Signs in again: the new session replaces the old one, and its sign-in is recent.
    async fn sign_in(self, sender: Sender<'_>) -> Result<(), Failure> {
        match self {
            Self::WithPasskey(email) => {
                let identified: Identified<Value> =
                    http::send("POST", paths::IDENTIFY, &Identify { email }, sender).await?;
                passkey_step(identified.passkey.ok_or(Failure::Server(ErrorCode::CredentialUnknown))?, sender).await
            }
            Self::WithPassword(body) => {
                let step: SignInStep<Value> = http::send("POST", paths::PASSWORD_SIGN_IN, &body, sender).await?;
                match (step.next, step.ceremony) {
                    (Next::SecondFactor, Some(ceremony)) => passkey_step(ceremony, sender).await,
                    _ if step.session.is_some() => Ok(()),
                    // A second factor to enroll first: that is the login page's journey, not this one.
                    _ => Err(Failure::Server(ErrorCode::NotSignedIn)),
                }
            }
        }
    }
}

/// The browser's passkey prompt for request options limited to the account's passkeys, and the
/// server's check of its answer (WebAuthn L3 §7.2), which starts the new session.
async fn passkey_step(started: CeremonyStarted<Value>, sender: Sender<'_>) -> Result<(), Failure> {
    let json = js_sys::JSON::parse(&started.public_key.to_string()).map_err(|_| Failure::Network)?;
    let options = webauthn::request_options(&json).map_err(Failure::Browser)?;
    let controller = web_sys::AbortController::new().map_err(|_| Failure::Network)?;
    let credential =
        webauthn::get_assertion(&options, Mediation::Modal, &controller.signal()).await.map_err(Failure::Browser)?;
    let finish = CeremonyFinish { ceremony: started.ceremony, credential: http::json_value(&credential)? };
    let _: SignInStep<Value> = http::send("POST", paths::VERIFY_PASSKEY, &finish, sender).await?;
    Ok(())
}

impl Page {
    /// Confirms it's the person, then sends the change that waited for it.
    fn confirm(self, change: Change, how: Confirmation) {
        self.busy(self.says().confirming());
        leptos::task::spawn_local(async move {
            match how.sign_in(self.sender()).await {
                Ok(()) => {
                    self.confirming.set(None);
                    self.apply(change);
                }
                Err(failure) => self.fail(failure),
            }
        });
    }
}
