//! Signing up: the email step, then a passkey (the ceremony started ahead, so the button opens the
//! prompt inside its click), or a password instead.

use latchkey_proto::paths;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{
    Flow, Purpose, Screen,
    ceremony::{Begin, Kind},
    email_body,
};
use crate::{api::ceremony_from, js::object, webauthn::Mediation};

impl Flow {
    /// "Continue" on the sign-up screen: checks the email and starts the sign-up ceremony, so the next
    /// screen's button can open the browser prompt at once, inside the click's user activation.
    pub(crate) fn continue_sign_up(self) {
        let Some(email) = self.checked_email() else { return };
        self.post(paths::SIGN_UP_START, email_body(&email), |flow, answer| match ceremony_from(&answer) {
            Ok(ceremony) => {
                flow.inner.update_value(|i| i.sign_up = Some(ceremony));
                flow.go(Screen::CreatePasskey(Purpose::SignUp));
            }
            Err(e) => flow.fail(e.into()),
        });
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
                Ok(_) => flow.go(Screen::NamePasskey),
                Err(failure) => flow.fail(failure),
            });
        }
        // The kept ceremony is for this device; another device needs options of its own.
        let kept = if other_device { None } else { self.inner.try_update_value(|i| i.sign_up.take()).flatten() };
        let begin = match kept {
            Some(ceremony) => Begin::Have(ceremony),
            None => {
                let email = JsValue::from_str(self.email().trim());
                Begin::Start(paths::SIGN_UP_START, object(&[("email", &email), ("otherDevice", &other_device.into())]))
            }
        };
        self.ceremony(begin, Kind::Create(Mediation::Modal), paths::SIGN_UP_FINISH, Flow::follow_or_fail);
    }

    /// "Go back" from the create-passkey or create-password screen; the email stays as typed.
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
