//! "Forgot password?": the reset link asked for, and the new password a reset link's screen saves (or a
//! new account's, on the same screen).

use latchkey_proto::paths;
use leptos::prelude::*;

use super::{Flow, Screen, email_body};
use crate::{catalog, js::object};

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

    /// "Create account" / "Save password" on the new-password screen.
    pub(crate) fn save_password(self) {
        if !matches!(self.screen.get_untracked(), Screen::NewPassword { reset: true }) {
            return self.with_password(paths::PASSWORD_SIGN_UP);
        }
        let token = self.inner.try_with_value(|i| i.token.clone()).flatten().unwrap_or_default();
        let body = object(&[("token", &token.into()), ("password", &self.take_input().into())]);
        self.post(paths::PASSWORD_RESET, body, |flow, _| {
            flow.inner.update_value(|i| i.token = None);
            flow.go(Screen::SignIn);
            flow.status.update(|s| s.notice = Some(catalog::PASSWORD_CHANGED));
        });
    }
}
