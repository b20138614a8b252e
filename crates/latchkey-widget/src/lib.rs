//! Latchkey's passkey login screens as Leptos components, and the browser WebAuthn glue under them.
//!
//! Drop [`LatchkeyLogin`] into a Leptos app, or load the `<latchkey-login>` element of
//! `latchkey-element` with one script tag; both run the same screens and report the same events.
//!
//! Architecture Invariant: screens never call `navigator.credentials` or `fetch` themselves; they call
//! [`flow`]'s journeys, whose one ceremony controller owns the `AbortController`, and whose failures
//! become catalog messages.

pub mod api;
mod browser;
pub mod catalog;
mod flow;
pub mod js;
pub mod screens;
pub mod webauthn;

pub use flow::{ErrorReport, Mode};
pub use latchkey_proto::{AuthMethod, SessionInfo, UserInfo};
pub use screens::LatchkeyLogin;
