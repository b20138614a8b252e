//! Every string a person sees, in one place, so translations replace one module.
//!
//! Messages say what happened and what to do next; none blames the person.

use latchkey_proto::ErrorCode;

use crate::{api::ApiError, webauthn::BrowserError};

/// Sign-in screen heading.
pub const WELCOME: &str = "Welcome";
/// Sign-in screen subtitle, around the app's name.
pub const LOG_IN_TO: (&str, &str) = ("Log in to ", " to continue");
/// Label of the email fields.
pub const EMAIL_LABEL: &str = "Email address";
/// The passkey sign-in button (no email needed).
pub const CONTINUE_WITH_PASSKEY: &str = "Continue with a passkey";
/// Sign-in with a passkey on a phone or tablet (QR code / hybrid).
pub const PASSKEY_FROM_OTHER_DEVICE: &str = "Use a passkey from another device";
/// Passkey step heading (identifier-first sign-in).
pub const USE_YOUR_PASSKEY: &str = "Use your passkey";
/// Second-factor step heading.
pub const CONFIRM_WITH_PASSKEY: &str = "Confirm it's you with your passkey";
/// Retries the passkey prompt.
pub const TRY_AGAIN: &str = "Try again";
/// From the passkey step to the password field.
pub const USE_PASSWORD: &str = "Use your password instead";
/// Back to the first screen with another email.
pub const OTHER_ACCOUNT: &str = "Use another account";
/// Password screen heading.
pub const ENTER_PASSWORD: &str = "Enter your password";
/// Label of password fields.
pub const PASSWORD_LABEL: &str = "Password";
/// Link to the reset screen.
pub const FORGOT_PASSWORD: &str = "Forgot password?";
/// Heading of the password a new account gets.
pub const CREATE_PASSWORD: &str = "Create a password";
/// Heading of a reset link's screen.
pub const NEW_PASSWORD: &str = "Choose a new password";
/// Under new-password headings: the rules, stated up front.
pub const PASSWORD_RULES: &str = "Use 8 to 128 characters. Avoid common words and passwords you use elsewhere.";
/// Submits a new account's password.
pub const CREATE_ACCOUNT_BUTTON: &str = "Create account";
/// Submits a new password.
pub const SAVE_PASSWORD: &str = "Save password";
/// Shown on the sign-in screen after a reset.
pub const PASSWORD_CHANGED: &str = "Your password is changed. Log in with it.";
/// Reset request heading.
pub const RESET_PASSWORD: &str = "Reset your password";
/// Reset request explanation.
pub const RESET_EXPLAINED: &str =
    "Enter your email address and we'll send you a link to create a new passkey or choose a new password.";
/// From the passkey step to the reset screen, for a person whose passkey is gone.
pub const CANT_SIGN_IN: &str = "Can't sign in?";
/// Heading of the screen a reset link opens.
pub const RECOVER_TITLE: &str = "Get back into your account";
/// A reset link's passkey button.
pub const CREATE_PASSKEY_HERE: &str = "Create a passkey on this device";
/// A reset link's password button.
pub const NEW_PASSWORD_INSTEAD: &str = "Choose a new password instead";
/// Reset request button.
pub const SEND_LINK: &str = "Send reset link";
/// After a reset request.
pub const CHECK_INBOX: &str = "Check your email";
/// After a reset request, around the email; the same whether or not an account exists.
pub const LINK_SENT: (&str, &str) = ("If an account uses ", ", we've sent it a link. It works for 15 minutes.");
/// Back to the sign-in screen.
pub const BACK_TO_LOG_IN: &str = "Back to log in";
/// From the create-passkey screen to another device.
pub const TRY_ANOTHER_WAY: &str = "Try another way";
/// From the create-passkey screen to a password.
pub const WITHOUT_PASSKEY: &str = "Continue without a passkey";
/// Progressive enrollment heading.
pub const SIGN_IN_FASTER: &str = "Sign in faster with a passkey";
/// Local enrollment heading.
pub const PASSKEY_HERE: &str = "Create a passkey on this device?";
/// Local enrollment explanation.
pub const PASSKEY_HERE_WHY: &str = "Next time, sign in here without your other device.";
/// Second-factor enrollment heading.
pub const PASSKEY_REQUIRED: &str = "Create a passkey to finish signing in";
/// The enrollment button.
pub const CREATE_PASSKEY: &str = "Create a passkey";
/// Snoozes the passkey offer.
pub const NOT_NOW: &str = "Not now";
/// Stops the passkey offer.
pub const DONT_ASK: &str = "Don't ask again";
/// Naming screen heading.
pub const NAME_PASSKEY: &str = "Name your passkey";
/// Naming screen explanation.
pub const NAME_WHY: &str = "A name helps you tell your passkeys apart later.";
/// Label of the passkey name field.
pub const NAME_LABEL: &str = "Passkey name";
/// Saves the name.
pub const SUBMIT: &str = "Submit";
/// Keeps the suggested name.
pub const SKIP: &str = "Skip";
/// Status of the automatic passkey upgrade, while it runs.
pub const SAVING_PASSKEY: &str = "Saving a passkey for next time…";
/// Before the link to the sign-up screen.
pub const NO_ACCOUNT: &str = "Don't have an account?";
/// The link to the sign-up screen.
pub const SIGN_UP: &str = "Sign up";
/// Sign-up screen heading.
pub const CREATE_ACCOUNT: &str = "Create your account";
/// Sign-up screen subtitle, around the app's name.
pub const SIGN_UP_FOR: (&str, &str) = ("Sign up for ", " with your email address");
/// The sign-up screen's submit button.
pub const CONTINUE: &str = "Continue";
/// Before the link to the sign-in screen.
pub const HAVE_ACCOUNT: &str = "Already have an account?";
/// The link to the sign-in screen.
pub const LOG_IN: &str = "Log in";
/// Above the code a sign-up is mailed first (`email_verification = "before_sign_up"`).
pub const CODE_SENT_TO: &str = "Enter the code we sent to ";
/// Under it: how long the code works, and where else to look.
pub const CODE_EXPLAINED: &str = "It works for 15 minutes. If it isn't in your inbox, check your spam folder.";
/// Label of the code field.
pub const CODE_LABEL: &str = "Code";
/// Mails another code.
pub const SEND_NEW_CODE: &str = "Send a new code";
/// After "Send a new code".
pub const NEW_CODE_SENT: &str = "We've sent a new code. Any code from the last 15 minutes works.";
/// Back from the code screen to change the email.
pub const OTHER_EMAIL: &str = "Use another email";
/// Message of an empty code field.
pub const ENTER_THE_CODE: &str = "Enter the 6-digit code from the email.";
/// Create-passkey screen heading, around the app's name.
pub const CREATE_PASSKEY_FOR: (&str, &str) = ("Create a passkey for ", " on this device?");
/// The three benefits of a passkey.
pub const BENEFITS: [&str; 3] =
    ["No need to remember a password", "Works on all your devices", "Works alongside passwords"];
/// Shown under the heading: which account the passkey is for.
pub const FOR_ACCOUNT: &str = "For ";
/// The create-passkey button.
pub const CREATE_NEW_PASSKEY: &str = "Create a new passkey";
/// Back from the create-passkey screen.
pub const GO_BACK: &str = "Go back";
/// Signed-in heading.
pub const SIGNED_IN: &str = "You're signed in";
/// Before the signed-in person's name.
pub const SIGNED_IN_AS: &str = "Signed in as ";
/// The sign-out button.
pub const SIGN_OUT: &str = "Sign out";
/// Status while the browser shows its passkey prompt.
pub const WAITING_FOR_PASSKEY: &str = "Waiting for your passkey…";
/// Status while talking to the server.
pub const WORKING: &str = "One moment…";
/// Shown while the widget first asks who is signed in.
pub const LOADING: &str = "Loading…";
/// Heading when the browser has no WebAuthn.
pub const UNSUPPORTED_TITLE: &str = "Passkeys aren't available here";
/// Body when the browser has no WebAuthn.
pub const UNSUPPORTED_BODY: &str =
    "This browser can't use passkeys. Update it, or use a current Chrome, Edge, Firefox or Safari.";
/// The app's name when the page gives none.
pub const THIS_SITE: &str = "this site";
/// Message of an email that does not look like an address.
pub const CHECK_EMAIL: &str = "Enter an email address like name@example.com.";
/// Message of an empty password field.
pub const ENTER_A_PASSWORD: &str = "Enter your password.";

/// Message of a server (or a part of the widget) that could not be reached.
pub const UNREACHABLE: &str = "We couldn't reach the server. Check your connection and try again.";

/// What a reset link's screen says the account keeps besides the new passkey or password: its `passkeys`
/// and whether it has a password. Either choice must read true: a new password replaces the old one.
pub fn recovery_keeps((passkeys, password): (u32, bool)) -> &'static str {
    match (passkeys, password) {
        (0, false) => "Nothing made on your account before stays: what you make now is its only way in.",
        (0, true) => "A new passkey works alongside your password; a new password replaces it.",
        (1, false) => "Your other passkey keeps working either way.",
        (1, true) => "Your other passkey keeps working either way; a new password replaces your old one.",
        (_, false) => "Your other passkeys keep working either way.",
        (_, true) => "Your other passkeys keep working either way; a new password replaces your old one.",
    }
}

/// A reset link's screen for an account with as many passkeys as it may have.
pub const RECOVERY_PASSKEYS_FULL: &str =
    "Your account has as many passkeys as it can, so this link sets a new password.";

/// The message for a failed browser ceremony; `None` when there is nothing to tell (our own abort).
pub fn browser_error(error: BrowserError) -> Option<&'static str> {
    Some(match error {
        BrowserError::Abort => return None,
        BrowserError::NotAllowed => "The passkey request was cancelled or timed out. Try again when you're ready.",
        BrowserError::InvalidState => "This device already has a passkey for this account. Log in with it instead.",
        BrowserError::Security => "This page isn't allowed to use passkeys for this site. Contact the site's support.",
        BrowserError::NotSupported => "This device can't create a passkey this site accepts. Try another device.",
        BrowserError::Unavailable => UNSUPPORTED_BODY,
        BrowserError::Other => "Something went wrong with the passkey. Try again.",
    })
}

/// The message for a failed server call.
pub fn api_error(error: ApiError) -> &'static str {
    match error {
        ApiError::Network => UNREACHABLE,
        ApiError::Server(code) => server_error(code),
        ApiError::RateLimited(seconds) => wait_message(seconds),
    }
}

/// What to do after too many attempts: the server's wait, rounded up to the limit windows it uses.
pub fn wait_message(seconds: u32) -> &'static str {
    match seconds {
        0..=60 => "Too many tries. Wait a minute.",
        61..=900 => "Too many tries. Wait 15 minutes.",
        _ => "Too many tries. Wait an hour.",
    }
}

/// The message for each code of the closed set.
pub fn server_error(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::MalformedRequest | ErrorCode::PayloadTooLarge | ErrorCode::UnsupportedMediaType => {
            "Your browser sent something we couldn't read. Reload the page and try again."
        }
        ErrorCode::InvalidEmail => CHECK_EMAIL,
        ErrorCode::InvalidDisplayName => "Use 1 to 64 letters, digits, spaces or punctuation.",
        ErrorCode::EmailTaken => "There's already an account with this email address.",
        ErrorCode::CeremonyUnknown | ErrorCode::CeremonyExpired => "That took too long. Try again.",
        ErrorCode::CredentialRejected => "We couldn't verify that passkey. Try again, or use another passkey.",
        ErrorCode::CredentialUnknown => {
            "This passkey isn't registered here any more. Choose another passkey, or sign up again."
        }
        ErrorCode::CredentialExists => "This passkey is already registered. Log in with it instead.",
        ErrorCode::CredentialIdTooLong => "This authenticator isn't supported. Try another device or passkey provider.",
        ErrorCode::CounterRegression => {
            "This passkey looks like a copy and was refused. Use another passkey or contact support."
        }
        ErrorCode::OriginNotAllowed => "This page isn't allowed to sign in to this site. Contact the site's support.",
        ErrorCode::PasswordTooShort => "Use at least 8 characters.",
        ErrorCode::PasswordTooLong => "Use at most 128 characters.",
        ErrorCode::PasswordTooCommon => {
            "This password is too common or easy to guess. Try a few words together, or a longer password."
        }
        ErrorCode::WrongPassword => "That email address and password don't match. Try again, or reset your password.",
        ErrorCode::ResetLinkInvalid => "This reset link has expired or was used already. Ask for a new one.",
        ErrorCode::EmailCodeInvalid => {
            "That code is wrong or has expired. Check your newest email, or send a new code."
        }
        ErrorCode::NotSignedIn => "Your session has ended. Log in again.",
        ErrorCode::ReauthenticationRequired => "Confirm it's you to continue.",
        ErrorCode::TooManyPasskeys => "Your account has as many passkeys as it can. Remove one to add another.",
        ErrorCode::Forbidden => "You don't have access to this.",
        ErrorCode::LastSignInMethod => "This is your only way to sign in. Add a passkey or a password first.",
        ErrorCode::AccountDisabled => "This account can't sign in right now. Contact the site's support.",
        ErrorCode::RateLimited => wait_message(u32::MAX),
        ErrorCode::NotFound | ErrorCode::MethodNotAllowed | ErrorCode::Internal => {
            "Something went wrong on our side. Try again in a moment."
        }
    }
}
