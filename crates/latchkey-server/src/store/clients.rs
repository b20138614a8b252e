//! Applications registered with the OpenID Connect provider (the `clients` table): added, listed, found
//! by `client_id` and removed, with their redirect URIs.

use super::{Store, StoreError};

/// A registered application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRow {
    /// The `client_id`.
    pub id: String,
    /// The name people see on the login page and in the console.
    pub name: String,
    /// SHA-256 of the client secret; `None` for a public client.
    pub secret_hash: Option<Vec<u8>>,
    /// The exact URIs codes may be sent to.
    pub redirect_uris: Vec<String>,
    /// The exact URIs a logout may return to.
    pub post_logout_redirect_uris: Vec<String>,
    /// When it was added.
    pub created_at: i64,
}

impl Store {
    /// Registers an application.
    pub async fn add_client(&self, client: ClientRow) -> Result<(), StoreError> {
        on_backend!(self.add_client(client))
    }

    /// Every registered application, oldest first.
    pub async fn clients(&self) -> Result<Vec<ClientRow>, StoreError> {
        on_backend!(self.clients())
    }

    /// The application with this `client_id`.
    pub async fn find_client(&self, id: String) -> Result<Option<ClientRow>, StoreError> {
        on_backend!(self.find_client(id))
    }

    /// Removes an application and every grant it holds; `false` if there was none by that ID.
    pub async fn remove_client(&self, id: String) -> Result<bool, StoreError> {
        on_backend!(self.remove_client(id))
    }
}

/// The `redirect_uris` columns: a JSON array of strings.
pub(super) fn encode_uris(uris: &[String]) -> String {
    serde_json::to_string(uris).unwrap_or_else(|_| "[]".into())
}

/// Reads a `redirect_uris` column; an unreadable one allows no URI rather than failing every request.
pub(super) fn decode_uris(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}
