//! Rate limits: how many requests of a kind a client address, an account, or an address and an account
//! together may send per window, counted in the store so the count holds across nodes. A refused request
//! gets `429 rate_limited` with `Retry-After`.
//!
//! Password guesses are counted per account as failures (NIST SP 800-63B §5.2.2 allows at most 100 an
//! hour) and per account and address, and only refuse the password path: the owner's passkey still signs
//! in, so a guesser cannot lock the owner out. Accounts are keyed by the email typed, so an address with
//! no account is limited exactly like one with, and the limits reveal nothing about who has an account.

use sha2::{Digest, Sha256};

use crate::{
    error::ApiError,
    events::Client,
    state::AppState,
    store::{StoreError, now},
};

/// A limit: at most `max` per `window_secs`, for each subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The limit's name, in the log and in its counters' keys.
    pub name: &'static str,
    /// The most a subject may use in a window.
    pub max: i64,
    /// The window's length in seconds.
    pub window_secs: i64,
}

const MINUTE: i64 = 60;
const QUARTER_HOUR: i64 = 15 * MINUTE;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Ceremonies started (sign-up, sign-in, another passkey) per address: far above a person's need (every
/// page load with autofill starts one) and room for an office behind one address, while an anonymous
/// client keeps at most 600 ceremonies alive in their 300 s.
pub const CEREMONY_STARTS_PER_IP: Limit = Limit { name: "ceremony_starts_per_ip", max: 120, window_secs: MINUTE };
/// Identifier-first lookups per address.
pub const IDENTIFY_PER_IP: Limit = Limit { name: "identify_per_ip", max: 30, window_secs: MINUTE };
/// Accounts signed up with a password per address.
pub const PASSWORD_SIGN_UPS_PER_IP: Limit = Limit { name: "password_sign_ups_per_ip", max: 20, window_secs: HOUR };
/// Wrong passwords per account (the email typed): NIST's ceiling.
pub const PASSWORD_FAILURES_PER_ACCOUNT: Limit =
    Limit { name: "password_failures_per_account", max: 100, window_secs: HOUR };
/// Wrong passwords per account from one address: a guesser is stopped long before the account's
/// ceiling, which the owner, from elsewhere, keeps clear of.
pub const PASSWORD_FAILURES_PER_ACCOUNT_AND_IP: Limit =
    Limit { name: "password_failures_per_account_and_ip", max: 10, window_secs: QUARTER_HOUR };
/// Wrong passwords per address over all accounts (one address trying many accounts).
pub const PASSWORD_FAILURES_PER_IP: Limit =
    Limit { name: "password_failures_per_ip", max: 50, window_secs: QUARTER_HOUR };
/// "Forgot password?" requests per address.
pub const RESET_REQUESTS_PER_IP: Limit = Limit { name: "reset_requests_per_ip", max: 10, window_secs: HOUR };
/// "Forgot password?" requests per email address: caps the mail one address can be sent.
pub const RESET_REQUESTS_PER_EMAIL: Limit = Limit { name: "reset_requests_per_email", max: 3, window_secs: HOUR };
/// Verification links asked for from the account page per mailbox: caps the mail one address can be
/// sent, like "Forgot password?".
pub const EMAIL_LINKS_PER_EMAIL: Limit = Limit { name: "email_links_per_email", max: 3, window_secs: HOUR };
/// Sign-up codes asked for per address (`email_verification = "before_sign_up"`).
pub const SIGN_UP_CODES_PER_IP: Limit = Limit { name: "sign_up_codes_per_ip", max: 10, window_secs: HOUR };
/// Sign-up codes asked for per mailbox: caps the mail one address can be sent, like "Forgot password?".
pub const SIGN_UP_CODES_PER_EMAIL: Limit = Limit { name: "sign_up_codes_per_email", max: 3, window_secs: HOUR };
/// Wrong sign-up codes per mailbox: a day's guesses, against at most three live six-digit codes, succeed
/// about three times in 100,000, and a guesser must keep asking for codes, each of which mails the
/// mailbox's owner. The price: anyone can spend an address's guesses, and its owner then cannot sign up
/// until the window ends; a code is worth far more to an attacker than that delay costs.
pub const SIGN_UP_CODE_FAILURES_PER_EMAIL: Limit =
    Limit { name: "sign_up_code_failures_per_email", max: 10, window_secs: DAY };
/// Wrong sign-up codes per address over all mailboxes.
pub const SIGN_UP_CODE_FAILURES_PER_IP: Limit =
    Limit { name: "sign_up_code_failures_per_ip", max: 30, window_secs: HOUR };
/// Changes of email asked for per account: each mails a stranger's address, so an account sends few.
pub const EMAIL_CHANGES_PER_ACCOUNT: Limit = Limit { name: "email_changes_per_account", max: 5, window_secs: HOUR };
/// New passwords sent with a reset link per address (a made-up token costs a lookup each).
pub const RESETS_PER_IP: Limit = Limit { name: "resets_per_ip", max: 20, window_secs: QUARTER_HOUR };
/// Wrong administrator tokens per address.
pub const ADMIN_FAILURES_PER_IP: Limit = Limit { name: "admin_failures_per_ip", max: 10, window_secs: HOUR };

/// Failed client authentications at the token and revocation endpoints per address: an application's
/// secret is far beyond guessing, so this bounds the work of a client that keeps trying, and stops a
/// misconfigured one from filling the log.
pub const CLIENT_AUTH_FAILURES_PER_IP: Limit =
    Limit { name: "client_auth_failures_per_ip", max: 20, window_secs: QUARTER_HOUR };
/// Failures about no account (a finish with a made-up ceremony, a garbled response) recorded per
/// address: finishes are not limited, so without this cap one client could fill the event log, whose
/// rows stay 400 days. The failures past it go unrecorded until the window ends; a failure about an
/// account is always recorded (it needed a ceremony, and starting one is limited).
pub const ANONYMOUS_FAILURE_EVENTS_PER_IP: Limit =
    Limit { name: "anonymous_failure_events_per_ip", max: 100, window_secs: HOUR };

/// Every limit, for the documentation test.
pub const ALL: [Limit; 18] = [
    CEREMONY_STARTS_PER_IP,
    IDENTIFY_PER_IP,
    PASSWORD_SIGN_UPS_PER_IP,
    PASSWORD_FAILURES_PER_ACCOUNT,
    PASSWORD_FAILURES_PER_ACCOUNT_AND_IP,
    PASSWORD_FAILURES_PER_IP,
    RESET_REQUESTS_PER_IP,
    RESET_REQUESTS_PER_EMAIL,
    RESETS_PER_IP,
    ADMIN_FAILURES_PER_IP,
    CLIENT_AUTH_FAILURES_PER_IP,
    ANONYMOUS_FAILURE_EVENTS_PER_IP,
    EMAIL_LINKS_PER_EMAIL,
    EMAIL_CHANGES_PER_ACCOUNT,
    SIGN_UP_CODES_PER_IP,
    SIGN_UP_CODES_PER_EMAIL,
    SIGN_UP_CODE_FAILURES_PER_EMAIL,
    SIGN_UP_CODE_FAILURES_PER_IP,
];

/// Who a limit counts: the client's address, an email typed, or both together.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    /// The client's address (an IPv6 client by its /64).
    Ip(&'a Client),
    /// An account, by the normalized email typed.
    Email(&'a str),
    /// An account from one address.
    EmailFromIp(&'a str, &'a Client),
}

impl Subject<'_> {
    /// The counter's key: a hash of the limit's name and the subject, so no email or address is stored.
    fn bucket(&self, limit: Limit) -> Vec<u8> {
        // ASCII-lowercased, as account lookups ignore ASCII case: `Kim@` and `kim@` are one account and one counter.
        let subject = match self {
            Self::Ip(client) => client.limit_subject(),
            Self::Email(email) => email.to_ascii_lowercase(),
            Self::EmailFromIp(email, client) => [&email.to_ascii_lowercase(), "\n", &client.limit_subject()].concat(),
        };
        Sha256::new().chain_update(limit.name).chain_update([0]).chain_update(subject).finalize().to_vec()
    }
}

/// The limits on wrong passwords (NIST SP 800-63B §5.2.2) for a guess at `email` from `client`, with
/// whom each counts: this address over every account, the account from this address, and the account.
pub fn password_guesses<'a>(email: &'a str, client: &'a Client) -> [(Limit, Subject<'a>); 3] {
    [
        (PASSWORD_FAILURES_PER_IP, Subject::Ip(client)),
        (PASSWORD_FAILURES_PER_ACCOUNT_AND_IP, Subject::EmailFromIp(email, client)),
        (PASSWORD_FAILURES_PER_ACCOUNT, Subject::Email(email)),
    ]
}

/// Counts one request against `limit`; refuses it if the window already holds `max`. A full window is
/// seen by a read first ([`check`]), so a flood of refused requests writes nothing; the count itself
/// ([`count`]) is one atomic upsert whose result decides, so requests racing for the last place cannot
/// all get it.
pub async fn take(app: &AppState, limit: Limit, subject: Subject<'_>) -> Result<(), ApiError> {
    check(app, limit, subject).await?;
    count(app, limit, subject).await
}

/// Refuses if `subject` has used up `limit`, counting nothing: a read.
pub async fn check(app: &AppState, limit: Limit, subject: Subject<'_>) -> Result<(), ApiError> {
    let now = now();
    let seen = app.store.hits(subject.bucket(limit), now).await?;
    refuse_over(limit, seen.hits, seen.resets_at, now)
}

/// Counts one (a request, or a failure) against `limit`, refusing with `rate_limited` if it was one too
/// many.
pub async fn count(app: &AppState, limit: Limit, subject: Subject<'_>) -> Result<(), ApiError> {
    let now = now();
    let counted = app.store.count_hit(subject.bucket(limit), now, limit.window_secs).await?;
    refuse_over(limit, counted.hits - 1, counted.resets_at, now)
}

/// Places taken under some limits for one attempt, each with the window it was counted in.
#[must_use = "an attempt that succeeds gives its places back"]
pub struct Reservation<'a> {
    taken: Vec<(Limit, Subject<'a>, i64)>,
}

impl Reservation<'_> {
    /// Gives the places back (the attempt succeeded, so only failures stay counted), each to the window
    /// it was taken in: a window that has ended since is not touched, nor the one after it.
    pub async fn give_back(self, app: &AppState) -> Result<(), ApiError> {
        for (limit, subject, resets_at) in self.taken {
            app.store.give_back(subject.bucket(limit), resets_at).await?;
        }
        Ok(())
    }
}

/// Reserves an attempt under every one of `limits` (a password guess) before its costly check, so a
/// burst sent at once is stopped at the limit like a sequence; [`Reservation::give_back`] returns the
/// places of an attempt that succeeded. Every counter is read before any is written, so a request
/// refused by a full window writes nothing; one that loses a race for the last place gives back all it
/// took, its own count included.
pub async fn reserve<'a>(app: &AppState, limits: &[(Limit, Subject<'a>)]) -> Result<Reservation<'a>, ApiError> {
    for (limit, subject) in limits {
        check(app, *limit, *subject).await?;
    }
    let now = now();
    let mut reservation = Reservation { taken: Vec::with_capacity(limits.len()) };
    for (limit, subject) in limits {
        let count = app.store.count_hit(subject.bucket(*limit), now, limit.window_secs).await?;
        reservation.taken.push((*limit, *subject, count.resets_at));
        if let Err(refused) = refuse_over(*limit, count.hits - 1, count.resets_at, now) {
            reservation.give_back(app).await?;
            return Err(refused);
        }
    }
    Ok(reservation)
}

/// How one occurrence counted under a limit that caps what is kept rather than refusing a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tally {
    /// Within the limit.
    Within,
    /// The first one past it.
    Reached {
        /// When the window ends, and the cap with it.
        resets_at: i64,
    },
    /// Past it already.
    Beyond,
}

/// Counts one occurrence under `limit` for `subject`. A window past its limit is seen by a read, so a
/// burst beyond the cap writes nothing.
pub async fn tally(app: &AppState, limit: Limit, subject: Subject<'_>) -> Result<Tally, StoreError> {
    let (now, bucket) = (now(), subject.bucket(limit));
    if app.store.hits(bucket.clone(), now).await?.hits > limit.max {
        return Ok(Tally::Beyond);
    }
    let counted = app.store.count_hit(bucket, now, limit.window_secs).await?;
    Ok(match counted.hits - limit.max {
        ..=0 => Tally::Within,
        1 => Tally::Reached { resets_at: counted.resets_at },
        _ => Tally::Beyond,
    })
}

/// `rate_limited` until the window ends when `used` (before this request) has reached the limit.
fn refuse_over(limit: Limit, used: i64, resets_at: i64, now: i64) -> Result<(), ApiError> {
    if used < limit.max {
        return Ok(());
    }
    Err(ApiError::rate_limited(limit.name, (resets_at - now).max(1) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_have_distinct_names_and_nists_ceiling_holds() {
        let names: std::collections::HashSet<_> = ALL.iter().map(|limit| limit.name).collect();
        assert_eq!(names.len(), ALL.len());
        let per_hour = PASSWORD_FAILURES_PER_ACCOUNT.max * HOUR / PASSWORD_FAILURES_PER_ACCOUNT.window_secs;
        assert!(per_hour <= 100, "NIST SP 800-63B §5.2.2 allows at most 100 failures an hour");
    }

    #[test]
    fn subjects_of_one_limit_get_their_own_counters() {
        let here = Client { ip: Some("2001:db8::1".into()), user_agent: None, language: "en" };
        let same_64 = Client { ip: Some("2001:db8::ffff".into()), user_agent: None, language: "en" };
        let elsewhere = Client { ip: Some("203.0.113.1".into()), user_agent: None, language: "en" };
        let limit = PASSWORD_FAILURES_PER_ACCOUNT_AND_IP;
        let bucket = |subject: Subject<'_>| subject.bucket(limit);
        assert_eq!(bucket(Subject::Ip(&here)), bucket(Subject::Ip(&same_64)));
        assert_ne!(bucket(Subject::Ip(&here)), bucket(Subject::Ip(&elsewhere)));
        assert_ne!(bucket(Subject::EmailFromIp("a@x.io", &here)), bucket(Subject::EmailFromIp("a@x.io", &elsewhere)));
        assert_ne!(
            Subject::Email("a@x.io").bucket(limit),
            Subject::Email("a@x.io").bucket(PASSWORD_FAILURES_PER_ACCOUNT)
        );
    }

    #[test]
    fn security_md_states_every_limit_with_its_value() {
        let security = include_str!("../../../SECURITY.md");
        for limit in ALL {
            let row = security.lines().find(|line| line.starts_with(&format!("| `{}` |", limit.name)));
            let row = row.unwrap_or_else(|| panic!("SECURITY.md has no row for {}", limit.name));
            assert!(row.contains(&format!(" {} ", limit.max)), "SECURITY.md gives {}'s value: {row}", limit.name);
        }
    }

    #[test]
    fn the_wait_is_the_rest_of_the_window() {
        let limit = Limit { name: "test", max: 2, window_secs: 60 };
        assert!(refuse_over(limit, 1, 1_060, 1_000).is_ok());
        let refused = refuse_over(limit, 2, 1_060, 1_000).expect_err("the third is refused");
        assert_eq!(refused.code(), latchkey_proto::ErrorCode::RateLimited);
    }
}
