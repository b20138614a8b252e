//! Checking tokens this provider issued when they come back: an access token at `userinfo` and at the
//! revocation endpoint (RFC 9068 §4), an ID token as a logout's `id_token_hint` (RP-Initiated Logout 1.0
//! §2, where an expired one still names who it was for).

use serde_json::Value;

use super::{jws, keys};
use crate::{
    state::AppState,
    store::{StoreError, now},
};

/// What a verified token of ours says.
pub struct Verified {
    /// Its claims.
    pub claims: Value,
}

impl Verified {
    /// A string claim.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.claims[name].as_str()
    }
}

/// Whether an expired token is still of use to the caller.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Refuse it (access tokens).
    Enforced,
    /// Accept it (an ID token hint only says who the logout is for).
    Ignored,
}

/// A token of type `typ` signed by a published key with our issuer; `None` if it is not (or, when
/// `expiry` is enforced, has expired).
pub async fn ours(app: &AppState, token: &str, typ: &str, expiry: Expiry) -> Result<Option<Verified>, StoreError> {
    let published = keys::published(&app.store).await?;
    let Ok(claims) = jws::verify(token, typ, &published) else { return Ok(None) };
    let live = expiry == Expiry::Ignored || claims["exp"].as_i64().is_some_and(|exp| exp > now());
    Ok((claims["iss"] == app.config.issuer() && live).then_some(Verified { claims }))
}

/// An unexpired access token of ours: `typ` `at+jwt` and its audience the issuer (RFC 9068 §4).
pub async fn access_token(app: &AppState, token: &str) -> Result<Option<Verified>, StoreError> {
    let verified = ours(app, token, "at+jwt", Expiry::Enforced).await?;
    Ok(verified.filter(|v| v.claims["aud"] == app.config.issuer() && v.text("client_id").is_some()))
}
