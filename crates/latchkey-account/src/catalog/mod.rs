//! Every string the account page and the console show, in every language Latchkey speaks, made with
//! the widget's [`texts!`](latchkey_widget::texts): English built in, each other language a file
//! (`dist/i18n/account/<tag>-<keys>.json`, beside the module's script) that a page in that language
//! fetches with the widget's file, whose error messages the page shows. `{}` marks where a name, a date
//! or an address goes.

#[cfg(feature = "languages")]
pub mod languages;

use latchkey_widget::catalog::{self as widget, LanguageFile, fetch_file, fetch_language};
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

// The language files are beside the module's script, wherever a page loads it from: esbuild bundles this
// snippet into `latchkey-account.js` and `latchkey-console.js`, so `import.meta.url` is that script's
// address.
#[wasm_bindgen(inline_js = "export function languageFiles() { return new URL('i18n/', import.meta.url).href; }")]
extern "C" {
    #[wasm_bindgen(js_name = languageFiles)]
    fn language_files() -> String;
}

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
    // The console's texts follow: one catalog serves both elements, so a language is one file for both.
    /// The console's heading.
    console_title = "Latchkey console",
    /// The label of the administrator's token field.
    admin_token = "Admin token",
    /// Opens the console with the token.
    open_console = "Open the console",
    /// The navigation's name for screen readers.
    console_sections = "Console sections",
    /// The Users section.
    section_users = "Users",
    /// The Applications section (OpenID Connect clients).
    section_applications = "Applications",
    /// The Passkey policy section.
    section_policy = "Passkey policy",
    /// The Events section.
    section_events = "Events",
    /// Yes, in a table or a list of facts.
    yes = "Yes",
    /// No, in a table or a list of facts.
    no = "No",
    /// A column or fact: a name.
    name = "Name",
    /// A column or fact: when something was made.
    created = "Created",
    /// A column: when a passkey or session was last used.
    last_used = "Last used",

    /// The label of the search field (the start of an email).
    find_by_email = "Find by email",
    /// Searches.
    search = "Search",
    /// No account matched the search.
    no_account_found = "No account has an email that starts like that.",
    /// A found account's passkeys, around their number.
    passkey_count = "Passkeys: {}",
    /// A found account has a password.
    has_password_note = "password",
    /// A found account is disabled.
    disabled_note = "disabled",
    /// An account's panel's name for screen readers, around its email.
    account_named = "Account {}",
    /// A fact: whether the account may sign in.
    status = "Status",
    /// The account may not sign in.
    disabled_status = "Disabled: cannot sign in",
    /// The account may sign in.
    active = "Active",
    /// After an account was enabled.
    account_enabled = "Account enabled.",
    /// Enables an account.
    enable_account = "Enable account",
    /// After an account was disabled.
    account_disabled = "Account disabled: its sessions and tokens have ended.",
    /// Disables an account.
    disable_account = "Disable account",
    /// The question before deleting an account.
    delete_account_question = "Delete this account and everything of it?",
    /// Deletes an account after the question.
    delete_for_good = "Delete for good",
    /// Asks to delete an account.
    delete_account = "Delete account",
    /// After an account was deleted.
    account_deleted = "Account deleted, with everything of it.",
    /// The account's passkeys' heading.
    passkeys_heading = "Passkeys",
    /// The account's sessions' heading, and the policy's fieldset of session lifetimes.
    sessions_heading = "Sessions",
    /// The account's last events' heading.
    recent_events = "Recent events",
    /// Opens the Events section on the account's events.
    all_events_of_account = "All events of this account",
    /// The account has no passkeys.
    no_passkeys = "No passkeys.",
    /// A column: a passkey's provider.
    provider = "Provider",
    /// A passkey whose provider is not known.
    unknown_provider = "Unknown provider",
    /// A passkey that does not sync.
    synced_no = "No, one device",
    /// The account has no sessions.
    no_sessions = "No live sessions.",
    /// A column: when a session started.
    started = "Started",
    /// A column: a session's browser.
    browser = "Browser",
    /// A column: a session's IP address.
    address = "Address",
    /// A column: how a session signed in (the method codes).
    how = "How",

    /// After the policy was saved.
    policy_saved = "Policy updated. It applies to every request from now on.",
    /// The fieldset of enrollment settings.
    enrollment = "Enrollment",
    /// A setting.
    allow_progressive = "Allow passkey progressive enrollment",
    /// A setting.
    snooze_days = "Days \"Not now\" waits before asking again",
    /// A setting.
    local_enrollment = "Offer a passkey on this device after a sign-in from another device",
    /// A setting.
    passkeys_per_account = "Passkeys per account",
    /// A setting.
    idle_days = "Days unused before a session ends",
    /// A setting.
    lifetime_days = "Days before a session ends however used (at most 400)",
    /// A setting.
    reauthentication_minutes = "Minutes a sign-in counts as recent, to add a way in or delete a passkey",
    /// The fieldset of sign-in settings.
    sign_in_legend = "Sign-in",
    /// A setting.
    challenge_ui = "Passkey prompt on the sign-in screen",
    /// A setting.
    user_verification = "User verification",
    /// A setting.
    attachment = "Where new passkeys live",
    /// A setting.
    mfa = "Passkey as a second factor after a password",
    /// A setting.
    email_verification = "Email verification",
    /// The fieldset of origins.
    origins = "Origins",
    /// A setting.
    allowed_origins = "Allowed origins (one per line)",
    /// A setting.
    related_origins = "Related origins, served at /.well-known/webauthn (one per line)",
    /// Saves the policy.
    update = "Update",
    /// The passkey prompt: `both`.
    option_both = "Autofill and a button",
    /// The passkey prompt: `autofill`.
    option_autofill = "Autofill only",
    /// The passkey prompt: `button`.
    option_button = "A button only",
    /// User verification: `required`.
    option_required = "Required (PIN or biometrics every time)",
    /// User verification: `preferred`.
    option_preferred = "Preferred",
    /// Where passkeys live: `any`.
    option_any = "Any: this device, phones and security keys",
    /// Where passkeys live: `platform`.
    option_platform = "This device's passkey provider only",
    /// Where passkeys live: `cross_platform`.
    option_cross_platform = "Phones and security keys only",
    /// Email verification: `after_sign_up`.
    option_after_sign_up = "After sign-up: a link is mailed, the account works at once",
    /// Email verification: `before_sign_up`.
    option_before_sign_up = "Before sign-up: a mailed code is entered first",
    /// Email verification or second factor: `off`.
    option_off = "Off",
    /// Second factor: `passkey`.
    option_passkey = "A passkey after every password",
    /// A value this console does not know (from a newer server).
    option_other = "Other",

    /// There are no applications.
    no_applications = "No applications yet. Add one below.",
    /// A column: an application's OAuth client ID.
    client_id = "Client ID",
    /// A column: whether an application is public or confidential.
    client_type = "Type",
    /// A column: an application's redirect URIs.
    redirect_uris = "Redirect URIs",
    /// A column: when an application was added.
    added = "Added",
    /// The hidden heading of the column of buttons.
    actions = "Actions",
    /// An application that has no secret.
    public_client_kind = "Public (PKCE only)",
    /// An application with a secret.
    confidential_kind = "Confidential (secret)",
    /// Removes an application after the question.
    remove_for_good = "Remove for good",
    /// The remove button's name for screen readers, around the application's name.
    remove_named = "Remove {}",
    /// Asks to remove an application.
    remove = "Remove",
    /// After an application was added, around its name.
    client_added = "{} was added.",
    /// Before the new application's client ID.
    client_id_lead = "Client ID: ",
    /// Before the new application's secret.
    client_secret_lead = "Client secret: ",
    /// Under the secret.
    copy_secret = "Copy the secret now: it is stored hashed and never shown again.",
    /// While an application is added.
    adding = "Adding…",
    /// The add form's heading.
    add_application_heading = "Add an application",
    /// A field of the add form.
    redirect_uris_label = "Redirect URIs (one per line, exact)",
    /// A field of the add form.
    logout_uris_label = "Where a logout may return (one per line)",
    /// A checkbox of the add form.
    public_client_label = "Public client: a single-page or native app, with PKCE and no secret",
    /// Adds the application.
    add_application = "Add application",

    /// The label of the events' filter by kind.
    what_happened = "What happened",
    /// The filter's choice of every kind.
    all_events = "All events",
    /// Before the email of the account the events are filtered by.
    account_lead = "Account: ",
    /// Drops the filter by account.
    show_everyones = "Show everyone's",
    /// Loads the next page of older events.
    older_events = "Older events",
    /// No events to show.
    no_events = "No events.",
    /// A column: when an event happened.
    time = "Time",
    /// A column: what happened.
    event = "Event",
    /// A column: whose account.
    account_column = "Account",
    /// A column: why a refusal happened (an error code).
    reason = "Reason",
    /// A column: the client's IP address.
    ip_address = "IP address",
    /// An account known by its row number only, around the number.
    account_number = "Account #{}",
    /// Who made an administrative change.
    administrator = "Administrator",
    /// An event about no known account.
    not_identified = "Not identified",
    /// The event `sign_up`.
    event_sign_up = "Signed up",
    /// The event `sign_up_failed`.
    event_sign_up_failed = "Sign-up refused",
    /// The event `sign_in`.
    event_sign_in = "Signed in",
    /// The event `sign_in_failed`.
    event_sign_in_failed = "Sign-in refused",
    /// The event `sign_out`.
    event_sign_out = "Signed out",
    /// The event `sessions_ended`.
    event_sessions_ended = "Sessions ended",
    /// The event `enrollment_complete`.
    event_enrollment_complete = "Passkey enrolled",
    /// The event `enrollment_failed`.
    event_enrollment_failed = "Passkey enrollment failed",
    /// The event `passkey_added`.
    event_passkey_added = "Passkey added",
    /// The event `passkey_renamed`.
    event_passkey_renamed = "Passkey renamed",
    /// The event `passkey_deleted`.
    event_passkey_deleted = "Passkey deleted",
    /// The event `mfa_passed`.
    event_mfa_passed = "Second factor passed",
    /// The event `mfa_failed`.
    event_mfa_failed = "Second factor refused",
    /// The event `password_reset_requested`.
    event_password_reset_requested = "Reset link sent",
    /// The event `password_reset`.
    event_password_reset = "Password reset",
    /// The event `password_changed`.
    event_password_changed = "Password changed",
    /// The event `account_claimed`.
    event_account_claimed = "Account claimed by its email's owner",
    /// The event `email_verified`.
    event_email_verified = "Email verified",
    /// The event `email_changed`.
    event_email_changed = "Email changed",
    /// The event `policy_changed`.
    event_policy_changed = "Policy changed",
    /// The event `app_sign_in`.
    event_app_sign_in = "Signed in to an application",
    /// The event `token_replayed`.
    event_token_replayed = "Token replayed; grant revoked",
    /// The event `client_added`.
    event_client_added = "Application added",
    /// The event `client_removed`.
    event_client_removed = "Application removed",
    /// The event `signing_key_rotated`.
    event_signing_key_rotated = "Signing key rotated",
    /// The event `account_disabled`.
    event_account_disabled = "Account disabled",
    /// The event `account_enabled`.
    event_account_enabled = "Account enabled",
    /// The event `account_deleted`.
    event_account_deleted = "Account deleted",
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
    /// The locale `Intl` writes dates and times in: the first tag asked for that is this language,
    /// region and all (`en-GB` writes 07/12/2026 where `en` writes 12/7/2026), else the language's tag.
    pub locale: &'static str,
}

impl Words {
    /// English, built in.
    pub const ENGLISH: Self = Self { page: Lang::ENGLISH, widget: widget::Lang::ENGLISH, tag: "en", locale: "en" };

    /// The words of the first language of `locale` (an element's `lang`, if it has one), the
    /// document's `lang` and the browser's languages that Latchkey speaks: English at once, another
    /// language once its two files arrive (English for a file that cannot be had).
    pub async fn fetch(locale: &str) -> Self {
        let preferences = widget::preferred_languages(locale);
        let tag = widget::choose(&preferences);
        let locale = regional(&preferences, tag);
        if tag == "en" {
            return Self { locale, ..Self::ENGLISH };
        }
        let at = language_files();
        let page_file = LanguageFile { language: tag, at: [at.as_str(), "account/"].concat() };
        let widget_file = LanguageFile { language: tag, at };
        // Both fetches start before either is awaited.
        let widget = fetch_language(&widget_file, "");
        let page = fetch_file(&page_file, "", KEYS_ID);
        let page = page.await.and_then(Lang::from_file).unwrap_or_default();
        Self { page, widget: widget.await, tag, locale }
    }
}

/// The first of `preferences` (tags separated by commas) that is the language `tag`, kept for the page's
/// lifetime; `tag` itself when none is.
fn regional(preferences: &str, tag: &'static str) -> &'static str {
    // `choose` answers English for a tag it does not speak, so English is asked for only by its own subtag.
    let is_english =
        |asked: &str| asked.split(['-', '_']).next().is_some_and(|primary| primary.eq_ignore_ascii_case("en"));
    let is_tag = |asked: &str| widget::choose(asked) == tag && (tag != "en" || is_english(asked));
    let asked = preferences.split(',').map(str::trim).find(|asked| !asked.is_empty() && is_tag(asked));
    match asked {
        Some(asked) if asked != tag => asked.to_owned().leak(),
        _ => tag,
    }
}

/// A page that shows nothing until its language is known (English at once, another once its files
/// arrive), then `page` in it.
pub fn in_language<V: IntoView + 'static>(
    locale: String,
    page: impl Fn(Words) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let words = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let fetched = Words::fetch(&locale).await;
        words.try_set(Some(fetched));
    });
    move || words.get().map(&page)
}

/// A browser and the system it runs on as `says` puts them ("Firefox on Windows"), or what is known of
/// them.
pub fn device(says: Lang, browser: Option<&str>, system: Option<&str>) -> String {
    match (browser, system) {
        (Some(browser), Some(system)) => fill(says.browser_on_system(), &[browser, system]),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => says.unknown_browser().to_owned(),
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
    fn dates_follow_the_region_asked_for_in_the_language_spoken() {
        assert_eq!(regional("en-GB,en", "en"), "en-GB");
        assert_eq!(regional(",de-CH,fr", "de"), "de-CH");
        assert_eq!(regional("sv,fr-CA", "fr"), "fr-CA");
        assert_eq!(regional("sv", "en"), "en", "English when nothing asked for is spoken");
    }

    #[test]
    fn fill_puts_the_values_in_order() {
        assert_eq!(fill("Created {} · Last used {}", &["1/2/2026", "never"]), "Created 1/2/2026 · Last used never");
        assert_eq!(fill("{}（{}）", &["Chrome", "Linux"]), "Chrome（Linux）");
        assert_eq!(fill("Rename {}", &[]), "Rename ");
    }
}
