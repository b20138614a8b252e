//! Every string a person sees, in one place, in every language the widget speaks.
//!
//! English is built in: each text is a method of [`Lang`] holding its English words, so a text lands in
//! whichever WASM chunk uses it and the first chunk carries only the sign-in screen's. Another language
//! is a file of texts (`dist/i18n/<language>.json`, written from `languages/` by `scripts/build-widget`)
//! that a page in that language fetches once; [`Lang`] then answers from it. The languages are Rust
//! values of [`Texts`], whose members are the texts below, so a language that lacks one does not build.
//!
//! Messages say what happened and what to do next; none blames the person. `{}` marks where a name or
//! an address goes, so each language puts it where its grammar wants it.

mod file;
#[cfg(feature = "languages")]
pub mod languages;
mod messages;
#[cfg(feature = "languages")]
mod writing;

pub use file::{LanguageFile, fetch_file, fetch_language, preferred_languages};
pub use latchkey_proto::languages::{LANGUAGES, choose};
#[cfg(feature = "languages")]
pub use writing::write_language_files;

/// Defines a catalog of texts in the module that invokes it: the keys of its language files, English's
/// words, and `Lang`, whose methods pick a text in the language a page speaks. The widget's catalog is
/// below; the account page and the console define theirs with it too.
///
/// Each text becomes a method of `Lang` holding its English words, so it lands in whichever WASM chunk
/// uses it. `Texts` (under the invoking crate's `languages` feature, host only) has one member per text,
/// so a language that lacks one does not compile; its `list()` is what a language file holds.
#[macro_export]
macro_rules! texts {
    ($( $(#[doc = $doc:literal])+ $name:ident = $english:literal, )*) => {
        /// Each text's place in a language file.
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Key { $( $name, )* }

        /// How many texts a language file has.
        const COUNT: usize = [$( Key::$name ),*].len();

        /// A fingerprint of the keys, in a language file's name: a file from a build with other keys
        /// (added, renamed or reordered) has another name, so a browser's cached copy is never taken
        /// for this build's.
        pub const KEYS_ID: u32 = $crate::catalog::fingerprint(concat!($( stringify!($name), "," ),*));

        /// A language of this catalog: English, built in, or a language file's texts.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct Lang(Option<&'static [&'static str]>);

        impl Lang {
            /// English, built in.
            pub const ENGLISH: Self = Self(None);

            /// A language file's texts; `None` unless it has one text per key (a file from another build).
            pub fn from_file(texts: &'static [&'static str]) -> Option<Self> {
                (texts.len() == COUNT).then_some(Self(Some(texts)))
            }

            /// Out of line, so that each of the many texts costs its callers a call, not a copy of this.
            #[inline(never)]
            fn text(self, key: Key, english: &'static str) -> &'static str {
                self.0.and_then(|texts| texts.get(key as usize).copied()).unwrap_or(english)
            }

            $(
                $(#[doc = $doc])+
                #[inline]
                pub fn $name(self) -> &'static str {
                    self.text(Key::$name, $english)
                }
            )*
        }

        /// One language's texts, one member per text: the form every language file is written in (not
        /// in the WASM).
        #[cfg(feature = "languages")]
        pub struct Texts {
            $( $(#[doc = $doc])+ pub $name: &'static str, )*
        }

        #[cfg(feature = "languages")]
        impl Texts {
            /// The texts in the order a language file lists them.
            pub fn list(&self) -> Vec<&'static str> {
                vec![$( self.$name ),*]
            }
        }

        /// English, as the page has it built in, for the checks the other languages get.
        #[cfg(feature = "languages")]
        pub const ENGLISH: Texts = Texts { $( $name: $english, )* };

        #[cfg(test)]
        #[test]
        fn a_language_file_must_have_every_text() {
            let full: &'static [&'static str] = vec!["x"; COUNT].leak();
            assert!(Lang::from_file(full).is_some());
            assert_eq!(Lang::from_file(&full[1..]), None, "a file from another build is not used");
        }
    };
}

/// FNV-1a (32 bits) of `text`, at compile time: a catalog's [`KEYS_ID`].
#[doc(hidden)]
pub const fn fingerprint(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut hash: u32 = 0x811c_9dc5;
    let mut at = 0;
    while at < bytes.len() {
        hash = (hash ^ bytes[at] as u32).wrapping_mul(0x0100_0193);
        at += 1;
    }
    hash
}

/// `template` with `middle` where its `{}` is: "Log in to {} to continue" around an app's name.
pub fn around(template: &str, middle: &str) -> String {
    // A byte search: a string pattern would bring a substring searcher into the first chunk.
    match template.bytes().position(|byte| byte == b'{') {
        Some(at) => [&template[..at], middle, template.get(at + 2..).unwrap_or_default()].concat(),
        None => template.to_owned(),
    }
}

crate::texts! {
    /// Sign-in screen heading.
    welcome = "Welcome",
    /// Sign-in screen subtitle, around the app's name.
    log_in_to = "Log in to {} to continue",
    /// Label of the email fields.
    email_label = "Email address",
    /// The passkey sign-in button (no email needed).
    continue_with_passkey = "Continue with a passkey",
    /// Sign-in with a passkey on a phone or tablet (QR code / hybrid).
    passkey_from_other_device = "Use a passkey from another device",
    /// Passkey step heading (identifier-first sign-in).
    use_your_passkey = "Use your passkey",
    /// Second-factor step heading.
    confirm_with_passkey = "Confirm it's you with your passkey",
    /// Retries the passkey prompt.
    try_again = "Try again",
    /// From the passkey step to the password field.
    use_password = "Use your password instead",
    /// Back to the first screen with another email.
    other_account = "Use another account",
    /// Password screen heading.
    enter_password = "Enter your password",
    /// Label of password fields.
    password_label = "Password",
    /// Link to the reset screen.
    forgot_password = "Forgot password?",
    /// Heading of the password a new account gets.
    create_password = "Create a password",
    /// Heading of a reset link's screen.
    new_password = "Choose a new password",
    /// Under new-password headings: the rules, stated up front.
    password_rules = "Use 8 to 128 characters. Avoid common words and passwords you use elsewhere.",
    /// Submits a new account's password.
    create_account_button = "Create account",
    /// Submits a new password.
    save_password = "Save password",
    /// Shown on the sign-in screen after a reset.
    password_changed = "Your password is changed. Log in with it.",
    /// Reset request heading.
    reset_password = "Reset your password",
    /// Reset request explanation.
    reset_explained = "Enter your email address and we'll send you a link to create a new passkey or choose a new password.",
    /// From the passkey step to the reset screen, for a person whose passkey is gone.
    cant_sign_in = "Can't sign in?",
    /// Heading of the screen a reset link opens.
    recover_title = "Get back into your account",
    /// A reset link's passkey button.
    create_passkey_here = "Create a passkey on this device",
    /// A reset link's password button.
    new_password_instead = "Choose a new password instead",
    /// Reset request button.
    send_link = "Send reset link",
    /// After a reset request, and above a sign-up code.
    check_inbox = "Check your email",
    /// After a reset request, around the email; the same whether or not an account exists.
    link_sent = "If an account uses {}, we've sent it a link. It works for 15 minutes.",
    /// Back to the sign-in screen.
    back_to_log_in = "Back to log in",
    /// From the create-passkey screen to another device.
    try_another_way = "Try another way",
    /// From the create-passkey screen to a password.
    without_passkey = "Continue without a passkey",
    /// Progressive enrollment heading.
    sign_in_faster = "Sign in faster with a passkey",
    /// Local enrollment heading.
    passkey_here = "Create a passkey on this device?",
    /// Local enrollment explanation.
    passkey_here_why = "Next time, sign in here without your other device.",
    /// Second-factor enrollment heading.
    passkey_required = "Create a passkey to finish signing in",
    /// The enrollment button.
    create_passkey = "Create a passkey",
    /// Snoozes the passkey offer.
    not_now = "Not now",
    /// Stops the passkey offer.
    dont_ask = "Don't ask again",
    /// Naming screen heading.
    name_passkey = "Name your passkey",
    /// Naming screen explanation.
    name_why = "A name helps you tell your passkeys apart later.",
    /// Label of the passkey name field.
    name_label = "Passkey name",
    /// Saves the name.
    submit = "Submit",
    /// Keeps the suggested name.
    skip = "Skip",
    /// Status of the automatic passkey upgrade, while it runs.
    saving_passkey = "Saving a passkey for next time…",
    /// Before the link to the sign-up screen.
    no_account = "Don't have an account?",
    /// The link to the sign-up screen.
    sign_up = "Sign up",
    /// Sign-up screen heading.
    create_account = "Create your account",
    /// Sign-up screen subtitle, around the app's name.
    sign_up_for = "Sign up for {} with your email address",
    /// The sign-up screen's submit button.
    continue_button = "Continue",
    /// Before the link to the sign-in screen.
    have_account = "Already have an account?",
    /// The link to the sign-in screen.
    log_in = "Log in",
    /// Above the code a sign-up is mailed first (`email_verification = "before_sign_up"`), before the
    /// address in bold.
    code_sent_to = "Enter the code we sent to ",
    /// Under it: how long the code works, and where else to look.
    code_explained = "It works for 15 minutes. If it isn't in your inbox, check your spam folder.",
    /// Label of the code field.
    code_label = "Code",
    /// Mails another code.
    send_new_code = "Send a new code",
    /// After "Send a new code".
    new_code_sent = "We've sent a new code. Any code from the last 15 minutes works.",
    /// Back from the code screen to change the email.
    other_email = "Use another email",
    /// Message of an empty code field.
    enter_the_code = "Enter the 6-digit code from the email.",
    /// Create-passkey screen heading, around the app's name.
    create_passkey_for = "Create a passkey for {} on this device?",
    /// The first benefit of a passkey.
    benefit_no_password = "No need to remember a password",
    /// The second benefit of a passkey.
    benefit_all_devices = "Works on all your devices",
    /// The third benefit of a passkey.
    benefit_alongside = "Works alongside passwords",
    /// Shown under the heading, before the account the passkey is for (in bold).
    for_account = "For ",
    /// The create-passkey button.
    create_new_passkey = "Create a new passkey",
    /// Back from the create-passkey screen.
    go_back = "Go back",
    /// Signed-in heading.
    signed_in = "You're signed in",
    /// Before the signed-in person's name (in bold).
    signed_in_as = "Signed in as ",
    /// The sign-out button.
    sign_out = "Sign out",
    /// Status while the browser shows its passkey prompt.
    waiting_for_passkey = "Waiting for your passkey…",
    /// Status while talking to the server.
    working = "One moment…",
    /// Shown while the widget first asks who is signed in.
    loading = "Loading…",
    /// Heading when the browser has no WebAuthn.
    unsupported_title = "Passkeys aren't available here",
    /// Body when the browser has no WebAuthn.
    unsupported_body = "This browser can't use passkeys. Update it, or use a current Chrome, Edge, Firefox or Safari.",
    /// The app's name when the page gives none.
    this_site = "this site",
    /// Message of an email that does not look like an address.
    check_email = "Enter an email address like name@example.com.",
    /// Message of an empty password field.
    enter_a_password = "Enter your password.",
    /// Message of a server (or a part of the widget) that could not be reached.
    unreachable = "We couldn't reach the server. Check your connection and try again.",
    /// A reset link's screen, for an account with no other way in left.
    keeps_nothing = "Nothing made on your account before stays: what you make now is its only way in.",
    /// A reset link's screen, for an account with a password and no other passkey.
    keeps_password = "A new passkey works alongside your password; a new password replaces it.",
    /// A reset link's screen, for an account with one other passkey and no password.
    keeps_passkey = "Your other passkey keeps working either way.",
    /// A reset link's screen, for an account with one other passkey and a password.
    keeps_passkey_and_password = "Your other passkey keeps working either way; a new password replaces your old one.",
    /// A reset link's screen, for an account with other passkeys and no password.
    keeps_passkeys = "Your other passkeys keep working either way.",
    /// A reset link's screen, for an account with other passkeys and a password.
    keeps_passkeys_and_password = "Your other passkeys keep working either way; a new password replaces your old one.",
    /// A reset link's screen for an account with as many passkeys as it may have.
    recovery_passkeys_full = "Your account has as many passkeys as it can, so this link sets a new password.",
    /// A passkey request the person cancelled, or that timed out.
    browser_not_allowed = "The passkey request was cancelled or timed out. Try again when you're ready.",
    /// `excludeCredentials` matched: this device has a passkey for the account.
    browser_invalid_state = "This device already has a passkey for this account. Log in with it instead.",
    /// The page's origin may not use the RP ID.
    browser_security = "This page isn't allowed to use passkeys for this site. Contact the site's support.",
    /// No authenticator supports the options.
    browser_not_supported = "This device can't create a passkey this site accepts. Try another device.",
    /// Any other browser failure.
    browser_other = "Something went wrong with the passkey. Try again.",
    /// Too many tries, for up to a minute.
    wait_minute = "Too many tries. Wait a minute.",
    /// Too many tries, for up to 15 minutes.
    wait_quarter_hour = "Too many tries. Wait 15 minutes.",
    /// Too many tries, for longer.
    wait_hour = "Too many tries. Wait an hour.",
    /// `malformed_request`, `payload_too_large`, `unsupported_media_type`.
    error_unreadable = "Your browser sent something we couldn't read. Reload the page and try again.",
    /// `invalid_display_name`.
    error_invalid_display_name = "Use 1 to 64 letters, digits, spaces or punctuation.",
    /// `email_taken`.
    error_email_taken = "There's already an account with this email address.",
    /// `ceremony_unknown`, `ceremony_expired`.
    error_too_long = "That took too long. Try again.",
    /// `credential_rejected`.
    error_credential_rejected = "We couldn't verify that passkey. Try again, or use another passkey.",
    /// `credential_unknown`.
    error_credential_unknown = "This passkey isn't registered here any more. Choose another passkey, or sign up again.",
    /// `credential_exists`.
    error_credential_exists = "This passkey is already registered. Log in with it instead.",
    /// `credential_id_too_long`.
    error_credential_id_too_long = "This authenticator isn't supported. Try another device or passkey provider.",
    /// `counter_regression`.
    error_counter_regression = "This passkey looks like a copy and was refused. Use another passkey or contact support.",
    /// `origin_not_allowed`.
    error_origin_not_allowed = "This page isn't allowed to sign in to this site. Contact the site's support.",
    /// `password_too_short`.
    error_password_too_short = "Use at least 8 characters.",
    /// `password_too_long`.
    error_password_too_long = "Use at most 128 characters.",
    /// `password_too_common`.
    error_password_too_common = "This password is too common or easy to guess. Try a few words together, or a longer password.",
    /// `wrong_password`.
    error_wrong_password = "That email address and password don't match. Try again, or reset your password.",
    /// `reset_link_invalid`.
    error_reset_link_invalid = "This reset link has expired or was used already. Ask for a new one.",
    /// `email_code_invalid`.
    error_email_code_invalid = "That code is wrong or has expired. Check your newest email, or send a new code.",
    /// `not_signed_in`.
    error_not_signed_in = "Your session has ended. Log in again.",
    /// `reauthentication_required`.
    error_reauthentication_required = "Confirm it's you to continue.",
    /// `too_many_passkeys`.
    error_too_many_passkeys = "Your account has as many passkeys as it can. Remove one to add another.",
    /// `forbidden`.
    error_forbidden = "You don't have access to this.",
    /// `last_sign_in_method`.
    error_last_sign_in_method = "This is your only way to sign in. Add a passkey or a password first.",
    /// `account_disabled`.
    error_account_disabled = "This account can't sign in right now. Contact the site's support.",
    /// `not_found`, `method_not_allowed`, `internal`.
    error_ours = "Something went wrong on our side. Try again in a moment.",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_goes_where_the_language_puts_it() {
        assert_eq!(around("Log in to {} to continue", "Acme"), "Log in to Acme to continue");
        assert_eq!(around("{} にログインして続行", "Acme"), "Acme にログインして続行");
        assert_eq!(around("Welcome", "Acme"), "Welcome");
    }

    #[test]
    fn a_language_file_is_read_by_key_and_english_is_built_in() {
        let full: &'static [&'static str] = vec!["x"; COUNT].leak();
        assert_eq!(Lang::from_file(full).map(Lang::welcome), Some("x"));
        assert_eq!(Lang::ENGLISH.welcome(), "Welcome");
    }
}
