//! Latchkey's wire protocol: the request and response bodies and the closed set of error codes that the
//! widget and the server share.
//!
//! Architecture Invariant: this crate compiles for both `wasm32-unknown-unknown` and the host, and depends
//! on nothing but `serde`, so the widget pays only for the types it uses. WebAuthn options and responses
//! themselves are not modelled here: they travel as the W3C JSON serialization, produced and checked by
//! the browser on one side and by `webauthn_rp` on the other, so the types below carry them as an opaque
//! type parameter.

pub mod admin;
pub mod clients;
mod email;
mod error;
pub mod events;
pub mod languages;
pub mod policy;
mod wire;

pub use email::{is_plausible_email, normalize_email};
pub use error::ErrorCode;
pub use policy::Policy;
pub use wire::{
    AccountInfo, AddPasskey, AuthMethod, CeremonyFinish, CeremonyStarted, ChangeEmail, ChangePassword, CodeSent,
    DeclinePasskey, DeletePasskey, EmailProved, EndSession, EnterCode, ErrorBody, Identified, Identify, Keeps, Next,
    PasskeyInfo, PasskeySummary, PasswordReset, PasswordSignIn, PasswordSignUp, RecoveryFinish, RecoveryStart,
    RecoveryStarted, RenamePasskey, SessionInfo, SessionListing, SessionToken, SignInStart, SignInStep, SignUpStart,
    UserInfo, paths,
};
