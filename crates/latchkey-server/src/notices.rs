//! What the server mails an account's owner about the account: security notifications whenever one of
//! its ways in changes (a passkey added or deleted, a password set, changed or reset, the account
//! claimed), so an owner hears of a change they did not make, each saying what happened, when, from
//! which browser, system and address, and linking to the account page; the verification link a
//! sign-up sends, and the code a sign-up asks for first under `email_verification = "before_sign_up"`.
//! All go through the durable outbox like every other mail.

use latchkey_proto::{Keeps, device_phrase};

use crate::{
    background::{LINK_SLOT, VERIFY_LINK_SECS},
    events::Client,
    sign_up_code::CODE_SECS,
    state::AppState,
    store::{Mail, MailLink, now},
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
fn still_working(keeps: Keeps) -> &'static str {
    match (keeps.passkeys, keeps.password) {
        (0, false) => "The new passkey is now its one way in.",
        (0, true) => "Its password still works.",
        (1, false) => "Its other passkey still works.",
        (1, true) => "Its other passkey and its password still work.",
        (_, false) => "Its other passkeys still work.",
        (_, true) => "Its other passkeys and its password still work.",
    }
}

impl Notice<'_> {
    fn subject(self, site: &str) -> String {
        match self {
            Self::PasskeyAdded(_) => format!("A passkey was added to your {site} account"),
            Self::PasskeyDeleted(_) => format!("A passkey was deleted from your {site} account"),
            Self::PasswordSet => format!("A password was set for your {site} account"),
            Self::PasswordChanged => format!("Your {site} password was changed"),
            Self::PasswordReset => format!("Your {site} password was reset"),
            Self::RecoveredWithPasskey(..) => format!("A new passkey was made for your {site} account"),
            Self::AccountClaimed | Self::AccountTakenBack | Self::ClaimedWithPasskey(_) => {
                format!("Your {site} account is yours alone now")
            }
            Self::EmailChanged(_) => format!("Your {site} account uses another email now"),
        }
    }

    fn what_happened(self, site: &str) -> String {
        match self {
            Self::PasskeyAdded(name) => format!("The passkey \"{name}\" was added to your {site} account."),
            Self::PasskeyDeleted(name) => format!("The passkey \"{name}\" was deleted from your {site} account."),
            Self::PasswordSet => format!("A password was set for your {site} account."),
            Self::PasswordChanged => format!("The password of your {site} account was changed."),
            Self::PasswordReset => format!("The password of your {site} account was reset with a link sent here."),
            Self::AccountClaimed => format!(
                "The password of your {site} account was reset with a link sent here. It was the first time \
                 this address was confirmed, so anything made on the account before, which someone else \
                 could have made with your address, is gone: its passkeys and every session. Sign in \
                 with the new password and add a passkey again."
            ),
            Self::RecoveredWithPasskey(name, keeps) => format!(
                "The passkey \"{name}\" was made for your {site} account with a link sent here, and every \
                 session of the account was signed out. {}",
                still_working(keeps)
            ),
            Self::ClaimedWithPasskey(name) => format!(
                "The passkey \"{name}\" was made for your {site} account with a link sent here. It was the \
                 first time this address was confirmed, so anything made on the account before, which \
                 someone else could have made with your address, is gone: its passkeys, its password and \
                 every session. The new passkey is now its one way in."
            ),
            Self::AccountTakenBack => format!(
                "You told us you didn't sign up for this {site} account, which was made with your address. \
                 Everything made on it is gone: its passkeys, its password and every session. The account \
                 is yours now: choose a password with \"Forgot password?\" on the sign-in page, then add a \
                 passkey."
            ),
            Self::EmailChanged(to) => format!(
                "Your {site} account uses {to} now, instead of this address. Mail about the account goes there."
            ),
        }
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
    let site = &app.config.rp_name;
    let text = format!(
        "Someone asked to use this address for a {site} account.\n\nWhen: {}\nFrom: {}\n\n\
         To make the change, open this link within 24 hours, in the browser you asked from:\n\n{LINK_SLOT}\n\n\
         If it wasn't you, ignore this email: nothing changes.\n",
        http_date(now()),
        from_where(client),
    );
    let subject = format!("Confirm your new email for {site}");
    let mail = Mail { to: to.to_owned(), subject, text, link: Some(MailLink::ChangeEmail(user_id, session)) };
    queue(app, mail, now() + VERIFY_LINK_SECS).await;
}

/// Queues the answer to a change to an address that has an account already: the asking page cannot
/// tell, so it says nothing about whose addresses have accounts, and the mailbox owner learns it here.
pub async fn mail_address_in_use(app: &AppState, client: &Client, to: &str) {
    let site = &app.config.rp_name;
    let text = format!(
        "Someone asked to use this address for a {site} account, but it has a {site} account already, so \
         nothing changed.\n\nWhen: {}\nFrom: {}\n\nIf it wasn't you, there is nothing to do.\n",
        http_date(now()),
        from_where(client),
    );
    let mail = Mail { to: to.to_owned(), subject: format!("Your email and {site}"), text, link: None };
    queue(app, mail, now() + VERIFY_LINK_SECS).await;
}

/// Queues the code a sign-up for `to` asks for, made by `client`; the worker mints it as it sends the
/// mail, where the text has its slot.
pub async fn mail_sign_up_code(app: &AppState, client: &Client, to: &str) {
    let site = &app.config.rp_name;
    let text = format!(
        "Someone is signing up for a {site} account with this address.\n\nWhen: {}\nFrom: {}\n\n\
         To go on, enter this code within 15 minutes:\n\n{LINK_SLOT}\n\n\
         If it wasn't you, ignore this email: no account is made without the code.\n",
        http_date(now()),
        from_where(client),
    );
    let subject = format!("Your code to sign up for {site}");
    let mail = Mail { to: to.to_owned(), subject, text, link: Some(MailLink::SignUpCode(to.to_owned())) };
    queue(app, mail, now() + CODE_SECS).await;
}

/// Queues the answer to a sign-up code asked for an address that has an account already: the asking
/// page is told a code was sent either way, and the mailbox's owner learns here that none was.
pub async fn mail_account_exists(app: &AppState, client: &Client, to: &str) {
    let site = &app.config.rp_name;
    let text = format!(
        "Someone tried to sign up for {site} with this address, but it has a {site} account already, so no \
         code was sent.\n\nWhen: {}\nFrom: {}\n\n\
         To sign in, use your passkey or your password on the sign-in page. If you can't, \"Can't sign in?\" \
         there mails you a way back in.\n\nIf it wasn't you, there is nothing to do.\n",
        http_date(now()),
        from_where(client),
    );
    let mail = Mail { to: to.to_owned(), subject: format!("You have a {site} account already"), text, link: None };
    queue(app, mail, now() + CODE_SECS).await;
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
    let text = format!(
        "Someone signed up for a {site} account with this address.\n\nWhen: {}\nFrom: {}\n\n\
         Open this link within 24 hours to verify your email:\n\n{LINK_SLOT}\n\n\
         If it wasn't you, open the link too: its page lets you take the account back, and whoever signed \
         up loses every way into it.\n",
        http_date(at),
        from_where(client),
    );
    let subject = format!("Verify your email for {site}");
    Mail { to: to.to_owned(), subject, text, link: Some(MailLink::Verify(user_id)) }
}

/// A time as mail writes it (RFC 9110 §5.6.7), from seconds since the epoch.
fn http_date(at: i64) -> String {
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(at.unsigned_abs()))
}

/// The mail of a notice, sent at `at` (seconds since the epoch).
fn notice_mail(site: &str, account_page: &str, client: &Client, to: &str, notice: Notice<'_>, at: i64) -> Mail {
    let when = http_date(at);
    let text = format!(
        "{}\n\nWhen: {when}\nFrom: {}\n\n\
         If this was you, there is nothing to do. If it wasn't, sign in and check your passkeys, password \
         and sessions now:\n\n{account_page}\n",
        notice.what_happened(site),
        from_where(client),
    );
    Mail { to: to.to_owned(), subject: notice.subject(site), text, link: None }
}

/// "Firefox on Windows, 198.51.100.7", or as much of it as is known.
fn from_where(client: &Client) -> String {
    let described = client.user_agent.as_deref().map(user_agent::describe);
    let device = device_phrase(described.and_then(|d| d.browser), described.and_then(|d| d.system))
        .unwrap_or_else(|| "an unknown browser".to_owned());
    match &client.ip {
        Some(ip) => format!("{device}, {ip}"),
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
        assert!(mail.text.contains("When: Wed, 02 Dec 2026 00:00:00 GMT\n"), "{}", mail.text);
        assert!(mail.text.contains("From: Firefox on Windows, 198.51.100.7\n"), "{}", mail.text);
        assert!(mail.text.ends_with("\n\nhttp://localhost:8080/account.html\n"), "{}", mail.text);
        assert_eq!(mail.link, None);
    }

    #[test]
    fn an_unknown_browser_is_said_so() {
        assert_eq!(from_where(&Client { ip: None, user_agent: None }), "an unknown browser");
        assert_eq!(
            from_where(&Client { ip: Some("::1".into()), user_agent: Some("curl/8".into()) }),
            "an unknown browser, ::1"
        );
    }
}
