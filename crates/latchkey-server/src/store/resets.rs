//! Passwords and their reset links: a password set or reset in the transaction that ends what the old
//! one opened, and the claim of an account whose email a reset link proves for the first time.

use super::{AddPasskeyRefused, Store, StoreError};
use crate::passkey::NewPasskey;

/// A password reset that took place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reset {
    /// The account.
    pub user_id: i64,
    /// How many passkeys went with a claim, if the reset claimed the account (its email had never been
    /// proved); `None` when the email was proved before.
    pub claimed: Option<u64>,
}

/// Why a reset link changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetRefused {
    /// The token is unknown, used or expired.
    LinkInvalid,
    /// An administrator disabled the account: a link does not change it until it is enabled again.
    AccountDisabled,
}

/// An account recovered with a new passkey from a reset link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recovered {
    /// The new passkey.
    pub passkey_id: i64,
    /// How many passkeys went with a claim, as for [`Reset::claimed`].
    pub claimed: Option<u64>,
}

impl Store {
    /// Whether a reset token is live, checked before the expensive hashing of the new password.
    pub async fn reset_token_is_live(&self, token_hash: Vec<u8>) -> Result<bool, StoreError> {
        on_backend!(self.reset_token_is_live(token_hash))
    }

    /// Uses a reset token: in one transaction, takes it (single use), sets the new password, and ends
    /// every way in that the old password opened: the account's sessions, its other reset links, and
    /// its ceremonies in flight (a second factor or passkey enrollment begun with the old password).
    /// The link proves the mailbox, so an account whose email was never proved is claimed as well: its
    /// passkeys go too, since whoever signed up with the address first may have made them. Refused when
    /// the token is unknown, used or expired (an expired token is used up too), and, with nothing
    /// changed, when the account is disabled.
    pub async fn reset_password(
        &self,
        token_hash: Vec<u8>,
        password_hash: String,
    ) -> Result<Result<Reset, ResetRefused>, StoreError> {
        on_backend!(self.reset_password(token_hash, password_hash))
    }

    /// Sets an account's password hash and, in the same transaction, ends what the old credentials
    /// opened elsewhere: the account's other sessions and its reset links. `keep` is the session
    /// making the change, which goes on under the ID hash `renewed`, so a session ID that leaked before
    /// the change is worth nothing after it. `false`, with nothing changed, when that session is no
    /// longer open (ended meanwhile, or renewed by the same change sent twice).
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: String,
        keep: Vec<u8>,
        renewed: Vec<u8>,
    ) -> Result<bool, StoreError> {
        on_backend!(self.set_password(user_id, password_hash, keep, renewed))
    }

    /// Recovers `user_id`'s account with a new passkey, on the word of its reset token: in one
    /// transaction, takes the token (single use, and only for that account), ends every session, grant,
    /// reset link and ceremony of the account (the device that was lost may hold one), and stores the
    /// passkey. As with a reset, an account whose email was never proved is claimed: its passkeys and
    /// password go, and the new passkey is its only way in. Refused, with nothing changed, when the
    /// token is not live for this account (`LinkUsed`), the account is disabled, the credential is
    /// registered already, or a proved account has `max` passkeys.
    pub async fn recover_with_passkey(
        &self,
        token_hash: Vec<u8>,
        user_id: i64,
        passkey: NewPasskey,
        max: u32,
    ) -> Result<Result<Recovered, AddPasskeyRefused>, StoreError> {
        on_backend!(self.recover_with_passkey(token_hash, user_id, passkey, max))
    }

    /// The account a live reset token is for, without using it.
    pub async fn reset_token_account(&self, token_hash: Vec<u8>) -> Result<Option<i64>, StoreError> {
        on_backend!(self.reset_token_account(token_hash))
    }

    /// Stores a reset token's hash, minted as its mail is sent, live until `expires_at`.
    pub async fn issue_reset_token(
        &self,
        user_id: i64,
        token_hash: Vec<u8>,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_backend!(self.issue_reset_token(user_id, token_hash, expires_at))
    }

    /// Removes a reset token whose mail could not be sent.
    pub async fn withdraw_reset_token(&self, token_hash: Vec<u8>) -> Result<(), StoreError> {
        on_backend!(self.withdraw_reset_token(token_hash))
    }
}
