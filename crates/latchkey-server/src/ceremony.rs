//! The WebAuthn ceremonies, on top of `webauthn_rp`: options out, responses in, verified credentials and
//! sign-ins back. Nothing here touches HTTP or the database; handlers in `api.rs` move the bytes.
//!
//! Step numbers cite WebAuthn Level 3: §7.1 "Registering a New Credential" and §7.2 "Verifying an
//! Authentication Assertion".

use std::{convert::Infallible, num::NonZeroU32};

use latchkey_proto::{AuthMethod, ErrorCode};
use serde_json::Value;
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthenticationServerState, DiscoverableCredentialRequestOptions,
    PublicKeyCredentialCreationOptions, Registration, RegistrationServerState,
    bin::{Decode, Encode},
    request::{
        AsciiDomain, ExtensionInfo, RpId, UserVerificationRequirement,
        auth::{AuthenticationVerificationOptions, SignatureCounterEnforcement},
        register::{
            CredProtect, Nickname, PublicKeyCredentialUserEntity, RegistrationVerificationOptions, UserHandle16,
            Username,
        },
    },
    response::{
        Backup,
        auth::{DiscoverableAuthentication16, error::AuthCeremonyErr},
        register::{CompressedPubKey, DynamicState, StaticState, error::RegCeremonyErr},
    },
};

use crate::{
    config::{Config, UserVerification},
    db::{NewPasskey, PasskeyUse, StoredPasskey},
    error::ApiError,
};

/// Length of the random WebAuthn user handle. 16 random bytes are as unguessable as a UUID and keep
/// the options small; the spec allows up to 64 (§5.4.3).
pub const USER_HANDLE_LEN: usize = 16;

/// WebAuthn §6.1: a credential ID is at most 1023 bytes.
const MAX_CREDENTIAL_ID_LEN: usize = 1023;

/// How a stored public key decodes: Ed25519, P-256 and P-384 coordinates, or an RSA modulus.
type StoredPublicKey = CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>;

/// The relying party as `webauthn_rp` needs it, built once from the configuration.
pub struct RelyingParty {
    rp_id: RpId,
    rp_name: String,
    origins: Vec<String>,
    user_verification: UserVerification,
    timeout: NonZeroU32,
}

/// A ceremony ready to send: the W3C JSON options and the server state to keep until the finish.
pub struct Started {
    /// `PublicKeyCredentialCreationOptionsJSON` or `PublicKeyCredentialRequestOptionsJSON`.
    pub options_json: String,
    /// Encoded `webauthn_rp` server state.
    pub state: Vec<u8>,
}

/// A sign-up's new passkey, verified and ready to store, with the user handle it was made for.
pub struct VerifiedRegistration {
    /// The user handle from the options, as echoed by the server state.
    pub user_handle: Vec<u8>,
    /// The passkey's columns.
    pub passkey: NewPasskey,
    /// How the user proved who they are while creating it.
    pub methods: Vec<AuthMethod>,
}

/// A parsed sign-up response, not yet verified.
pub struct SignUpResponse {
    registration: Registration,
}

/// The parts of a sign-in response needed to look its passkey up, parsed once.
pub struct SignInResponse {
    response: DiscoverableAuthentication16,
}

/// A verified sign-in.
pub struct VerifiedSignIn {
    /// What to record about the passkey.
    pub passkey_use: PasskeyUse,
    /// How the user proved who they are.
    pub methods: Vec<AuthMethod>,
}

fn infallible<T>(result: Result<T, Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

fn internal(what: &str, e: impl std::fmt::Debug) -> ApiError {
    ApiError::with_detail(ErrorCode::Internal, format!("{what}: {e:?}"))
}

impl RelyingParty {
    /// Builds the relying party from the configuration; fails on an RP ID that is not a domain.
    pub fn new(config: &Config) -> Result<Self, String> {
        let domain =
            AsciiDomain::try_from(config.rp_id.clone()).map_err(|e| format!("RP ID {}: {e:?}", config.rp_id))?;
        let timeout_ms = u32::try_from(config.ceremony_timeout().as_millis()).unwrap_or(u32::MAX);
        Ok(Self {
            rp_id: RpId::Domain(domain),
            rp_name: config.rp_name.clone(),
            origins: config.origins.clone(),
            user_verification: config.user_verification,
            timeout: NonZeroU32::new(timeout_ms).ok_or("ceremony timeout must not be zero")?,
        })
    }

    /// Starts a passkey sign-up: creation options for a discoverable credential (`residentKey:
    /// "required"`) bound to a fresh random user handle, which is returned with them.
    pub fn start_registration(&self, email: &str, display_name: &str) -> Result<(Started, Vec<u8>), ApiError> {
        let user_handle = UserHandle16::new();
        let user = PublicKeyCredentialUserEntity {
            name: Username::try_from(email).map_err(|_| ApiError::new(ErrorCode::InvalidEmail))?,
            id: &user_handle,
            display_name: Some(
                Nickname::try_from(display_name).map_err(|_| ApiError::new(ErrorCode::InvalidDisplayName))?,
            ),
        };
        let mut options = PublicKeyCredentialCreationOptions::first_passkey(&self.rp_id, user);
        options.timeout = self.timeout;
        // credProtect asks authenticators that support it to show this passkey only after user
        // verification; "don't enforce" lets the many platform providers without the extension still
        // create one, where enforcing makes browsers refuse them (CTAP 2.1 §12.1).
        options.extensions.cred_protect = CredProtect::UserVerificationRequired(ExtensionInfo::AllowDontEnforceValue);
        if self.user_verification == UserVerification::Preferred {
            options.authenticator_selection.user_verification = UserVerificationRequirement::Preferred;
            // credProtect "userVerificationRequired" contradicts optional UV; webauthn_rp refuses the pair.
            options.extensions.cred_protect = CredProtect::None;
        }
        let (server, client) = options.start_ceremony().map_err(|e| internal("creation options", e))?;
        let mut options = serde_json::to_value(&client).map_err(|e| internal("creation options JSON", e))?;
        // webauthn_rp names the RP by its ID; some passkey prompts show `rp.name`, so give the real one.
        options["rp"]["name"] = Value::String(self.rp_name.clone());
        let options_json = options.to_string();
        let state = server.encode().map_err(|e| internal("registration state", e))?;
        let handle = infallible(user_handle.encode()).to_vec();
        Ok((Started { options_json, state }, handle))
    }

    /// Parses a `RegistrationResponseJSON`, so a malformed one is refused before its ceremony is used.
    pub fn parse_registration(&self, credential: &Value) -> Result<SignUpResponse, ApiError> {
        check_credential_id_len(credential)?;
        let registration = Registration::from_json_relaxed(credential.to_string().as_bytes())
            .map_err(|e| ApiError::with_detail(ErrorCode::MalformedRequest, e.to_string()))?;
        Ok(SignUpResponse { registration })
    }

    /// Finishes a sign-up: verifies the parsed response against the stored state.
    pub fn finish_registration(
        &self,
        state: &[u8],
        response: &SignUpResponse,
    ) -> Result<VerifiedRegistration, ApiError> {
        let registration = &response.registration;
        let server =
            RegistrationServerState::<USER_HANDLE_LEN>::decode(state).map_err(|e| internal("registration state", e))?;
        let options = RegistrationVerificationOptions::<&str, &str> {
            // §7.1 step 9: the origin must be one we serve, compared exactly (scheme, host and port).
            allowed_origins: &self.origin_strs(),
            // §7.1 step 10: no cross-origin iframes.
            allowed_top_origins: None,
            ..RegistrationVerificationOptions::default()
        };
        // §7.1 steps 5-27: client data, challenge, origin, rpIdHash, UP, UV, BE/BS, algorithm, attestation.
        let verified = server.verify(&self.rp_id, registration, &options).map_err(registration_error)?;
        let dynamic = verified.dynamic_state();
        let metadata = verified.metadata();
        let passkey = NewPasskey {
            credential_id: verified.id().into_inner().to_vec(),
            static_state: infallible(verified.static_state().encode()),
            dynamic_state: infallible(dynamic.encode()).to_vec(),
            metadata: infallible(metadata.encode()),
            transports: infallible(verified.transports().encode()),
            sign_count: dynamic.sign_count,
            backup_eligible: !matches!(dynamic.backup, Backup::NotEligible),
            backup_state: matches!(dynamic.backup, Backup::Exists),
            user_verified: dynamic.user_verified,
            aaguid: metadata.aaguid.data().to_vec(),
            name: "Passkey".into(),
        };
        Ok(VerifiedRegistration {
            user_handle: infallible(verified.user_id().encode()).to_vec(),
            methods: methods_for(&dynamic),
            passkey,
        })
    }

    /// Starts a passkey sign-in without an identifier: empty `allowCredentials`, so the browser offers
    /// every discoverable passkey for this RP, in autofill or in a modal prompt.
    pub fn start_authentication(&self) -> Result<Started, ApiError> {
        let mut options = DiscoverableCredentialRequestOptions::passkey(&self.rp_id);
        options.0.timeout = self.timeout;
        options.0.user_verification = match self.user_verification {
            UserVerification::Required => UserVerificationRequirement::Required,
            UserVerification::Preferred => UserVerificationRequirement::Preferred,
        };
        let (server, client) = options.start_ceremony().map_err(|e| internal("request options", e))?;
        let options_json = serde_json::to_string(&client).map_err(|e| internal("request options JSON", e))?;
        let state = server.encode().map_err(|e| internal("authentication state", e))?;
        Ok(Started { options_json, state })
    }

    /// Parses an `AuthenticationResponseJSON` far enough to look its credential up.
    pub fn parse_authentication(&self, credential: &Value) -> Result<SignInResponse, ApiError> {
        check_credential_id_len(credential)?;
        // webauthn_rp 0.3.0 accepts `"userHandle": null` for a discoverable assertion and then panics
        // when reading it; a discoverable sign-in without a user handle cannot name its account anyway.
        if !matches!(credential.pointer("/response/userHandle"), Some(Value::String(s)) if !s.is_empty()) {
            return Err(ApiError::with_detail(ErrorCode::MalformedRequest, "userHandle missing or null"));
        }
        let response = DiscoverableAuthentication16::from_json_relaxed(credential.to_string().as_bytes())
            .map_err(|e| ApiError::with_detail(ErrorCode::MalformedRequest, e.to_string()))?;
        Ok(SignInResponse { response })
    }

    /// Finishes a sign-in: verifies the assertion with the stored passkey and computes its new state.
    pub fn finish_authentication(
        &self,
        state: &[u8],
        response: &SignInResponse,
        stored: &StoredPasskey,
    ) -> Result<VerifiedSignIn, ApiError> {
        let server =
            DiscoverableAuthenticationServerState::decode(state).map_err(|e| internal("authentication state", e))?;
        let user_handle: [u8; USER_HANDLE_LEN] =
            stored.user_handle.as_slice().try_into().map_err(|e| internal("stored user handle", e))?;
        let user_handle = infallible(UserHandle16::decode(user_handle));
        let static_state = StaticState::<StoredPublicKey>::decode(stored.static_state.as_slice())
            .map_err(|e| internal("stored static state", e))?;
        let dynamic: [u8; 7] =
            stored.dynamic_state.as_slice().try_into().map_err(|e| internal("stored dynamic state", e))?;
        let dynamic = DynamicState::decode(dynamic).map_err(|e| internal("stored dynamic state", e))?;
        let mut credential =
            AuthenticatedCredential::new(response.response.raw_id(), &user_handle, static_state, dynamic)
                .map_err(|e| ApiError::with_detail(ErrorCode::CredentialRejected, format!("{e:?}")))?;
        let options = AuthenticationVerificationOptions::<&str, &str> {
            // §7.2 step 13: exact origin match.
            allowed_origins: &self.origin_strs(),
            allowed_top_origins: None,
            // §7.2 step 22: a counter that does not grow (when the authenticator keeps one) may mean a clone.
            sig_counter_enforcement: SignatureCounterEnforcement::Fail,
            ..AuthenticationVerificationOptions::default()
        };
        // §7.2 steps 6 (credential and user handle belong together), 11-21 (challenge, origin, rpIdHash,
        // UP, UV, BE/BS, signature) and 22 (counter).
        server.verify(&self.rp_id, &response.response, &mut credential, &options).map_err(authentication_error)?;
        let dynamic = credential.dynamic_state();
        Ok(VerifiedSignIn {
            passkey_use: PasskeyUse {
                passkey_id: stored.id,
                previous_dynamic_state: stored.dynamic_state.clone(),
                dynamic_state: infallible(dynamic.encode()).to_vec(),
                sign_count: dynamic.sign_count,
                backup_state: matches!(dynamic.backup, Backup::Exists),
            },
            methods: methods_for(&dynamic),
        })
    }

    fn origin_strs(&self) -> Vec<&str> {
        self.origins.iter().map(String::as_str).collect()
    }
}

impl SignInResponse {
    /// The credential ID the browser used.
    pub fn credential_id(&self) -> &[u8] {
        self.response.raw_id().into_inner()
    }

    /// The user handle the authenticator returned (checked non-null when parsed).
    pub fn user_handle(&self) -> Vec<u8> {
        infallible(self.response.response().user_handle().encode()).to_vec()
    }
}

/// Refuses a credential ID over 1023 bytes (WebAuthn §6.1) with its own code, before parsing, so the
/// person's error names the real problem rather than a generic parse failure.
fn check_credential_id_len(credential: &Value) -> Result<(), ApiError> {
    let raw_id_len = credential.get("rawId").and_then(Value::as_str).map_or(0, str::len);
    // Unpadded base64url carries 3 bytes in 4 characters.
    if raw_id_len * 3 / 4 > MAX_CREDENTIAL_ID_LEN {
        return Err(ApiError::new(ErrorCode::CredentialIdTooLong));
    }
    Ok(())
}

/// RFC 8176 methods of a verified passkey use: a synced key is software-protected, a device-bound one
/// hardware-protected, and UV adds the user's own verification.
fn methods_for(dynamic: &DynamicState) -> Vec<AuthMethod> {
    let key = if matches!(dynamic.backup, Backup::NotEligible) { AuthMethod::Hwk } else { AuthMethod::Swk };
    if dynamic.user_verified { vec![key, AuthMethod::User] } else { vec![key] }
}

fn registration_error(e: RegCeremonyErr) -> ApiError {
    let code = match e {
        RegCeremonyErr::Timeout => ErrorCode::CeremonyExpired,
        RegCeremonyErr::OriginMismatch | RegCeremonyErr::CrossOrigin | RegCeremonyErr::TopOriginMismatch => {
            ErrorCode::OriginNotAllowed
        }
        _ => ErrorCode::CredentialRejected,
    };
    ApiError::with_detail(code, format!("{e:?}"))
}

fn authentication_error(e: AuthCeremonyErr) -> ApiError {
    let code = match e {
        AuthCeremonyErr::Timeout => ErrorCode::CeremonyExpired,
        AuthCeremonyErr::OriginMismatch | AuthCeremonyErr::CrossOrigin | AuthCeremonyErr::TopOriginMismatch => {
            ErrorCode::OriginNotAllowed
        }
        AuthCeremonyErr::SignatureCounter => ErrorCode::CounterRegression,
        _ => ErrorCode::CredentialRejected,
    };
    ApiError::with_detail(code, format!("{e:?}"))
}
