//! What the page hears of the event log: each step the server records there is told to the page's
//! `on_event` callback with the same code (`<latchkey-login>` dispatches it as `latchkey:<code>`, as
//! `<latchkey-account>` does), and the detail a page can use. Later-chunk code: the first chunk only
//! notes, on each step, which endpoint answered.

use latchkey_proto::{events::EventCode, paths};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::Flow;
use crate::{
    api::{Step, methods_to_js},
    js::object,
};

impl Flow {
    /// Tells the page of an event of the log, with its detail.
    pub(super) fn announce(self, code: EventCode, detail: JsValue) {
        if let Some(callback) = self.callbacks().event {
            callback.run((code.as_str(), detail));
        }
    }

    /// Tells the page what the step recorded: a passkey added by an enrollment (`enrollment_complete`) or
    /// a reset link (`passkey_added`), then an account made (`sign_up`) or a session started (`sign_in`),
    /// with the session's methods.
    pub(super) fn announce_step(self, step: &Step) {
        let added = match step.from {
            paths::PASSKEY_ADD_FINISH => Some(EventCode::EnrollmentComplete),
            paths::RECOVERY_FINISH => Some(EventCode::PasskeyAdded),
            _ => None,
        };
        if let (Some(code), Some((id, name))) = (added, &step.passkey) {
            self.announce(code, passkey_detail(*id, name));
        }
        let methods = step.session.as_ref().map(|session| object(&[("methods", &methods_to_js(&session.methods))]));
        match (step.from, methods) {
            (paths::SIGN_UP_FINISH | paths::PASSWORD_SIGN_UP, methods) => {
                self.announce(EventCode::SignUp, methods.unwrap_or(JsValue::NULL));
            }
            (_, Some(methods)) => self.announce(EventCode::SignIn, methods),
            (_, None) => {}
        }
    }

    /// Tells the page the passkey just made was renamed, with its new name.
    pub(super) fn announce_renamed(self) {
        if let Some((id, name)) = self.inner.try_with_value(|i| i.passkey.clone()).flatten() {
            self.announce(EventCode::PasskeyRenamed, passkey_detail(id, &name));
        }
    }
}

/// `{ passkey, name }`, as the event log's detail of a passkey.
fn passkey_detail(id: f64, name: &str) -> JsValue {
    object(&[("passkey", &id.into()), ("name", &JsValue::from_str(name))])
}
