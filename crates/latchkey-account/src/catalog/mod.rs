//! Every string the account page shows, in every language Latchkey speaks, made with the widget's
//! [`texts!`](latchkey_widget::texts): English built in, each other language a file
//! (`dist/i18n/account/<tag>-<keys>.json`) that a page in that language fetches with the widget's file,
//! whose error messages the page shows. `{}` marks where a name, a date or an address goes.

#[cfg(feature = "languages")]
pub mod languages;

use latchkey_widget::catalog::{self as widget, LanguageFile, fetch_file, fetch_language};

latchkey_widget::texts! {
    /// The page's heading.
    your_passkeys = "Your passkeys",
    /// Signed out: before the link to the sign-in page.
    log_in_to_manage = "Log in to manage your passkeys. ",
    /// Signed out: the link to the sign-in page.
    log_in = "Log in",
    /// While the account loads.
    loading = "Loading…",
    /// Before the account's email, in bold.
    signed_in_as = "Signed in as ",

    /// Adds a passkey.
    add_passkey = "Add a passkey",
    /// Under "Add a passkey" when the account has as many passkeys as it may.
    passkeys_at_cap = "You have the most passkeys your account can have. Delete one to add another.",
    /// A passkey that syncs across the person's devices.
    synced = "Synced",
    /// A passkey that lives on one device.
    this_device_only = "This device only",
    /// A passkey's last use when it was never used.
    never = "never",
    /// A passkey's dates: when it was made, then when it was last used (a date, or "never").
    passkey_dates = "Created {} · Last used {}",
    /// The rename button's name for screen readers, around the passkey's name.
    rename_named = "Rename {}",
    /// The delete button's name for screen readers, around the passkey's name.
    delete_named = "Delete {}",
    /// Opens the rename form.
    rename = "Rename",
    /// Asks to delete a passkey.
    delete = "Delete",
    /// The label of the name field.
    passkey_name = "Passkey name",
    /// Saves the new name.
    save = "Save",
    /// Leaves a form or a confirmation without a change.
    cancel = "Cancel",
    /// The deletion question's name for screen readers.
    confirm_deletion = "Confirm deletion",
    /// The deletion question, around the passkey's name.
    delete_question = "Delete “{}”? You won't be able to sign in with it any more.",
    /// Deletes the passkey.
    delete_passkey = "Delete passkey",
    /// While the browser's passkey prompt is open.
    waiting_for_passkey = "Waiting for your passkey…",
    /// After a passkey was added.
    passkey_added = "Passkey added.",
    /// While a change is saved.
    saving = "Saving…",
    /// After a passkey was renamed.
    passkey_renamed = "Passkey renamed.",
    /// While a passkey is deleted.
    deleting = "Deleting…",
    /// After a passkey was deleted.
    passkey_deleted = "Passkey deleted.",

    /// The heading of the confirmation an old sign-in needs before a change.
    confirm_its_you = "Confirm it's you",
    /// Why the confirmation is asked.
    confirm_why = "You signed in a while ago. To keep your account safe, confirm it's you before this change.",
    /// Confirms with a passkey.
    use_your_passkey = "Use your passkey",
    /// The label of the confirmation's password field.
    your_password = "Your password",
    /// Confirms with the password.
    confirm_with_password = "Confirm with your password",
    /// While the confirmation signs in again.
    confirming = "Confirming it's you…",

    /// The email section's heading.
    email = "Email",
    /// The address was proved.
    verified = "Verified",
    /// The address was not proved yet.
    not_verified = "Not verified yet",
    /// Before the button that mails the verification link again.
    open_link_to_verify = "Open the link we mailed to this address to verify it. ",
    /// Mails the verification link again.
    send_link_again = "Send the link again",
    /// The label of the new address's field.
    new_email = "New email address",
    /// Asks for the change of address.
    change_email = "Change email",
    /// While a mail is asked for.
    sending = "Sending…",
    /// After a change of address was asked for.
    check_new_address = "Check the new address: the change happens when you open the link we sent it.",
    /// After the verification link was mailed again.
    verification_sent = "Sent. Open the link in the mail to verify your address.",

    /// The password section's heading.
    password = "Password",
    /// The label of the current password's field.
    current_password = "Current password",
    /// The label of the new password's field.
    new_password = "New password",
    /// Changes the password.
    change_password = "Change password",
    /// Sets a first password.
    set_password = "Set a password",
    /// After the password was saved.
    password_saved = "Password saved.",

    /// The sessions section's heading.
    where_signed_in = "Where you're signed in",
    /// Ends every session but this one.
    sign_out_elsewhere = "Sign out everywhere else",
    /// A session whose browser and system are not known.
    unknown_browser = "Unknown browser",
    /// A browser and the system it runs on, in that order ("Firefox on Windows").
    browser_on_system = "{} on {}",
    /// A session's dates: when it signed in, then when it was last used (a date and time).
    session_dates = "Signed in {} · Last active {}",
    /// The sign-out button's name for screen readers, around the session's browser.
    sign_out_named = "Sign out {}",
    /// Marks the session of the browser showing the page.
    this_device = "This device",
    /// Ends a session.
    sign_out = "Sign out",
    /// While sessions are ended.
    signing_out = "Signing out…",
    /// After a session was ended.
    signed_out_there = "Signed out on that device.",
    /// After every other session was ended.
    signed_out_elsewhere = "Signed out everywhere else.",
}

/// What the account page says things with: its own texts, the widget's (for error messages), and the
/// language's tag (for `Intl`'s dates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    /// The account page's texts.
    pub page: Lang,
    /// The login widget's texts, whose error messages the page shares.
    pub widget: widget::Lang,
    /// The BCP 47 tag, one of `LANGUAGES`.
    pub tag: &'static str,
}

impl Words {
    /// English, built in.
    pub const ENGLISH: Self = Self { page: Lang::ENGLISH, widget: widget::Lang::ENGLISH, tag: "en" };

    /// The words of the first language of `locale` (an element's `lang`, if it has one), the
    /// document's `lang` and the browser's languages that Latchkey speaks: English at once, another
    /// language once its two files arrive (English for a file that cannot be had).
    pub async fn fetch(locale: &str) -> Self {
        let tag = widget::choose(&widget::preferred_languages(locale));
        if tag == "en" {
            return Self::ENGLISH;
        }
        let widget_file = LanguageFile { language: tag, at: String::new() };
        let page_file = LanguageFile { language: tag, at: "/i18n/account/".to_owned() };
        // Both fetches start before either is awaited.
        let widget = fetch_language(&widget_file, "");
        let page = fetch_file(&page_file, "", KEYS_ID);
        let page = page.await.and_then(Lang::from_file).unwrap_or_default();
        Self { page, widget: widget.await, tag }
    }
}

/// `template` with each `{}` replaced by the next of `values`, in order.
pub fn fill(template: &str, values: &[&str]) -> String {
    let mut parts = template.split("{}");
    let mut text = parts.next().unwrap_or_default().to_owned();
    for (part, value) in parts.zip(values.iter().chain(std::iter::repeat(&""))) {
        text.push_str(value);
        text.push_str(part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_puts_the_values_in_order() {
        assert_eq!(fill("Created {} · Last used {}", &["1/2/2026", "never"]), "Created 1/2/2026 · Last used never");
        assert_eq!(fill("{}（{}）", &["Chrome", "Linux"]), "Chrome（Linux）");
        assert_eq!(fill("Rename {}", &[]), "Rename ");
    }
}
