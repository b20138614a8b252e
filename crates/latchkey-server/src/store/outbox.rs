//! The durable outbox: "Forgot password?" requests waiting to be turned into reset links, and mail
//! (reset links, security notifications) waiting to be delivered. A request commits its row before it
//! is answered, so a crash after the answer loses nothing; the workers in `background.rs` drain both
//! tables.

use std::{future::Future, pin::Pin};

use super::{NewEvent, Store, StoreError};

/// A "Forgot password?" request as it waits for the worker: the email as typed (normalized), and who
/// asked, for the event log.
#[derive(Clone, Debug)]
pub struct ResetRequest {
    /// Row ID.
    pub id: i64,
    /// The normalized email address.
    pub email: String,
    /// The client's address.
    pub ip: Option<String>,
    /// The client's `User-Agent`, capped.
    pub user_agent: Option<String>,
    /// The language of the page that asked, which the link's mail is written in.
    pub language: String,
    /// When it was asked for.
    pub requested_at: i64,
}

/// A message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// For a mail that carries a link, the link's kind and account: the worker mints it as it sends
    /// the mail and writes it where the text has its placeholder, so the link is never stored.
    pub link: Option<MailLink>,
}

/// The link a mail carries, minted when it is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailLink {
    /// A password reset link for this account.
    Reset(i64),
    /// The verification link of this account's email.
    Verify(i64),
    /// The link that moves this account to the address the mail is sent to, in the browser of the
    /// session (its ID hash) that asked.
    ChangeEmail(i64, Vec<u8>),
    /// Not a link but a sign-up code for this address (the recipient), minted the same way.
    SignUpCode(String),
}

impl Mail {
    /// The account a reset link is minted for (the outbox's `reset_for`).
    pub(super) fn reset_for(&self) -> Option<i64> {
        match &self.link {
            Some(MailLink::Reset(user_id)) => Some(*user_id),
            _ => None,
        }
    }

    /// The account a verification link is minted for (the outbox's `verify_for`).
    pub(super) fn verify_for(&self) -> Option<i64> {
        match &self.link {
            Some(MailLink::Verify(user_id)) => Some(*user_id),
            _ => None,
        }
    }

    /// The account a change link is minted for (the outbox's `change_for`).
    pub(super) fn change_for(&self) -> Option<i64> {
        match &self.link {
            Some(MailLink::ChangeEmail(user_id, _)) => Some(*user_id),
            _ => None,
        }
    }

    /// The address a sign-up code is minted for (the outbox's `code_for`).
    pub(super) fn code_for(&self) -> Option<String> {
        match &self.link {
            Some(MailLink::SignUpCode(email)) => Some(email.clone()),
            _ => None,
        }
    }

    /// The session that asked for a change link (the outbox's `change_session`).
    pub(super) fn change_session(&self) -> Option<Vec<u8>> {
        match &self.link {
            Some(MailLink::ChangeEmail(_, session)) => Some(session.clone()),
            _ => None,
        }
    }
}

impl MailLink {
    /// The link of a queued mail, from the outbox's columns (at most one of them is set).
    pub(super) fn from_columns(
        reset_for: Option<i64>,
        verify_for: Option<i64>,
        change: (Option<i64>, Option<Vec<u8>>),
        code_for: Option<String>,
    ) -> Option<Self> {
        let change = match change {
            (Some(user_id), Some(session)) => Some(Self::ChangeEmail(user_id, session)),
            _ => None,
        };
        reset_for.map(Self::Reset).or(verify_for.map(Self::Verify)).or(change).or(code_for.map(Self::SignUpCode))
    }
}

/// One delivery attempt, started by the worker for a message the store hands it: `Ok` once the
/// message is accepted (by the SMTP server, or written to the outbox directory).
pub type Delivery = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// What happened to the message [`Store::deliver_next_mail`] took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivered {
    /// No message was due.
    NothingDue,
    /// The message went out and is gone from the outbox.
    Sent,
    /// Delivery failed after this many attempts; the next one is scheduled.
    Failed {
        /// Attempts so far, this one included.
        attempts: i64,
        /// Why, as the transport said.
        error: String,
    },
}

/// A reset link to issue: the mail that will carry it (its token is minted when it is sent), until when
/// it may be sent, and the event.
#[derive(Clone, Debug)]
pub struct ResetLink {
    /// The account.
    pub user_id: i64,
    /// When the mail is no use any more: it is dropped then, sent or not.
    pub expires_at: i64,
    /// The message, with a placeholder where the link goes.
    pub mail: Mail,
    /// `password_reset_requested`.
    pub event: NewEvent,
}

/// Most reset links one account may have live at once; more requests send nothing, so "Forgot
/// password?" cannot be used to flood a mailbox.
pub(super) const MAX_LIVE_RESETS: i64 = 3;

impl Store {
    /// Queues a "Forgot password?" request; the answer does not wait for the lookup.
    pub async fn queue_reset_request(
        &self,
        email: String,
        ip: Option<String>,
        user_agent: Option<String>,
        language: &'static str,
    ) -> Result<(), StoreError> {
        on_backend!(self.queue_reset_request(email, ip, user_agent, language))
    }

    /// The oldest waiting "Forgot password?" requests.
    pub async fn pending_reset_requests(&self, limit: u32) -> Result<Vec<ResetRequest>, StoreError> {
        on_backend!(self.pending_reset_requests(limit))
    }

    /// Finishes a "Forgot password?" request in one transaction: removes it and, when `link` is given
    /// and the account has fewer than [`MAX_LIVE_RESETS`] live or queued links, queues the mail and
    /// records the event. Returns whether a link was issued; a request another worker finished
    /// first issues nothing.
    pub async fn finish_reset_request(&self, request_id: i64, link: Option<ResetLink>) -> Result<bool, StoreError> {
        on_backend!(self.finish_reset_request(request_id, link))
    }

    /// Queues a message that needs no link minted (a security notification), to be dropped at
    /// `expires_at` if it could not be delivered by then.
    pub async fn queue_mail(&self, mail: Mail, expires_at: i64) -> Result<(), StoreError> {
        on_backend!(self.queue_mail(mail, expires_at))
    }

    /// Takes the oldest message that is due, runs `deliver` on it, and removes it once delivered or
    /// schedules the next attempt `backoff(attempts)` seconds later. No other worker can take the same
    /// message meanwhile; if this one dies mid-delivery, the message is due again at once.
    pub async fn deliver_next_mail(
        &self,
        deliver: &(dyn Fn(Mail) -> Delivery + Sync),
        backoff: fn(i64) -> i64,
    ) -> Result<Delivered, StoreError> {
        on_backend!(self.deliver_next_mail(deliver, backoff))
    }
}
