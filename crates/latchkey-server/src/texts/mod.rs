//! The words the server writes itself, in every language the widget speaks: every mail it sends, in the
//! language of the page that made the request (its `Accept-Language`, which the widget sets to the
//! language it shows), so a person who signed up on a French page reads French; and its own pages (an
//! email link's, the OpenID provider's), in the language of the browser that opens them.
//!
//! Each language is a [`Texts`] value, so a language that lacks a text does not build. `{site}`,
//! `{name}`, `{to}`, `{browser}`, `{system}`, `{time}`, `{device}`, `{ip}`, `{keeps}`, `{email}`, `{date}` and
//! `{client}` mark where a value goes, so each language puts it where
//! its grammar wants it; a test checks that every language uses the same marks as English.

mod languages;

pub use languages::{language_of, texts_for};

/// Defines [`Texts`], English's words, and the list a test checks the other languages against.
macro_rules! texts {
    ($( $(#[doc = $doc:literal])+ $name:ident = $english:literal, )*) => {
        /// One language's words for every mail and page.
        pub struct Texts {
            $( $(#[doc = $doc])+ pub $name: &'static str, )*
        }

        impl Texts {
            /// Every text with its name, for the checks.
            #[cfg(test)]
            pub fn list(&self) -> Vec<(&'static str, &'static str)> {
                vec![$( (stringify!($name), self.$name) ),*]
            }
        }

        /// English.
        pub const ENGLISH: Texts = Texts { $( $name: $english, )* };
    };
}

texts! {
    /// The line giving when a request was made (`{time}`: "2026-12-02 09:30 UTC").
    when_line = "When: {time}",
    /// The line giving the browser, system and address a request came from (`{device}`).
    from_line = "From: {device}",
    /// What that line's `{device}` says when the request named no browser or system it knows.
    unknown_browser = "an unknown browser",
    /// A browser and the system it runs on, as in "Firefox on Windows".
    browser_on_system = "{browser} on {system}",
    /// The browser and system (`{device}`) and the address (`{ip}`) a request came from.
    device_and_address = "{device}, {ip}",
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
    /// A passkey was made with a mailed link, and every session ended; `{keeps}` is the sentence on what
    /// still works.
    recovered = "The passkey \"{name}\" was made for your {site} account with a link sent here, and every session of the account was signed out. {keeps}",
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

    // The email link's pages.
    /// A verification link's page: its heading.
    verify_heading = "Verify your email",
    /// A verification link's page: the question, with the address in bold and the sign-up's date.
    verify_question = "A {site} account was made with <strong>{email}</strong> on {date}. Was it you?",
    /// A verification link's page: keeps the account.
    it_was_me = "Yes, it was me",
    /// A verification link's page: what "It wasn't me" does.
    take_back_explained = "If it wasn't you, take the account back: its passkeys, password and sessions are removed, so whoever made it can no longer sign in, and you can set it up for yourself.",
    /// A verification link's page: takes the account back.
    it_wasnt_me = "It wasn't me: take the account back",
    /// After "Yes, it was me": the heading.
    verified_heading = "Your email is verified",
    /// After "Yes, it was me": before the link to the account page.
    thank_you = "Thank you.",
    /// The link to the account page.
    go_to_account = "Go to your account",
    /// After "It wasn't me": the heading.
    taken_back_heading = "The account is yours",
    /// After "It wasn't me": what happened and what to do.
    taken_back = "Its passkeys, password and sessions are gone: whoever made it can't sign in any more. Choose a password within 15 minutes, then add a passkey.",
    /// After "It wasn't me": the link to the reset page.
    choose_password = "Choose a password",
    /// A verification link opened again after the address was proved: the heading.
    already_verified_heading = "This email is verified already",
    /// A verification link opened again after the address was proved: what it means.
    already_verified = "Nothing was changed. If you don't know the account, reset its password from the sign-in page.",
    /// A change link's page: its heading.
    move_heading = "Use this address?",
    /// A change link's page: the change, with both addresses in bold.
    move_question = "Your {site} account uses <strong>{email}</strong>. It will use <strong>{to}</strong> instead, and keep its passkeys and password.",
    /// A change link's page: makes the change.
    use_this_address = "Use this address",
    /// After the change: the heading.
    moved_heading = "Your email is changed",
    /// After the change, before the link to the account page.
    moved = "Your account uses {to} now.",
    /// A change link opened in another browser: the heading.
    elsewhere_heading = "Open this link where you asked for the change",
    /// A change link opened in another browser: why and what to do.
    elsewhere = "It works only in the browser where you asked to use this address, while you are signed in there. If you didn't ask, ignore it: nothing changes.",
    /// A link that no longer works: the heading.
    expired_heading = "This link doesn't work",
    /// A link that expired or was used.
    expired = "It has expired or was used already. Sign in and send a new one from your account page.",
    /// A link's form sent from another site.
    open_again = "Open the link from your mail again.",
    /// The server failed: the heading.
    failed_heading = "Something went wrong",
    /// The server failed: what to do.
    failed = "Try the link again in a moment.",

    // The OpenID provider's pages.
    /// The login page's heading, around the application's name.
    log_in_to_continue = "Log in to continue to {client}",
    /// The login page's title, around the application's name.
    log_in_title = "Log in to {client}",
    /// The page that asks a signed-in person to sign in again: its heading.
    sign_in_again_heading = "Sign in again to continue to {client}",
    /// The page that asks a signed-in person to sign in again: why, with their address.
    sign_in_again_why = "{client} asks you to sign in again. You're signed in as {email}.",
    /// Signs in again.
    sign_in_again = "Sign in again",
    /// The page that asks before a logout: its heading.
    sign_out_question = "Sign out of {site}?",
    /// Signs out.
    sign_out = "Sign out",
    /// After a logout with nowhere to return: the heading.
    signed_out_heading = "You're signed out",
    /// After a logout with nowhere to return.
    close_this_page = "You can close this page.",
    /// A change link to an address that has an account already: the heading.
    address_taken_heading = "This address has an account already",
    /// A change link to an address that has an account already: what to do.
    address_taken = "Nothing changed. Sign in to that account, or choose another address.",
}

/// A time as every language's mail gives it: ISO 8601's date and minute, in UTC ("2026-12-02 00:00
/// UTC"), from seconds since the epoch; no language's month or day names needed, and no reader misreads it.
pub fn utc_time(at: i64) -> String {
    let (days, seconds) = (at.div_euclid(86_400), at.rem_euclid(86_400));
    let (year, month, day) = civil_date(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", seconds / 3600, seconds % 3600 / 60)
}

/// The proleptic Gregorian date of a day counted from 1970-01-01: the days are split into 400-year
/// eras (146,097 days), and within an era into years starting on 1 March, so the leap day is each
/// year's last.
fn civil_date(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468; // From 0000-03-01.
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
    fn times_are_given_as_iso_dates_in_utc() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_time(951_782_400 + 86_399), "2000-02-29 23:59 UTC");
        assert_eq!(utc_time(1_796_169_600 + 45_296), "2026-12-02 12:34 UTC");
        assert_eq!(utc_time(-86_400), "1969-12-31 00:00 UTC");
    }

    #[test]
    fn fill_puts_each_value_where_its_mark_is_and_leaves_marks_inside_values_alone() {
        let filled =
            fill("The passkey \"{name}\" was added to your {site} account.", &[("site", "Shop"), ("name", "{site}")]);
        assert_eq!(filled, "The passkey \"{site}\" was added to your Shop account.");
        assert_eq!(fill("{unknown} {", &[("site", "Shop")]), "{unknown} {");
    }
}
