//! The passkey model that the ceremonies produce and the store keeps: what is written at registration,
//! what a sign-in reads back, and what a sign-in changes.

/// A passkey's credential ID and encoded transports, as `allowCredentials` and `excludeCredentials` list
/// them.
pub type Descriptor = (Vec<u8>, u8);

/// A passkey to store: every column of the `passkeys` table the server writes at registration.
#[derive(Clone, Debug)]
pub struct NewPasskey {
    /// Credential ID, at most 1023 bytes.
    pub credential_id: Vec<u8>,
    /// Encoded `webauthn_rp` static state (the public key).
    pub static_state: Vec<u8>,
    /// Encoded `webauthn_rp` dynamic state (sign count, UV, backup state).
    pub dynamic_state: Vec<u8>,
    /// Encoded `webauthn_rp` metadata (AAGUID and friends).
    pub metadata: Vec<u8>,
    /// Transports the browser reported, as `webauthn_rp`'s encoded bit set.
    pub transports: u8,
    /// The signature counter at registration.
    pub sign_count: u32,
    /// BE flag.
    pub backup_eligible: bool,
    /// BS flag.
    pub backup_state: bool,
    /// UV flag at registration.
    pub user_verified: bool,
    /// Authenticator model.
    pub aaguid: Vec<u8>,
    /// A name for people.
    pub name: String,
}

/// A stored passkey with its owner, as a sign-in needs it.
#[derive(Clone, Debug)]
pub struct StoredPasskey {
    /// Row ID.
    pub id: i64,
    /// Owner's row ID.
    pub user_id: i64,
    /// Owner's WebAuthn user handle.
    pub user_handle: Vec<u8>,
    /// Encoded static state.
    pub static_state: Vec<u8>,
    /// Encoded dynamic state.
    pub dynamic_state: Vec<u8>,
}

/// What changed about a passkey in a sign-in.
#[derive(Clone, Debug)]
pub struct PasskeyUse {
    /// Row ID of the passkey.
    pub passkey_id: i64,
    /// The encoded dynamic state the verification started from.
    pub previous_dynamic_state: Vec<u8>,
    /// New encoded dynamic state.
    pub dynamic_state: Vec<u8>,
    /// New signature counter.
    pub sign_count: u32,
    /// New BS flag.
    pub backup_state: bool,
}
