//! "Forgot password?" and "Can't sign in?": the reset link asked for; what the link opens (a new passkey
//! on this device, started ahead, or a new password); and the new password a reset link's screen saves
//! (or a new account's, on the same screen).

use latchkey_proto::{ErrorCode, events::EventCode, paths};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{
    Flow, Focus, Screen,
    ceremony::{Begin, Kind},
    email_body,
    failures::Failure,
};
use crate::{
    api::{ApiError, Ceremony, ceremony_from},
    js::{member, object},
    webauthn::Mediation,
};

/// What a reset link's screen knows once the link's start has answered.
#[derive(Clone)]
pub(super) struct Recovery {
    /// The new passkey's ceremony, started ahead so the button opens the prompt inside its click; `None`
    /// when the account has as many passkeys as it may, and the link can only set a new password.
    ceremony: Option<Ceremony>,
    /// What the account keeps besides what the link makes: its passkeys, and whether it has a password.
    keeps: (u32, bool),
}

impl Flow {
    /// "Forgot password?".
    pub(crate) fn forgot_password(self) {
        self.go(Screen::Forgot);
    }

    /// "Send reset link". The answer is the same whether or not the email has an account.
    pub(crate) fn send_reset_link(self) {
        let Some(email) = self.checked_email() else { return };
        self.post(paths::PASSWORD_FORGOT, email_body(&email), |flow, _| flow.go(Screen::ForgotSent));
    }

    /// Opens a reset link: starts the passkey ceremony it allows and shows the choice, with what the
    /// account keeps. A dead link shows the reset screen, to ask for a new one, with the reason; any
    /// other failure shows the choice with the reason, and its passkey button asks again.
    pub(super) fn open_recovery(self) {
        let token = self.inner.try_with_value(|i| i.token.clone()).flatten().unwrap_or_default();
        self.run(Box::pin(async move {
            let answer = self.server()?.post(paths::RECOVERY_START, &object(&[("token", &token.into())])).await;
            let answer = match answer {
                Err(error @ ApiError::Server(ErrorCode::ResetLinkInvalid)) => {
                    self.show_screen(Screen::Forgot, Focus::Keep);
                    return Err(error.into());
                }
                Err(error) => {
                    self.show_screen(Screen::Recover, Focus::Keep);
                    return Err(error.into());
                }
                Ok(answer) => answer,
            };
            // No ceremony: the account has as many passkeys as it may, and the link sets a password only.
            let ceremony = member(&answer, "ceremony").is_string().then(|| ceremony_from(&answer)).transpose()?;
            let keeps = member(&answer, "keeps");
            let passkeys = member(&keeps, "passkeys").as_f64().unwrap_or_default() as u32;
            let password = member(&keeps, "password").as_bool().unwrap_or_default();
            self.inner.update_value(|i| i.recovery = Some(Recovery { ceremony, keeps: (passkeys, password) }));
            self.show_screen(Screen::Recover, Focus::Keep);
            Ok(())
        }));
    }

    /// What a reset link's screen says of the account, once the link's start has answered: what it
    /// keeps besides the new passkey or password, and why it cannot have another passkey if so.
    pub(crate) fn recovery_note(self) -> Option<String> {
        let recovery = self.inner.try_with_value(|i| i.recovery.clone()).flatten()?;
        let keeps = self.lang().recovery_keeps(recovery.keeps);
        Some(match recovery.ceremony {
            Some(_) => keeps.to_owned(),
            None => [self.lang().recovery_passkeys_full(), " ", keeps].concat(),
        })
    }

    /// Whether a reset link's screen offers a new passkey: unless the account has as many as it may.
    /// Before the link's start has answered it does, and the button asks.
    pub(crate) fn recovery_offers_passkey(self) -> bool {
        self.inner.try_with_value(|i| i.recovery.as_ref().is_none_or(|r| r.ceremony.is_some())).unwrap_or(true)
    }

    /// "Create a passkey on this device" on a reset link's screen: the kept ceremony's prompt; the new
    /// passkey signs in, and is named next.
    pub(crate) fn recover_with_passkey(self) {
        // A ceremony the server has seen an answer to is gone: the link starts a new one.
        let kept = self.inner.try_with_value(|i| i.recovery.as_ref().and_then(|r| r.ceremony.clone())).flatten();
        let Some(ceremony) = kept else { return self.open_recovery() };
        let begin = Begin::Have(ceremony);
        self.ceremony(begin, Kind::Create(Mediation::Modal), paths::RECOVERY_FINISH, |flow, outcome| match outcome {
            Ok(step) => {
                flow.announce_step(&step);
                flow.inner.update_value(|i| {
                    i.recovery = None;
                    i.token = None;
                });
                flow.go(Screen::NamePasskey);
            }
            Err(failure) => {
                if !matches!(failure, Failure::Browser(_)) {
                    flow.inner.update_value(|i| i.recovery = None);
                }
                flow.fail(failure);
            }
        });
    }

    /// "Choose a new password instead", from a reset link's screen.
    pub(crate) fn recover_with_password(self) {
        self.go(Screen::NewPassword { reset: true });
    }

    /// "Create account" / "Save password" on the new-password screen.
    pub(crate) fn save_password(self) {
        if !matches!(self.screen.get_untracked(), Screen::NewPassword { reset: true }) {
            return self.with_password(paths::PASSWORD_SIGN_UP);
        }
        let token = self.inner.try_with_value(|i| i.token.clone()).flatten().unwrap_or_default();
        let body = object(&[("token", &token.into()), ("password", &self.take_input().into())]);
        self.post(paths::PASSWORD_RESET, body, |flow, _| {
            flow.announce(EventCode::PasswordReset, JsValue::NULL);
            flow.inner.update_value(|i| i.token = None);
            flow.go(Screen::SignIn);
            flow.status.update(|s| s.notice = Some(flow.lang().password_changed()));
        });
    }
}
