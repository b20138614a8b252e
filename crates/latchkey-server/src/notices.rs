//! What the server mails an account's owner about the account: security notifications whenever one of
//! its ways in changes (a passkey added or deleted, a password set, changed or reset, the account
//! claimed), so an owner hears of a change they did not make, each saying what happened, when, from
//! which browser, system and address, and linking to the account page; the verification link a
//! sign-up sends, and the code a sign-up asks for first under `email_verification = "before_sign_up"`.
//! All go through the durable outbox like every other mail.

use latchkey_proto::Keeps;

use crate::{
    background::{LINK_SLOT, VERIFY_LINK_SECS},
    events::Client,
    sign_up_code::CODE_SECS,
    state::AppState,
    store::{Mail, MailLink, now},
    texts::{Texts, fill, texts_for, utc_time},
    user_agent,
};

/// How long a notification is worth delivering: a week of retries, then it is dropped.
const NOTICE_LIFETIME_SECS: i64 = 7 * 24 * 3600;

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice<'a> {
    /// A passkey of this name was added.
    PasskeyAdded(&'a str),
    /// A passkey of this name was deleted.
    PasskeyDeleted(&'a str),
    /// A first password was set.
    PasswordSet,
    /// The password was changed.
    PasswordChanged,
    /// The password was reset with a mailed link.
    PasswordReset,
    /// The password was reset with a mailed link on an account whose email had never been proved, so
    /// everything made on it before (passkeys, sessions) is gone.
    AccountClaimed,
    /// A passkey of this name was made with a mailed link ("Can't sign in?"), and every session ended;
    /// the account kept these ways in besides it.
    RecoveredWithPasskey(&'a str, Keeps),
    /// The same, on an account whose email had never been proved, so everything made on it before is
    /// gone and the new passkey is its one way in.
    ClaimedWithPasskey(&'a str),
    /// The mailbox owner said "It wasn't me" on the verification link of an account made with their
    /// address, so everything made on it before (passkeys, password, sessions) is gone.
    AccountTakenBack,
    /// The account moved to this address (the mail goes to the old one).
    EmailChanged(&'a str),
}

/// What a recovery's mail says of the ways in the account kept besides the new passkey.
fn still_working(texts: &Texts, keeps: Keeps) -> &'static str {
    match (keeps.passkeys, keeps.password) {
        (0, false) => texts.keeps_nothing,
        (0, true) => texts.keeps_password,
        (1, false) => texts.keeps_other_passkey,
        (1, true) => texts.keeps_other_passkey_and_password,
        (_, false) => texts.keeps_other_passkeys,
        (_, true) => texts.keeps_other_passkeys_and_password,
    }
}

impl Notice<'_> {
    /// The subject line and the sentences saying what happened, for the account of `site`.
    fn words(self, texts: &Texts, site: &str) -> (String, String) {
        let (subject, what, name, to) = match self {
            Self::PasskeyAdded(name) => (texts.passkey_added_subject, texts.passkey_added, name, ""),
            Self::PasskeyDeleted(name) => (texts.passkey_deleted_subject, texts.passkey_deleted, name, ""),
            Self::PasswordSet => (texts.password_set_subject, texts.password_set, "", ""),
            Self::PasswordChanged => (texts.password_changed_subject, texts.password_changed, "", ""),
            Self::PasswordReset => (texts.password_reset_subject, texts.password_reset, "", ""),
            Self::AccountClaimed => (texts.yours_alone_subject, texts.account_claimed, "", ""),
            Self::RecoveredWithPasskey(name, _) => (texts.recovered_subject, texts.recovered, name, ""),
            Self::ClaimedWithPasskey(name) => (texts.yours_alone_subject, texts.claimed_with_passkey, name, ""),
            Self::AccountTakenBack => (texts.yours_alone_subject, texts.account_taken_back, "", ""),
            Self::EmailChanged(to) => (texts.email_changed_subject, texts.email_changed, "", to),
        };
        let keeps = match self {
            Self::RecoveredWithPasskey(_, keeps) => still_working(texts, keeps),
            _ => "",
        };
        let values = [("site", site), ("name", name), ("to", to), ("keeps", keeps)];
        (fill(subject, &values), fill(what, &values))
    }
}

/// Queues the notification of `notice` to `to`, made by `client`. The change it reports has happened,
/// so a failure to queue is logged rather than undoing it or failing the request.
pub async fn notify(app: &AppState, client: &Client, to: &str, notice: Notice<'_>) {
    let at = now();
    let mail = notice_mail(&app.config.rp_name, &app.config.account_page(&app.live().policy), client, to, notice, at);
    queue(app, mail, at + NOTICE_LIFETIME_SECS).await;
}

/// Queues the verification link of a new account's email, made by `client`'s sign-up. Like a
/// notification, a failure to queue is logged: the account exists, and the link can be sent again
/// from the account page.
pub async fn mail_verification_link(app: &AppState, client: &Client, user_id: i64, to: &str) {
    let at = now();
    queue(app, verification_mail(&app.config.rp_name, client, user_id, to, at), at + VERIFY_LINK_SECS).await;
}

/// Queues the link that moves account `user_id` to the address `to`, asked for by `client` in the
/// session `session` (the link works only in that session's browser).
pub async fn mail_change_link(app: &AppState, client: &Client, user_id: i64, session: Vec<u8>, to: &str) {
    let link = Some(MailLink::ChangeEmail(user_id, session));
    let mail = site_mail(&app.config.rp_name, client, now(), to, link, |t| {
        (t.change_subject, t.change_asked, vec![t.change_instruction, LINK_SLOT, t.ignore_nothing_changes])
    });
    queue(app, mail, now() + VERIFY_LINK_SECS).await;
}

/// Queues the answer to a change to an address that has an account already: the asking page cannot
/// tell, so it says nothing about whose addresses have accounts, and the mailbox owner learns it here.
pub async fn mail_address_in_use(app: &AppState, client: &Client, to: &str) {
    let mail = site_mail(&app.config.rp_name, client, now(), to, None, |t| {
        (t.address_in_use_subject, t.address_in_use, vec![t.nothing_to_do])
    });
    queue(app, mail, now() + VERIFY_LINK_SECS).await;
}

/// Queues the code a sign-up for `to` asks for, made by `client`; the worker mints it as it sends the
/// mail, where the text has its slot.
pub async fn mail_sign_up_code(app: &AppState, client: &Client, to: &str) {
    let link = Some(MailLink::SignUpCode(to.to_owned()));
    let mail = site_mail(&app.config.rp_name, client, now(), to, link, |t| {
        (t.code_subject, t.code_asked, vec![t.code_instruction, LINK_SLOT, t.code_ignore])
    });
    queue(app, mail, now() + CODE_SECS).await;
}

/// Queues the answer to a sign-up code asked for an address that has an account already: the asking
/// page is told a code was sent either way, and the mailbox's owner learns here that none was.
pub async fn mail_account_exists(app: &AppState, client: &Client, to: &str) {
    let mail = site_mail(&app.config.rp_name, client, now(), to, None, |t| {
        (t.account_exists_subject, t.account_exists, vec![t.account_exists_advice, t.nothing_to_do])
    });
    queue(app, mail, now() + CODE_SECS).await;
}

/// The mail of the reset link asked for by `client` at `at`, in its language; the worker mints the link
/// as it sends the mail.
pub fn reset_mail(site: &str, client: &Client, at: i64, user_id: i64, to: &str) -> Mail {
    site_mail(site, client, at, to, Some(MailLink::Reset(user_id)), |t| {
        (t.reset_subject, t.reset_asked, vec![t.reset_instruction, LINK_SLOT, t.ignore_nothing_changes])
    })
}

/// Queues a mail that is of use until `expires_at`, waking the worker. What it reports has happened
/// already, so a failure to queue is logged rather than undoing it or failing the request.
async fn queue(app: &AppState, mail: Mail, expires_at: i64) {
    if let Err(e) = app.store.queue_mail(mail, expires_at).await {
        tracing::error!(%e, "queuing mail");
        return;
    }
    app.outbox_ready.notify_one();
}

/// The verification mail of account `user_id`; its link is minted when it is sent.
fn verification_mail(site: &str, client: &Client, user_id: i64, to: &str, at: i64) -> Mail {
    site_mail(site, client, at, to, Some(MailLink::Verify(user_id)), |t| {
        (t.verify_subject, t.verify_asked, vec![t.verify_instruction, LINK_SLOT, t.verify_not_you])
    })
}

/// A mail to `to` about an account at `site`, asked for by `client` at `at`, in its language: `words`
/// picks the subject, the opening (both around the site's name) and the paragraphs after when and from
/// where the request came.
fn site_mail(
    site: &str,
    client: &Client,
    at: i64,
    to: &str,
    link: Option<MailLink>,
    words: impl FnOnce(&'static Texts) -> (&'static str, &'static str, Vec<&'static str>),
) -> Mail {
    let texts = texts_for(client.language);
    let (subject, opening, paragraphs) = words(texts);
    let site = [("site", site)];
    let text = body(texts, &fill(opening, &site), client, at, &paragraphs);
    Mail { to: to.to_owned(), subject: fill(subject, &site), text, link }
}

/// The mail of a notice, sent at `at` (seconds since the epoch).
fn notice_mail(site: &str, account_page: &str, client: &Client, to: &str, notice: Notice<'_>, at: i64) -> Mail {
    let texts = texts_for(client.language);
    let (subject, what_happened) = notice.words(texts, site);
    let text = body(texts, &what_happened, client, at, &[texts.notice_advice, account_page]);
    Mail { to: to.to_owned(), subject, text, link: None }
}

/// A mail's text: its opening paragraph, then when (`at`) and from where `client`'s request came, then
/// the other paragraphs, a blank line between each.
fn body(texts: &Texts, opening: &str, client: &Client, at: i64, paragraphs: &[&str]) -> String {
    let when = fill(texts.when_line, &[("time", &utc_time(at))]);
    let from = fill(texts.from_line, &[("device", &from_where(texts, client))]);
    let mut text = [opening, "\n\n", &when, "\n", &from].concat();
    for paragraph in paragraphs {
        text.extend(["\n\n", paragraph]);
    }
    text.push('\n');
    text
}

/// "Firefox on Windows, 198.51.100.7", or as much of it as is known, in the mail's language.
fn from_where(texts: &Texts, client: &Client) -> String {
    let described = client.user_agent.as_deref().map(user_agent::describe);
    let (browser, system) = (described.and_then(|d| d.browser), described.and_then(|d| d.system));
    let device = match (browser, system) {
        (Some(browser), Some(system)) => fill(texts.browser_on_system, &[("browser", browser), ("system", system)]),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => texts.unknown_browser.to_owned(),
    };
    match &client.ip {
        Some(ip) => fill(texts.device_and_address, &[("device", &device), ("ip", ip)]),
        None => device,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_says_what_when_from_where_and_links_to_the_account_page() {
        let client = Client {
            ip: Some("198.51.100.7".into()),
            user_agent: Some("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0".into()),
            language: "en",
        };
        let mail = notice_mail(
            "Latchkey demo",
            "http://localhost:8080/account.html",
            &client,
            "ada@example.com",
            Notice::PasskeyAdded("Work laptop"),
            1_796_169_600,
        );
        assert_eq!(mail.to, "ada@example.com");
        assert_eq!(mail.subject, "A passkey was added to your Latchkey demo account");
        assert!(mail.text.starts_with("The passkey \"Work laptop\" was added to your Latchkey demo account.\n"));
        assert!(mail.text.contains("When: 2026-12-02 00:00 UTC\n"), "{}", mail.text);
        assert!(mail.text.contains("From: Firefox on Windows, 198.51.100.7\n"), "{}", mail.text);
        assert!(mail.text.ends_with("\n\nhttp://localhost:8080/account.html\n"), "{}", mail.text);
        assert_eq!(mail.link, None);
    }

    #[test]
    fn an_unknown_browser_is_said_so() {
        let english = texts_for("en");
        assert_eq!(from_where(english, &Client::default()), "an unknown browser");
        let curl = Client { ip: Some("::1".into()), user_agent: Some("curl/8".into()), language: "en" };
        assert_eq!(from_where(english, &curl), "an unknown browser, ::1");
    }

    #[test]
    fn a_mail_is_written_in_the_language_of_the_page_that_asked() {
        let client = Client {
            ip: None,
            user_agent: Some("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36".into()),
            language: "fr",
        };
        let mail = verification_mail("Boutique", &client, 1, "ada@example.com", 1_796_169_600);
        let french = texts_for("fr");
        assert_eq!(mail.subject, fill(french.verify_subject, &[("site", "Boutique")]));
        assert!(mail.text.contains(&fill(french.browser_on_system, &[("browser", "Chrome"), ("system", "Linux")])));
        assert!(mail.text.contains(french.verify_instruction), "{}", mail.text);
    }
}
