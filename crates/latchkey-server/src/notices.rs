//! Security notifications: a mail to the account's address whenever one of its ways in changes (a
//! passkey added or deleted, a password set, changed or reset, the account claimed), so an owner hears
//! of a change they did not make. Each says what happened, when, from which browser, system and
//! address, and links to the account page; it goes through the durable outbox like every other mail.

use latchkey_proto::device_phrase;

use crate::{
    events::Client,
    state::AppState,
    store::{Mail, now},
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
}

impl Notice<'_> {
    fn subject(self, site: &str) -> String {
        match self {
            Self::PasskeyAdded(_) => format!("A passkey was added to your {site} account"),
            Self::PasskeyDeleted(_) => format!("A passkey was deleted from your {site} account"),
            Self::PasswordSet => format!("A password was set for your {site} account"),
            Self::PasswordChanged => format!("Your {site} password was changed"),
            Self::PasswordReset => format!("Your {site} password was reset"),
            Self::AccountClaimed => format!("Your {site} account is yours alone now"),
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
        }
    }
}

/// Queues the notification of `notice` to `to`, made by `client`. The change it reports has happened,
/// so a failure to queue is logged rather than undoing it or failing the request.
pub async fn notify(app: &AppState, client: &Client, to: &str, notice: Notice<'_>) {
    let at = now();
    let mail = notice_mail(&app.config.rp_name, &app.config.account_page(&app.live().policy), client, to, notice, at);
    if let Err(e) = app.store.queue_mail(mail, at + NOTICE_LIFETIME_SECS).await {
        tracing::error!(%e, "queuing a security notification");
        return;
    }
    app.outbox_ready.notify_one();
}

/// The mail of a notice, sent at `at` (seconds since the epoch).
fn notice_mail(site: &str, account_page: &str, client: &Client, to: &str, notice: Notice<'_>, at: i64) -> Mail {
    let when = httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(at.unsigned_abs()));
    let text = format!(
        "{}\n\nWhen: {when}\nFrom: {}\n\n\
         If this was you, there is nothing to do. If it wasn't, sign in and check your passkeys, password \
         and sessions now:\n\n{account_page}\n",
        notice.what_happened(site),
        from_where(client),
    );
    Mail { to: to.to_owned(), subject: notice.subject(site), text, reset_link_for: None }
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
        assert_eq!(mail.reset_link_for, None);
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
