//! Applications (OAuth clients) as the admin API, the console and `latchkey-server clients` show them: the
//! members and names of OAuth 2.0 Dynamic Client Registration (RFC 7591 §2 and §3.2.1), so a client's
//! JSON reads the same here as anywhere else.

use serde::{Deserialize, Serialize};

/// How a client proves itself at the token endpoint (RFC 7591 §2, `token_endpoint_auth_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenEndpointAuthMethod {
    /// A confidential client: its secret in HTTP Basic authentication (or, equally accepted, in the form).
    ClientSecretBasic,
    /// A public client (a single-page or native app): PKCE alone, no secret.
    None,
}

/// A registered application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    /// Its `client_id`.
    pub client_id: String,
    /// The secret, present only in the answer that created it: it is stored hashed and never shown again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// The name people see.
    pub client_name: String,
    /// The exact URIs authorization codes may be sent to.
    pub redirect_uris: Vec<String>,
    /// The exact URIs a logout may return to.
    pub post_logout_redirect_uris: Vec<String>,
    /// Confidential or public.
    pub token_endpoint_auth_method: TokenEndpointAuthMethod,
    /// When it was registered, in seconds since the Unix epoch.
    pub client_id_issued_at: i64,
}

/// A request to register an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClient {
    /// The name people see.
    pub client_name: String,
    /// At least one exact redirect URI.
    pub redirect_uris: Vec<String>,
    /// Where a logout may return to.
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// `none` for a public client; a confidential one (the default) gets a secret.
    #[serde(default = "confidential")]
    pub token_endpoint_auth_method: TokenEndpointAuthMethod,
}

fn confidential() -> TokenEndpointAuthMethod {
    TokenEndpointAuthMethod::ClientSecretBasic
}
