//! What the console shows for the wire's values: event codes and policy options as words, and times in
//! the administrator's own short format.

use latchkey_proto::events::EventCode;
use wasm_bindgen::JsValue;

/// An event code as a person reads it.
pub(super) fn event(code: EventCode) -> &'static str {
    match code {
        EventCode::SignUp => "Signed up",
        EventCode::SignUpFailed => "Sign-up refused",
        EventCode::SignIn => "Signed in",
        EventCode::SignInFailed => "Sign-in refused",
        EventCode::SignOut => "Signed out",
        EventCode::SessionsEnded => "Sessions ended",
        EventCode::EnrollmentComplete => "Passkey enrolled",
        EventCode::EnrollmentFailed => "Passkey enrollment failed",
        EventCode::PasskeyAdded => "Passkey added",
        EventCode::PasskeyRenamed => "Passkey renamed",
        EventCode::PasskeyDeleted => "Passkey deleted",
        EventCode::MfaPassed => "Second factor passed",
        EventCode::MfaFailed => "Second factor refused",
        EventCode::PasswordResetRequested => "Reset link sent",
        EventCode::PasswordReset => "Password reset",
        EventCode::PasswordChanged => "Password changed",
        EventCode::AccountClaimed => "Account claimed by its email's owner",
        EventCode::EmailVerified => "Email verified",
        EventCode::EmailChanged => "Email changed",
        EventCode::PolicyChanged => "Policy changed",
        EventCode::AppSignIn => "Signed in to an application",
        EventCode::TokenReplayed => "Token replayed; grant revoked",
        EventCode::ClientAdded => "Application added",
        EventCode::ClientRemoved => "Application removed",
        EventCode::SigningKeyRotated => "Signing key rotated",
        EventCode::AccountDisabled => "Account disabled",
        EventCode::AccountEnabled => "Account enabled",
        EventCode::AccountDeleted => "Account deleted",
    }
}

/// A policy option's wire value as a person reads it.
pub(super) fn option(value: &str) -> &'static str {
    match value {
        "both" => "Autofill and a button",
        "autofill" => "Autofill only",
        "button" => "A button only",
        "required" => "Required (PIN or biometrics every time)",
        "preferred" => "Preferred",
        "any" => "Any: this device, phones and security keys",
        "platform" => "This device's passkey provider only",
        "cross_platform" => "Phones and security keys only",
        "after_sign_up" => "After sign-up: a link is mailed, the account works at once",
        "before_sign_up" => "Before sign-up: a mailed code is entered first",
        "off" => "Off",
        "passkey" => "A passkey after every password",
        _ => "Other",
    }
}

/// A time as a short date and time in the browser's locale, on one line.
pub(super) fn time(seconds: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    String::from(date.to_locale_string("default", &options))
}

/// An optional time, or a dash.
pub(super) fn maybe_time(seconds: Option<i64>) -> String {
    seconds.map_or_else(|| "—".into(), time)
}
