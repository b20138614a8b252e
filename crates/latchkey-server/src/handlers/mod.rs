//! The API's handlers, one module per thing a person does. Each handler reads like its request's path:
//! parse → take the ceremony → verify → store → session → log → respond; the steps every journey
//! shares are in `ceremonies.rs` (start and take) and `sessions.rs` (start, find, end).

pub mod account;
pub mod account_sessions;
pub mod admin;
pub mod ceremonies;
pub mod email;
pub mod email_link;
pub mod passkeys;
pub mod passwords;
pub mod recovery;
pub mod session_token;
pub mod sessions;
pub mod sign_in;
pub mod sign_up;
pub mod sign_up_code;
