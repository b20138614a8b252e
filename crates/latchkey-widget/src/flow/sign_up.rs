//! Signing up: the email step, under `email_verification = "before_sign_up"` the code mailed to it,
//! then a passkey (the ceremony started ahead, so the button opens the prompt inside its click), or a
//! password instead.

use latchkey_proto::paths;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{
    Flow, Problem, Purpose, Screen,
    ceremony::{Begin, Kind},
};
use crate::{
    api::ceremony_from,
    js::{member, object, set_member},
    webauthn::Mediation,
};

impl Flow {
    /// "Continue" on the sign-up screen: checks the email and starts the sign-up ceremony, so the next
    /// screen's button can open the browser prompt at once, inside the click's user activation. When the
    /// server wants the email proved first, it mails a code instead, and the code screen shows ("Send a
    /// new code" on it comes here too).
    pub(crate) fn continue_sign_up(self) {
        let Some(email) = self.checked_email() else { return };
        self.post(paths::SIGN_UP_START, self.sign_up_body(&email), |flow, answer| {
            if member(&answer, "codeSent").is_truthy() {
                return flow.code_sent();
            }
            match ceremony_from(&answer) {
                Ok(ceremony) => {
                    flow.inner.update_value(|i| i.sign_up = Some(ceremony));
                    flow.go(Screen::CreatePasskey(Purpose::SignUp));
                }
                Err(e) => flow.fail(e.into()),
            }
        });
    }

    /// Shows the code screen, or, when it shows already ("Send a new code"), says a new code is on its way.
    fn code_sent(self) {
        if matches!(self.screen.try_get_untracked(), Some(Screen::EnterCode)) {
            self.status.set(super::Status { notice: Some(self.lang().new_code_sent()), ..Default::default() });
        } else {
            self.go(Screen::EnterCode);
        }
    }

    /// "Continue" on the code screen: exchanges the code for the proof of the email, then starts the
    /// sign-up with it.
    pub(crate) fn enter_code(self) {
        let code = self.take_input();
        if code.trim().is_empty() {
            return self
                .show(Problem { message: self.lang().enter_the_code(), offer_log_in: false }, "email_code_invalid");
        }
        let body = object(&[("email", &JsValue::from_str(self.email().trim())), ("code", &code.into())]);
        self.post(paths::SIGN_UP_CODE, body, |flow, answer| {
            let proof = member(&answer, "proof").as_string().map(|proof| (flow.email().trim().to_owned(), proof));
            flow.inner.update_value(|i| i.proof = proof);
            flow.continue_sign_up();
        });
    }

    /// A sign-up's body: the email, and the proof of it if the code step gave one.
    fn sign_up_body(self, email: &str) -> JsValue {
        let body = object(&[("email", &JsValue::from_str(email))]);
        self.add_proof(&body, email);
        body
    }

    /// Adds the proof the code step gave to a sign-up's body for `email`, if it proved that email (the
    /// person may have gone back and typed another).
    pub(super) fn add_proof(self, body: &JsValue, email: &str) {
        let proof = self.inner.try_with_value(|i| i.proof.clone()).flatten();
        if let Some((_, proof)) = proof.filter(|(proved, _)| proved == email) {
            set_member(body, "proof", &proof.into());
        }
    }

    /// A sign-up's proof was refused (spent or expired): the proof is dropped, and a new code is mailed
    /// and asked for, unless the code screen is where the refusal came from (it tells the person itself).
    /// Only a refusal of a proof the flow held asks again, so a server that keeps refusing is asked once.
    /// Returns whether a new code was asked for.
    pub(super) fn ask_for_new_code(self) -> bool {
        let held = self.inner.try_update_value(|i| i.proof.take().is_some()).unwrap_or(false);
        if !held || matches!(self.screen.try_get_untracked(), Some(Screen::EnterCode) | None) {
            return false;
        }
        self.continue_sign_up();
        true
    }

    /// "Create a new passkey" / "Create a passkey": the browser prompt, then the account or the new
    /// passkey, for whichever reason the screen shows.
    pub(crate) fn create_passkey(self) {
        self.create_passkey_on(false);
    }

    /// "Try another way": the same, on another device (a phone, through a QR code).
    pub(crate) fn create_passkey_elsewhere(self) {
        self.create_passkey_on(true);
    }

    pub(super) fn create_passkey_on(self, other_device: bool) {
        let Screen::CreatePasskey(purpose) = self.screen.get_untracked() else { return };
        if purpose != Purpose::SignUp {
            return self.add_passkey(Mediation::Modal, other_device, |flow, outcome| match outcome {
                Ok(step) => {
                    flow.announce_step(&step);
                    flow.go(Screen::NamePasskey);
                }
                Err(failure) => flow.fail(failure),
            });
        }
        // The kept ceremony is for this device; another device needs options of its own.
        let kept = if other_device { None } else { self.inner.try_update_value(|i| i.sign_up.take()).flatten() };
        let begin = match kept {
            Some(ceremony) => Begin::Have(ceremony),
            None => {
                let body = self.sign_up_body(self.email().trim());
                set_member(&body, "otherDevice", &other_device.into());
                Begin::Start(paths::SIGN_UP_START, body)
            }
        };
        self.ceremony(begin, Kind::Create(Mediation::Modal), paths::SIGN_UP_FINISH, Flow::follow_or_fail);
    }

    /// "Go back" from the create-passkey or create-password screen, or "Use another email" from the code
    /// screen; the email stays as typed.
    pub(crate) fn back_to_sign_up(self) {
        self.abort_ceremony();
        self.inner.update_value(|i| i.sign_up = None);
        self.go(Screen::SignUp);
    }

    /// "Continue without a passkey": a password instead.
    pub(crate) fn without_passkey(self) {
        self.abort_ceremony();
        self.go(Screen::NewPassword { reset: false });
    }
}
