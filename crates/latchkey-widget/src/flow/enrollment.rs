//! Enrollment: a passkey offered after a password sign-in (an automatic upgrade first, where the browser
//! can make one), added for the signed-in account, and named.

use latchkey_proto::paths;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{
    Flow, Purpose, Screen,
    ceremony::{Begin, Kind},
    failures::Failure,
};
use crate::{api::Step, js::object, webauthn::Mediation};

impl Flow {
    /// Progressive enrollment: first an automatic upgrade where the browser can do one (the password
    /// manager that just filled the password saves a passkey without a prompt), then, if that does not
    /// finish within the ceremony's `AUTOMATIC_UPGRADE_MS`, the consent screen.
    pub(super) fn offer_passkey(self) {
        if !self.inner.try_with_value(|i| i.capabilities.conditional_create).unwrap_or(false) {
            return self.go(Screen::CreatePasskey(Purpose::Upgrade));
        }
        self.set_busy(Some(self.lang().saving_passkey()));
        self.add_passkey(Mediation::Conditional, false, |flow, outcome| match outcome {
            Ok(step) => {
                flow.announce_step(&step);
                flow.finish_journey();
            }
            // The person is still waiting on the password screen: ask them. (A widget the page removed
            // meanwhile has no screen, and nothing to do.)
            Err(_) if matches!(flow.screen.try_get_untracked(), Some(Screen::Password)) => {
                flow.go(Screen::CreatePasskey(Purpose::Upgrade));
            }
            // They moved on meanwhile; they are signed in all the same, so say so.
            Err(_) => flow.finish_journey(),
        });
    }

    /// Creates a passkey for the account signed in (or, under the second-factor policy, being signed in).
    pub(super) fn add_passkey(self, mediation: Mediation, other_device: bool, then: fn(Flow, Result<Step, Failure>)) {
        let marker = self.inner.try_with_value(|i| i.marker.clone()).flatten();
        let body = object(&[
            ("conditional", &(mediation == Mediation::Conditional).into()),
            ("otherDevice", &other_device.into()),
            ("ceremony", &marker.map_or(JsValue::UNDEFINED, |m| m.into())),
        ]);
        let start = Begin::Start(paths::PASSKEY_ADD_START, body);
        self.ceremony(start, Kind::Create(mediation), paths::PASSKEY_ADD_FINISH, then);
    }

    /// "Not now": the offer comes back after the policy's snooze.
    pub(crate) fn not_now(self) {
        self.post(paths::PASSKEY_DECLINE, object(&[("forever", &false.into())]), Flow::after_request);
    }

    /// "Don't ask again".
    pub(crate) fn dont_ask_again(self) {
        self.post(paths::PASSKEY_DECLINE, object(&[("forever", &true.into())]), Flow::after_request);
    }

    /// "Submit" on the naming screen.
    pub(crate) fn save_passkey_name(self) {
        let name = self.take_input().trim().to_owned();
        let id = self.inner.try_with_value(|i| i.passkey.as_ref().map(|p| p.0)).flatten().unwrap_or_default();
        let body = object(&[("id", &id.into()), ("name", &JsValue::from_str(&name))]);
        // Kept as the passkey's name, for the event the page hears once the server has it.
        self.inner.update_value(|i| i.passkey = Some((id, name)));
        self.post(paths::PASSKEY_RENAME, body, |flow, _| {
            flow.announce_renamed();
            flow.finish_journey();
        });
    }

    /// "Skip" on the naming screen: the suggested name stays.
    pub(crate) fn skip_passkey_name(self) {
        self.finish_journey();
    }

    pub(super) fn after_request(self, _answer: JsValue) {
        self.finish_journey();
    }
}
