//! Email links, each minted as its mail is sent and stored as its hash. A verification link proves the
//! mailbox, and the owner keeps the account as it is or claims it (no pre-hijacking); a change link
//! moves the account to the address it was mailed to.

use super::{Store, StoreError};

/// A live email link, as its page shows it before anything is done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailLink {
    /// The account.
    pub user_id: i64,
    /// Its email address, the one the link was mailed to.
    pub email: String,
    /// When the account was made.
    pub created_at: i64,
    /// Whether the email was proved already (by another link, or a reset).
    pub verified: bool,
    /// For a change link, the address the account moves to.
    pub new_email: Option<String>,
    /// For a change link, the session that asked for it: the link works only in its browser.
    pub session_hash: Option<Vec<u8>>,
}

/// What opening a change link did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moved {
    /// The account uses the new address now, proved by this link.
    Done {
        /// The account.
        user_id: i64,
        /// The address it used before.
        from: String,
        /// The address it uses now.
        to: String,
    },
    /// Another account took the address meanwhile; nothing changed.
    Taken,
    /// The browser is not the one whose session asked for the change, or that session has ended; the
    /// link is left as it is.
    NotThisSession,
}

/// What the mailbox owner says on the link's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailProof {
    /// "It was me": the email is verified, and the account stays as it is.
    Keep,
    /// "It wasn't me": whoever signed up with the address loses every way in they made.
    Claim,
}

/// A link that was used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proved {
    /// The account.
    pub user_id: i64,
    /// Its email address.
    pub email: String,
    /// Whether this link was the first proof of the email.
    pub first_proof: bool,
    /// When the owner claimed an account whose email had never been proved: how many passkeys went.
    pub claimed: Option<u64>,
}

impl Store {
    /// Stores an email link's hash, minted as its mail is sent, live until `expires_at`; `change` (the
    /// new address, and the session asking) makes it a change link.
    pub async fn issue_email_link(
        &self,
        user_id: i64,
        token_hash: Vec<u8>,
        change: Option<(String, Vec<u8>)>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_backend!(self.issue_email_link(user_id, token_hash, change, expires_at))
    }

    /// Removes an email link whose mail could not be sent.
    pub async fn withdraw_email_link(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        on_backend!(self.withdraw_email_link(token_hash))
    }

    /// The live link with this hash, without using it (the page shows it first); `None` when unknown,
    /// used or expired.
    pub async fn email_link(&self, token_hash: Vec<u8>) -> Result<Option<EmailLink>, StoreError> {
        on_backend!(self.email_link(token_hash))
    }

    /// Uses a verification link, in one transaction: takes it (single use) and proves the email. With
    /// [`EmailProof::Claim`] on an account whose email had never been proved, everything made on it
    /// before goes too: passkeys, password, sessions and their grants, reset and verification links,
    /// ceremonies in flight. `None` when the link is unknown, used or expired.
    pub async fn use_email_link(&self, token_hash: Vec<u8>, proof: EmailProof) -> Result<Option<Proved>, StoreError> {
        on_backend!(self.use_email_link(token_hash, proof))
    }

    /// Uses a change link, in one transaction, when `session` (the browser's) is the open session that
    /// asked for it: takes the link (single use) and, unless another account has the address, moves the
    /// account there, proved; its other email links end. `None` when the link is unknown, used,
    /// expired, or a verification link.
    pub async fn move_email(&self, token_hash: Vec<u8>, session: Vec<u8>) -> Result<Option<Moved>, StoreError> {
        on_backend!(self.move_email(token_hash, session))
    }
}
