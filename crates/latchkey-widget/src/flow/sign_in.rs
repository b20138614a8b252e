//! The sign-in screen's own actions, all in the first chunk: passkey autofill, the passkey buttons,
//! identifier-first's first request, and the way back to this screen. Where their answers lead is later
//! code (`steps`), reached through [`Onward`].

use latchkey_proto::paths;
use leptos::prelude::*;

use super::{
    Flow, Focus, Onward,
    ceremony::{Begin, Kind},
    failures::Failure,
};
use crate::{
    api::Step,
    js::object,
    webauthn::{BrowserError, Mediation},
};

impl Flow {
    /// Arms passkey autofill on the sign-in screen's email field, where the browser supports it.
    pub(crate) fn arm_autofill(self) {
        self.arm_autofill_with(Begin::Start(paths::SIGN_IN_START, object(&[])));
    }

    /// Arms passkey autofill with options from `begin` (the first screen's were asked for as the widget
    /// opened).
    ///
    /// It does not ask `isConditionalMediationAvailable()` first: that answer is a trip to the browser
    /// process, slow while a page loads (BENCHMARKS.md), and a browser without autofill passkeys refuses
    /// a conditional `get` at once without showing anything, which [`after_autofill`] leaves unsaid.
    pub(super) fn arm_autofill_with(self, begin: Begin) {
        self.ceremony(begin, Kind::Get(Mediation::Conditional), paths::SIGN_IN_FINISH, after_autofill);
    }

    /// "Continue with a passkey": a modal passkey prompt.
    pub(crate) fn sign_in_with_prompt(self) {
        self.modal_sign_in(false);
    }

    /// "Use a passkey from another device": the prompt with `hints: ["hybrid"]` (a QR code).
    pub(crate) fn sign_in_on_other_device(self) {
        self.modal_sign_in(true);
    }

    /// A modal prompt; on this device, with autofill's options if they are fresh (the new ceremony aborts
    /// autofill's `get`, and the server's ceremony is the same either way), so no request comes first.
    fn modal_sign_in(self, other_device: bool) {
        let kept = self.inner.try_update_value(|i| i.kept.take()).flatten();
        let fresh = kept.filter(|(_, until)| !other_device && js_sys::Date::now() < *until);
        let begin = match fresh {
            Some((ceremony, _)) => Begin::Have(ceremony),
            None => Begin::Start(paths::SIGN_IN_START, object(&[("otherDevice", &other_device.into())])),
        };
        self.ceremony(begin, Kind::Get(Mediation::Modal), paths::SIGN_IN_FINISH, after_modal_sign_in);
    }

    /// "Continue" on the sign-in screen: identifier-first, in the later chunk (which the person's turning
    /// to the widget has usually fetched by now).
    pub(crate) fn continue_sign_in(self) {
        self.onward(Onward::Identify);
    }

    /// "Sign up": the sign-up screen, with the email as typed.
    pub(crate) fn go_sign_up(self) {
        self.abort_ceremony();
        self.onward(Onward::Show(super::Screen::SignUp));
    }

    /// "Use another account" / "Back to log in": the first screen, with the email as typed.
    pub(crate) fn back_to_sign_in(self) {
        self.abort_ceremony();
        self.inner.update_value(|i| {
            i.step = None;
            i.marker = None;
            i.token = None;
        });
        self.sign_in_screen(Focus::Heading);
    }
}

/// After an autofill sign-in: the person never asked for autofill, so a browser that refuses it (no
/// autofill passkeys, a dismissed request, another ceremony starting) ends it quietly, and any other
/// browser failure is told to the page's error callback but not shown; a security error (the site is
/// set up wrong) and whatever follows a chosen passkey at the server are shown.
fn after_autofill(flow: Flow, outcome: Result<Step, Failure>) {
    match outcome {
        Err(Failure::Browser(BrowserError::NotAllowed | BrowserError::Abort | BrowserError::NotSupported)) => {}
        Err(Failure::Browser(error)) if error != BrowserError::Security => flow.onward(Onward::Report(error)),
        outcome => flow.onward(Onward::Follow(outcome)),
    }
}

/// After a modal sign-in: a cancelled or failed prompt offers the passkeys in autofill again, unless
/// the policy keeps them behind the button.
fn after_modal_sign_in(flow: Flow, outcome: Result<Step, Failure>) {
    let failed = outcome.is_err();
    flow.onward(Onward::Follow(outcome));
    if failed && flow.is_signing_in() && flow.policy_allows(b'a') {
        flow.arm_autofill();
    }
}
