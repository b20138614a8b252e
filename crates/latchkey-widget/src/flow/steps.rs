//! Where a sign-in step leads, all in the later chunk: moving to a screen, the passkey step or the
//! password after identify, the second factor, the end of a journey, and signing out.

use latchkey_proto::{Next, SessionInfo, events::EventCode, paths};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{
    Flow, Focus, Problem, Purpose, Screen,
    ceremony::{Begin, Kind},
    email_body,
    failures::Failure,
};
use crate::{
    api::{Step, ceremony_from, step_from},
    js::{member, object},
    screens::journeys,
    webauthn::Mediation,
};

impl Flow {
    /// Moves to `screen`, focusing its heading.
    pub(crate) fn go(self, screen: Screen) {
        self.show_screen(screen, Focus::Heading);
    }

    /// Shows `screen` (the sign-in screen through the first chunk's own `sign_in_screen`).
    pub(super) fn show_screen(self, screen: Screen, focus: Focus) {
        match screen {
            Screen::SignIn => self.sign_in_screen(focus),
            screen => self.present(screen, journeys::page(self, screen), focus),
        }
    }

    /// Identifier-first: an account with passkeys gets the prompt for them at once; one without gets the
    /// password field.
    pub(super) fn identify(self) {
        let Some(email) = self.checked_email() else { return };
        self.post(paths::IDENTIFY, email_body(&email), |flow, answer| {
            match ceremony_from(&member(&answer, "passkey")) {
                Ok(ceremony) => {
                    flow.inner.update_value(|i| i.step = Some(ceremony));
                    flow.passkey_step(false);
                }
                Err(_) => flow.go(Screen::Password),
            }
        });
    }

    /// Shows the passkey step and opens its prompt.
    pub(super) fn passkey_step(self, second_factor: bool) {
        self.go(Screen::PasskeyStep { second_factor });
        self.retry_passkey_step();
    }

    /// "Try again" on the passkey step: the same ceremony while the server has not seen an answer to it
    /// (a cancelled prompt); once it has (the server uses a ceremony up at its first answer), a new one:
    /// identifier-first again, or, for a second factor, the password again.
    pub(crate) fn retry_passkey_step(self) {
        let Some(ceremony) = self.inner.try_with_value(|i| i.step.clone()).flatten() else {
            // This runs after a request too, when the page may have removed the widget: a gone screen
            // is nothing to retry.
            return match self.screen.try_get_untracked() {
                Some(Screen::PasskeyStep { second_factor: true }) => self.go(Screen::Password),
                Some(_) => self.identify(),
                None => {}
            };
        };
        self.ceremony(Begin::Have(ceremony), Kind::Get(Mediation::Modal), paths::VERIFY_PASSKEY, |flow, outcome| {
            if !matches!(outcome, Err(Failure::Browser(_))) {
                flow.inner.update_value(|i| i.step = None);
            }
            flow.follow_or_fail(outcome);
        });
    }

    /// "Continue" on the password screen.
    pub(crate) fn password_sign_in(self) {
        self.with_password(paths::PASSWORD_SIGN_IN);
    }

    pub(super) fn with_password(self, path: &'static str) {
        let password = self.take_input();
        if password.is_empty() {
            return self
                .show(Problem { message: self.lang().enter_a_password(), offer_log_in: false }, "invalid_password");
        }
        let email = self.email();
        let body = object(&[("email", &JsValue::from_str(email.trim())), ("password", &password.into())]);
        if path == paths::PASSWORD_SIGN_UP {
            self.add_proof(&body, email.trim());
        }
        // Each endpoint its own handler: handlers are plain functions, which cannot carry the path.
        let then: fn(Flow, JsValue) = if path == paths::PASSWORD_SIGN_UP {
            |flow, answer| flow.follow_or_fail(step_from(&answer, paths::PASSWORD_SIGN_UP).map_err(Failure::Api))
        } else {
            |flow, answer| flow.follow_or_fail(step_from(&answer, paths::PASSWORD_SIGN_IN).map_err(Failure::Api))
        };
        self.post(path, body, then);
    }

    pub(super) fn follow_or_fail(self, outcome: Result<Step, Failure>) {
        match outcome {
            Ok(step) => self.follow(step),
            Err(failure) => self.fail(failure),
        }
    }

    /// Goes where a sign-in step leads: signed in, a passkey offer, or the second factor; first the page
    /// hears what the step recorded in the event log.
    pub(super) fn follow(self, step: Step) {
        self.announce_step(&step);
        if let Some(session) = step.session {
            self.inner.update_value(|i| i.session = Some(session));
        }
        match step.next {
            Next::Done => self.finish_journey(),
            Next::OfferPasskey => self.offer_passkey(),
            Next::OfferLocalPasskey => self.go(Screen::CreatePasskey(Purpose::Local)),
            Next::SecondFactor => {
                self.inner.update_value(|i| i.step = step.ceremony);
                self.passkey_step(true);
            }
            Next::EnrollSecondFactor => {
                self.inner.update_value(|i| i.marker = step.ceremony.map(|c| c.id));
                self.go(Screen::CreatePasskey(Purpose::SecondFactor));
            }
        }
    }

    /// "Use your password instead", from the passkey step.
    pub(crate) fn use_password(self) {
        self.abort_ceremony();
        self.go(Screen::Password);
    }

    /// Ends a sign-in journey: the session that started is shown and announced.
    pub(super) fn finish_journey(self) {
        let session = self.inner.try_update_value(|i| {
            i.passkey = None;
            i.session.take()
        });
        match session.flatten() {
            Some(session) => self.signed_in(session),
            None => self.set_busy(None),
        }
    }

    /// "Sign out".
    pub(crate) fn sign_out(self) {
        self.post(paths::SIGN_OUT, JsValue::UNDEFINED, |flow, _| {
            flow.announce(EventCode::SignOut, JsValue::NULL);
            flow.go(Screen::SignIn);
            if let Some(callback) = flow.callbacks().signed_out {
                callback.run(());
            }
        });
    }

    pub(super) fn signed_in(self, session: SessionInfo) {
        self.abort_ceremony();
        self.inner.update_value(|i| i.shown = Some(session.clone()));
        self.go(Screen::SignedIn);
        if let Some(callback) = self.callbacks().signed_in {
            callback.run(session);
        }
    }
}
