//! What the console shows for the wire's values: event codes and policy options as words in its
//! language, and times in that language's short format.

use latchkey_proto::events::EventCode;

use crate::catalog::Lang;
use wasm_bindgen::JsValue;

/// An event code as a person reads it.
pub(super) fn event(code: EventCode, says: Lang) -> &'static str {
    match code {
        EventCode::SignUp => says.event_sign_up(),
        EventCode::SignUpFailed => says.event_sign_up_failed(),
        EventCode::SignIn => says.event_sign_in(),
        EventCode::SignInFailed => says.event_sign_in_failed(),
        EventCode::SignOut => says.event_sign_out(),
        EventCode::SessionsEnded => says.event_sessions_ended(),
        EventCode::EnrollmentComplete => says.event_enrollment_complete(),
        EventCode::EnrollmentFailed => says.event_enrollment_failed(),
        EventCode::PasskeyAdded => says.event_passkey_added(),
        EventCode::PasskeyRenamed => says.event_passkey_renamed(),
        EventCode::PasskeyDeleted => says.event_passkey_deleted(),
        EventCode::MfaPassed => says.event_mfa_passed(),
        EventCode::MfaFailed => says.event_mfa_failed(),
        EventCode::PasswordResetRequested => says.event_password_reset_requested(),
        EventCode::PasswordReset => says.event_password_reset(),
        EventCode::PasswordChanged => says.event_password_changed(),
        EventCode::AccountClaimed => says.event_account_claimed(),
        EventCode::EmailVerified => says.event_email_verified(),
        EventCode::EmailChanged => says.event_email_changed(),
        EventCode::PolicyChanged => says.event_policy_changed(),
        EventCode::AppSignIn => says.event_app_sign_in(),
        EventCode::TokenReplayed => says.event_token_replayed(),
        EventCode::ClientAdded => says.event_client_added(),
        EventCode::ClientRemoved => says.event_client_removed(),
        EventCode::SigningKeyRotated => says.event_signing_key_rotated(),
        EventCode::AccountDisabled => says.event_account_disabled(),
        EventCode::AccountEnabled => says.event_account_enabled(),
        EventCode::AccountDeleted => says.event_account_deleted(),
    }
}

/// A policy option's wire value as a person reads it.
pub(super) fn option(value: &str, says: Lang) -> &'static str {
    match value {
        "both" => says.option_both(),
        "autofill" => says.option_autofill(),
        "button" => says.option_button(),
        "required" => says.option_required(),
        "preferred" => says.option_preferred(),
        "any" => says.option_any(),
        "platform" => says.option_platform(),
        "cross_platform" => says.option_cross_platform(),
        "after_sign_up" => says.option_after_sign_up(),
        "before_sign_up" => says.option_before_sign_up(),
        "off" => says.option_off(),
        "passkey" => says.option_passkey(),
        _ => says.option_other(),
    }
}

/// A time as a short date and time as `language` (a BCP 47 tag) writes it, on one line.
pub(super) fn time(seconds: i64, language: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    String::from(date.to_locale_string(language, &options))
}

/// An optional time, or a dash.
pub(super) fn maybe_time(seconds: Option<i64>, language: &str) -> String {
    seconds.map_or_else(|| "—".into(), |seconds| time(seconds, language))
}
