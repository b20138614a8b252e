//! Accounts (the `users` table): created with a passkey or a password, looked up by email or row ID,
//! and the answer to the passkey offer.

use super::{Store, StoreError};
use crate::passkey::{Descriptor, NewPasskey};

/// The account a sign-up will create once its passkey verifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingUser {
    /// The random WebAuthn user handle sent in the creation options.
    pub handle: Vec<u8>,
    /// Normalized email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// The hash of the proof of the email the sign-up presented (`email_verification =
    /// "before_sign_up"`): creating the account uses it up and records the email as verified.
    pub proof: Option<Vec<u8>>,
}

/// A user as sessions show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    /// Email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
}

/// An account as the password and identifier-first journeys need it.
#[derive(Clone, Debug)]
pub struct Account {
    /// Row ID.
    pub id: i64,
    /// WebAuthn user handle.
    pub handle: Vec<u8>,
    /// Email address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// argon2id PHC string, if the account has a password.
    pub password_hash: Option<String>,
    /// How many passkeys it has.
    pub passkeys: u32,
    /// Whether progressive enrollment may offer a passkey now: not declined for good, not snoozed.
    pub offer_passkey: bool,
    /// Whether the mailbox owner has proved the email (a reset link, so far).
    pub email_verified: bool,
    /// Whether an administrator has disabled it: nothing signs in to it, and no link changes it.
    pub disabled: bool,
}

/// A new account's row ID and its first passkey's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Created {
    /// The account.
    pub user_id: i64,
    /// Its passkey, which the sign-up's session remembers as the one that opened it.
    pub passkey_id: i64,
}

/// Why an account could not be created.
#[derive(Debug)]
pub enum CreateAccountError {
    /// The email address already has an account.
    EmailTaken,
    /// The credential ID is already registered.
    CredentialExists,
    /// The proof of the email is spent or expired.
    ProofSpent,
}

impl Store {
    /// Whether an account uses this email address.
    pub async fn email_exists(&self, email: String) -> Result<bool, StoreError> {
        on_backend!(self.email_exists(email))
    }

    /// Creates a user and their first passkey in one transaction; returns their row IDs.
    pub async fn create_account(
        &self,
        user: PendingUser,
        passkey: NewPasskey,
    ) -> Result<Result<Created, CreateAccountError>, StoreError> {
        on_backend!(self.create_account(user, passkey))
    }

    /// Creates an account with a password and no passkey; returns its row ID.
    pub async fn create_password_account(
        &self,
        user: PendingUser,
        password_hash: String,
    ) -> Result<Result<i64, CreateAccountError>, StoreError> {
        on_backend!(self.create_password_account(user, password_hash))
    }

    /// Looks an account up by its (normalized) email address.
    pub async fn find_account(&self, email: String) -> Result<Option<Account>, StoreError> {
        on_backend!(self.find_account(email))
    }

    /// Looks an account up by row ID.
    pub async fn find_account_by_id(&self, user_id: i64) -> Result<Option<Account>, StoreError> {
        on_backend!(self.find_account_by_id(user_id))
    }

    /// Identifier-first lookup: the account's row ID (if any) and its passkeys. Both queries run for
    /// every email, known or not, so the time taken does not tell which it was.
    pub async fn identify(&self, email: String) -> Result<(Option<i64>, Vec<Descriptor>), StoreError> {
        on_backend!(self.identify(email))
    }

    /// Records the answer to the passkey offer: snoozed until `until`, or (with `None`) never asked again.
    pub async fn decline_passkey_offer(&self, user_id: i64, until: Option<i64>) -> Result<(), StoreError> {
        on_backend!(self.decline_passkey_offer(user_id, until))
    }
}
