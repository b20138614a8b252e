//! The ceremony controller: one WebAuthn ceremony at a time under the one `AbortController` (a new one
//! aborts the last, WebAuthn L3 §5.6), generations so a late end does not clear a newer one, and the one
//! future every ceremony and request shares.

use std::{future::Future, pin::Pin};

use latchkey_proto::{ErrorCode, paths};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::{AbortController, AbortSignal};

use super::{Flow, Onward, Status, failures::Failure};
use crate::{
    api::{ApiError, Ceremony, Step, ceremony_from, step_from},
    js::{member, object},
    webauthn::{self, BrowserError, Mediation},
};

/// Runs a future to completion on the browser's event loop. Boxing here means one executor glue for
/// every flow instead of one per future type.
pub(super) fn spawn(future: impl Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(future));
}

fn spawn_boxed(future: Pin<Box<dyn Future<Output = ()>>>) {
    wasm_bindgen_futures::spawn_local(future);
}

/// Where a ceremony's options come from.
pub(super) enum Begin {
    /// Options the server sent earlier (a started sign-up, the passkey step).
    Have(Ceremony),
    /// Options to ask for: the start endpoint and its body.
    Start(&'static str, JsValue),
}

/// The browser call of a ceremony.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// `navigator.credentials.get`.
    Get(Mediation),
    /// `navigator.credentials.create`.
    Create(Mediation),
}

impl Flow {
    /// Cancels whatever ceremony is in flight (WebAuthn §5.6: an aborted signal rejects the pending
    /// `create` / `get` with `AbortError`), and returns the signal and generation of a new one.
    /// `modal`: whether it is a prompt the person opened, which an ambient ceremony must not abort.
    pub(super) fn new_ceremony(self, modal: bool) -> Result<(AbortSignal, u32), Failure> {
        self.abort_ceremony();
        let controller = AbortController::new().map_err(|_| Failure::Browser(BrowserError::Other))?;
        let signal = controller.signal();
        let generation = self.inner.try_update_value(|i| {
            i.generation += 1;
            i.controller = Some(controller);
            i.prompt_open = modal;
            i.generation
        });
        Ok((signal, generation.ok_or(Failure::Browser(BrowserError::Abort))?))
    }

    /// Forgets the controller of a ceremony that ended, unless a newer ceremony replaced it.
    pub(super) fn end_ceremony(self, generation: u32) {
        self.inner.update_value(|i| {
            if i.generation == generation {
                i.controller = None;
                i.prompt_open = false;
            }
        });
    }

    /// Cancels ceremony `generation` if it is still the one in flight.
    pub(super) fn abort_if_current(self, generation: u32) {
        if self.inner.try_with_value(|i| i.generation == generation).unwrap_or(false) {
            self.abort_ceremony();
        }
    }

    /// Cancels the ceremony in flight, if any.
    pub(crate) fn abort_ceremony(self) {
        let taken = self.inner.try_update_value(|i| {
            i.prompt_open = false;
            // Autofill's options go with it: the next screen's ceremony may not be autofill's.
            i.kept = None;
            i.controller.take()
        });
        if let Some(controller) = taken.flatten() {
            controller.abort();
        }
    }

    /// Keeps autofill's sign-in options for "Continue with a passkey", until two minutes before their
    /// `timeout` (the server's lifetime for the ceremony) runs out, which a prompt opened with them keeps
    /// for the person to answer it; options without one are never fresh.
    fn keep(self, ceremony: &Ceremony) {
        let fresh_for = member(&ceremony.public_key, "timeout").as_f64().unwrap_or(0.0) - 120_000.0;
        self.inner.update_value(|i| i.kept = Some((ceremony.clone(), js_sys::Date::now() + fresh_for)));
    }

    /// Runs one WebAuthn ceremony: the options (from the server, or kept from earlier), the browser's
    /// `create` or `get`, and the finish at `finish`; `then` gets the outcome. Every ceremony shares this
    /// one future, which keeps the widget small.
    pub(super) fn ceremony(
        self,
        begin: Begin,
        kind: Kind,
        finish: &'static str,
        then: fn(Flow, Result<Step, Failure>),
    ) {
        let modal = !matches!(kind, Kind::Get(Mediation::Conditional) | Kind::Create(Mediation::Conditional));
        if modal {
            self.status.set(Status { busy: Some(self.lang().working()), ..Status::default() });
        }
        // A kept sign-up ceremony goes back if the browser step fails: nothing reached the server.
        let restore = matches!(begin, Begin::Have(_)) && finish == paths::SIGN_UP_FINISH;
        spawn(async move {
            let outcome = async {
                let server = self.server()?;
                let ceremony = match begin {
                    Begin::Have(ceremony) => ceremony,
                    Begin::Start(path, body) => ceremony_from(&server.post(path, &body).await?)?,
                };
                // The browser's options are built before the controller is taken, so an answer they
                // cannot be built from leaves no controller behind.
                let options = match kind {
                    Kind::Get(_) => webauthn::request_options(&ceremony.public_key)?,
                    Kind::Create(_) => webauthn::creation_options(&ceremony.public_key)?,
                };
                // A prompt the person opened while an ambient ceremony's options were on their way must
                // not be aborted by that ceremony arriving late; another ambient one it replaces.
                if !modal && self.inner.try_with_value(|i| i.prompt_open).unwrap_or(true) {
                    return Err(Failure::Browser(BrowserError::Abort));
                }
                let (signal, generation) = self.new_ceremony(modal)?;
                if !modal && finish == paths::SIGN_IN_FINISH {
                    self.keep(&ceremony);
                }
                if modal {
                    self.set_busy(Some(self.lang().waiting_for_passkey()));
                }
                let credential = match kind {
                    Kind::Get(mediation) => webauthn::get_assertion(&options, mediation, &signal).await,
                    Kind::Create(mediation) => {
                        if !modal {
                            let give_up = move || self.abort_if_current(generation);
                            set_timeout(give_up, std::time::Duration::from_millis(AUTOMATIC_UPGRADE_MS));
                        }
                        webauthn::create(&options, mediation, &signal).await
                    }
                };
                self.end_ceremony(generation);
                if credential.is_err() && restore {
                    self.inner.update_value(|i| i.sign_up = Some(ceremony.clone()));
                }
                let credential = credential?;
                // Whatever options it was made with are spent now.
                self.inner.update_value(|i| i.kept = None);
                self.set_busy(Some(self.lang().working()));
                // A recovery's finish carries the reset link's token again: the link is what it is done on.
                let token = if finish == paths::RECOVERY_FINISH {
                    self.inner.try_with_value(|i| i.token.clone()).flatten()
                } else {
                    None
                };
                let answer = server.post(finish, &finish_body(&ceremony.id, &credential, token)).await;
                if answer == Err(ApiError::Server(ErrorCode::CredentialUnknown)) {
                    webauthn::signal_unknown_credential(
                        &member(&ceremony.public_key, "rpId"),
                        &member(&credential, "id"),
                    );
                }
                let step = step_from(&answer?, finish)?;
                // A new passkey is named next; a second-factor enrollment also brought the session.
                if step.passkey.is_some() {
                    self.inner.update_value(|i| {
                        i.passkey = step.passkey.clone();
                        i.marker = None;
                        i.session = step.session.clone().or(i.session.take());
                    });
                }
                Ok(step)
            };
            then(self, outcome.await);
        });
    }

    /// Posts `body` to `path` with progress shown, and hands the answer to `then`; every request that
    /// is not a ceremony shares this one future.
    pub(super) fn post(self, path: &'static str, body: JsValue, then: fn(Flow, JsValue)) {
        self.run(Box::pin(async move {
            let answer = self.server()?.post(path, &body).await?;
            then(self, answer);
            Ok(())
        }));
    }

    /// Shows progress while `step` runs, and explains its failure if it fails.
    pub(super) fn run(self, step: Pin<Box<dyn Future<Output = Result<(), Failure>>>>) {
        self.status.set(Status { busy: Some(self.lang().working()), ..Status::default() });
        spawn(async move {
            if let Err(failure) = step.await {
                self.onward(Onward::Fail(failure));
            }
        });
    }
}

/// A ceremony's finish body; `token` is left out (`undefined`) unless there is one.
fn finish_body(ceremony: &str, credential: &JsValue, token: Option<String>) -> JsValue {
    let token = token.map_or(JsValue::UNDEFINED, JsValue::from);
    object(&[("ceremony", &JsValue::from_str(ceremony)), ("credential", credential), ("token", &token)])
}

/// How long an automatic passkey upgrade may take before the consent screen shows instead.
const AUTOMATIC_UPGRADE_MS: u64 = 3000;
