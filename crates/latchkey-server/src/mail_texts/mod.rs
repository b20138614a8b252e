//! The words of every mail the server sends, in every language the widget speaks: the mail goes out in
//! the language of the page that made the request (its `Accept-Language`, which the widget sets to the
//! language it shows), so a person who signed up on a French page reads French.
//!
//! Each language is a [`MailTexts`] value, so a language that lacks a text does not build. `{site}`,
//! `{name}`, `{to}`, `{browser}`, `{system}`, `{time}` and `{device}` mark where a value goes, so each language puts it where
//! its grammar wants it; a test checks that every language uses the same marks as English.

mod languages;

pub use languages::{language_of, texts_for};

/// Defines [`MailTexts`], English's words, and the list a test checks the other languages against.
macro_rules! mail_texts {
    ($( $(#[doc = $doc:literal])+ $name:ident = $english:literal, )*) => {
        /// One language's words for every mail.
        pub struct MailTexts {
            $( $(#[doc = $doc])+ pub $name: &'static str, )*
        }

        impl MailTexts {
            /// Every text with its name, for the checks.
            #[cfg(test)]
            pub fn list(&self) -> Vec<(&'static str, &'static str)> {
                vec![$( (stringify!($name), self.$name) ),*]
            }
        }

        /// English.
        pub const ENGLISH: MailTexts = MailTexts { $( $name: $english, )* };
    };
}

mail_texts! {
    /// The line giving when a request was made (`{time}`: "2026-12-02 09:30 UTC").
    when_line = "When: {time}",
    /// The line giving the browser, system and address a request came from (`{device}`).
    from_line = "From: {device}",
    /// What that line's `{device}` says when the request named no browser or system it knows.
    unknown_browser = "an unknown browser",
    /// A browser and the system it runs on, as in "Firefox on Windows".
    browser_on_system = "{browser} on {system}",
    /// The closing line of a mail whose link or code does nothing unless used.
    ignore_nothing_changes = "If it wasn't you, ignore this email: nothing changes.",
    /// The closing line of a mail that reports something that did not happen.
    nothing_to_do = "If it wasn't you, there is nothing to do.",

    /// Subject: a passkey was added.
    passkey_added_subject = "A passkey was added to your {site} account",
    /// A passkey was added.
    passkey_added = "The passkey \"{name}\" was added to your {site} account.",
    /// Subject: a passkey was deleted.
    passkey_deleted_subject = "A passkey was deleted from your {site} account",
    /// A passkey was deleted.
    passkey_deleted = "The passkey \"{name}\" was deleted from your {site} account.",
    /// Subject: a first password was set.
    password_set_subject = "A password was set for your {site} account",
    /// A first password was set.
    password_set = "A password was set for your {site} account.",
    /// Subject: the password was changed.
    password_changed_subject = "Your {site} password was changed",
    /// The password was changed.
    password_changed = "The password of your {site} account was changed.",
    /// Subject: the password was reset with a mailed link.
    password_reset_subject = "Your {site} password was reset",
    /// The password was reset with a mailed link.
    password_reset = "The password of your {site} account was reset with a link sent here.",
    /// Subject: a passkey was made with a mailed link ("Can't sign in?").
    recovered_subject = "A new passkey was made for your {site} account",
    /// A passkey was made with a mailed link, and every session ended; a sentence on what still works follows.
    recovered = "The passkey \"{name}\" was made for your {site} account with a link sent here, and every session of the account was signed out.",
    /// After a recovery: the account has no other way in.
    keeps_nothing = "The new passkey is now its one way in.",
    /// After a recovery: the account has its password too.
    keeps_password = "Its password still works.",
    /// After a recovery: the account has one other passkey.
    keeps_other_passkey = "Its other passkey still works.",
    /// After a recovery: the account has one other passkey and its password.
    keeps_other_passkey_and_password = "Its other passkey and its password still work.",
    /// After a recovery: the account has other passkeys.
    keeps_other_passkeys = "Its other passkeys still work.",
    /// After a recovery: the account has other passkeys and its password.
    keeps_other_passkeys_and_password = "Its other passkeys and its password still work.",
    /// Subject: whatever someone else made on the account with the owner's address is gone.
    yours_alone_subject = "Your {site} account is yours alone now",
    /// A reset link proved the address for the first time, so what was made before is gone.
    account_claimed = "The password of your {site} account was reset with a link sent here. It was the first time this address was confirmed, so anything made on the account before, which someone else could have made with your address, is gone: its passkeys and every session. Sign in with the new password and add a passkey again.",
    /// A "Can't sign in?" link proved the address for the first time, so what was made before is gone.
    claimed_with_passkey = "The passkey \"{name}\" was made for your {site} account with a link sent here. It was the first time this address was confirmed, so anything made on the account before, which someone else could have made with your address, is gone: its passkeys, its password and every session. The new passkey is now its one way in.",
    /// The mailbox's owner said "It wasn't me" on a verification link; "Forgot password?" is the sign-in page's link.
    account_taken_back = "You told us you didn't sign up for this {site} account, which was made with your address. Everything made on it is gone: its passkeys, its password and every session. The account is yours now: choose a password with \"Forgot password?\" on the sign-in page, then add a passkey.",
    /// Subject: the account moved to another address (mailed to the old one).
    email_changed_subject = "Your {site} account uses another email now",
    /// The account moved to the address `{to}`.
    email_changed = "Your {site} account uses {to} now, instead of this address. Mail about the account goes there.",
    /// What a notification asks, before the account page's address.
    notice_advice = "If this was you, there is nothing to do. If it wasn't, sign in and check your passkeys, password and sessions now:",

    /// Subject: the link that moves an account to this address.
    change_subject = "Confirm your new email for {site}",
    /// Someone asked to move an account to this address.
    change_asked = "Someone asked to use this address for a {site} account.",
    /// What to do with the link, which follows.
    change_instruction = "To make the change, open this link within 24 hours, in the browser you asked from:",
    /// Subject: a change to this address could not be made.
    address_in_use_subject = "Your email and {site}",
    /// Someone asked to move an account to this address, which has an account already.
    address_in_use = "Someone asked to use this address for a {site} account, but it has a {site} account already, so nothing changed.",

    /// Subject: the code a sign-up asks for.
    code_subject = "Your code to sign up for {site}",
    /// Someone is signing up with this address.
    code_asked = "Someone is signing up for a {site} account with this address.",
    /// What to do with the code, which follows.
    code_instruction = "To go on, enter this code within 15 minutes:",
    /// The closing line of the code's mail.
    code_ignore = "If it wasn't you, ignore this email: no account is made without the code.",
    /// Subject: a sign-up with an address that has an account already.
    account_exists_subject = "You have a {site} account already",
    /// Someone tried to sign up with this address, which has an account already; "Can't sign in?" is the sign-in page's link.
    account_exists = "Someone tried to sign up for {site} with this address, but it has a {site} account already, so no code was sent.",
    /// How to sign in instead.
    account_exists_advice = "To sign in, use your passkey or your password on the sign-in page. If you can't, \"Can't sign in?\" there mails you a way back in.",

    /// Subject: the verification link a sign-up sends.
    verify_subject = "Verify your email for {site}",
    /// Someone signed up with this address.
    verify_asked = "Someone signed up for a {site} account with this address.",
    /// What to do with the link, which follows.
    verify_instruction = "Open this link within 24 hours to verify your email:",
    /// The closing line of the verification mail: the link's page also takes the account back.
    verify_not_you = "If it wasn't you, open the link too: its page lets you take the account back, and whoever signed up loses every way into it.",

    /// Subject: the link of "Forgot password?" or "Can't sign in?".
    reset_subject = "Get back into your {site} account",
    /// Someone asked for a way back in.
    reset_asked = "Someone asked for a way back into your {site} account.",
    /// What to do with the link, which follows.
    reset_instruction = "To create a new passkey on this device, or choose a new password, open this link within 15 minutes:",
}

/// `template` with each `{mark}` of `values` replaced by its value, in one pass, so a value that holds
/// a mark itself (a passkey named "{site}") is left as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let mark = &after[..close];
            values.iter().find(|(name, _)| *name == mark).map(|(_, value)| (*value, close))
        });
        match value {
            Some((value, close)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_each_value_where_its_mark_is_and_leaves_marks_inside_values_alone() {
        let filled =
            fill("The passkey \"{name}\" was added to your {site} account.", &[("site", "Shop"), ("name", "{site}")]);
        assert_eq!(filled, "The passkey \"{site}\" was added to your Shop account.");
        assert_eq!(fill("{unknown} {", &[("site", "Shop")]), "{unknown} {");
    }
}
