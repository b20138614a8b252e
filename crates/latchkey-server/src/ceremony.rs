//! The WebAuthn ceremonies, on top of `webauthn_rp`: options out, responses in, verified credentials and
//! sign-ins back. Nothing here knows HTTP or the store's rows: it works on the passkey model
//! (`passkey.rs`) and fails with [`CeremonyError`], which `error.rs` turns into an answer.
//!
//! Step numbers cite WebAuthn Level 3: §7.1 "Registering a New Credential" and §7.2 "Verifying an
//! Authentication Assertion".

use std::{borrow::Cow, convert::Infallible, num::NonZeroU32};

use latchkey_proto::{AuthMethod, Policy, policy::Attachment};
use serde::Deserialize;
use serde_json::Value;
use webauthn_rp::{
    AuthenticatedCredential, DiscoverableAuthenticationServerState, DiscoverableCredentialRequestOptions,
    NonDiscoverableAuthenticationServerState, NonDiscoverableCredentialRequestOptions,
    PublicKeyCredentialCreationOptions, Registration, RegistrationServerState,
    bin::{Decode, Encode},
    request::{
        AsciiDomain, CredentialMediationRequirement, Credentials, ExtensionInfo, ExtensionReq, Hint,
        PublicKeyCredentialDescriptor, RpId, UserVerificationRequirement,
        auth::{AllowedCredentials, AuthenticationVerificationOptions, SignatureCounterEnforcement},
        register::{
            AuthenticatorAttachmentReq, CredProtect, CrossPlatformHint, Nickname, PlatformHint,
            PublicKeyCredentialUserEntity, RegistrationVerificationOptions, UserHandle16, Username,
        },
    },
    response::{
        AuthTransports, Backup, CredentialId,
        auth::{DiscoverableAuthentication16, NonDiscoverableAuthentication16, error::AuthCeremonyErr},
        register::{CompressedPubKey, DynamicState, StaticState, error::RegCeremonyErr},
    },
};

use crate::{
    config::{Config, UserVerification},
    passkey::{Descriptor, NewPasskey, PasskeyUse, StoredPasskey},
};

/// Length of the random WebAuthn user handle. 16 random bytes are as unguessable as a UUID and keep
/// the options small; the spec allows up to 64 (§5.4.3).
pub const USER_HANDLE_LEN: usize = 16;

/// WebAuthn §6.1: a credential ID is at most 1023 bytes.
const MAX_CREDENTIAL_ID_LEN: usize = 1023;

/// How a stored public key decodes: Ed25519, P-256 and P-384 coordinates, or an RSA modulus.
type StoredPublicKey = CompressedPubKey<[u8; 32], [u8; 32], [u8; 48], Vec<u8>>;

/// Why a ceremony could not start or finish.
#[derive(Debug)]
pub enum CeremonyError {
    /// The response is not a credential of the expected shape.
    Malformed(String),
    /// The credential ID is longer than WebAuthn §6.1 allows.
    CredentialIdTooLong,
    /// The email cannot be a WebAuthn user name.
    InvalidEmail,
    /// The display name cannot be a WebAuthn nickname.
    InvalidDisplayName,
    /// The ceremony's time limit passed.
    Expired(String),
    /// The client data names an origin (or top origin) we do not serve.
    WrongOrigin(String),
    /// The signature counter did not grow: perhaps a cloned authenticator (§7.2 step 22).
    CounterRegression(String),
    /// The response failed a verification step.
    Rejected(String),
    /// Our own state or options could not be encoded or decoded: a bug or a damaged database.
    Internal(&'static str, String),
}

impl CeremonyError {
    fn internal(what: &'static str, cause: impl std::fmt::Debug) -> Self {
        Self::Internal(what, format!("{cause:?}"))
    }
}

/// The relying party as `webauthn_rp` needs it, built once from the configuration.
pub struct RelyingParty {
    rp_id: RpId,
    rp_name: String,
    origins: Vec<String>,
    user_verification: UserVerification,
    attachment: Attachment,
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

/// A parsed sign-in response, not yet verified: the answer to discoverable options (which must name
/// its user) or to options limited to one account's passkeys (which may not).
pub enum Assertion {
    /// An answer to [`RelyingParty::start_authentication`]'s options.
    Discoverable(DiscoverableAuthentication16),
    /// An answer to [`RelyingParty::start_identified`]'s options.
    Identified(NonDiscoverableAuthentication16),
}

/// Which options a sign-in response answers, so it is parsed as the matching [`Assertion`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssertionKind {
    /// Empty `allowCredentials`: the user handle is required.
    Discoverable,
    /// `allowCredentials` listed the account's passkeys.
    Identified,
}

/// The members of a credential checked before `webauthn_rp` parses it.
#[derive(Deserialize)]
struct Outline<'a> {
    #[serde(rename = "rawId", borrow, default)]
    raw_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    response: Option<OutlineResponse<'a>>,
    #[serde(rename = "authenticatorAttachment", borrow, default)]
    attachment: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct OutlineResponse<'a> {
    #[serde(rename = "userHandle", borrow, default)]
    user_handle: Option<Cow<'a, str>>,
}

/// A parsed response and whether the browser says it came from another device (WebAuthn §5.1
/// `authenticatorAttachment: "cross-platform"`).
pub struct Parsed<T> {
    /// The response.
    pub response: T,
    /// Whether the authenticator was a roaming or hybrid one.
    pub cross_platform: bool,
}

/// Who a new passkey is for and how to ask for it.
pub struct NewCredentialFor<'a> {
    /// The account's user handle; `None` for a sign-up, which gets a fresh random one.
    pub handle: Option<&'a [u8]>,
    /// The user name: the email address.
    pub email: &'a str,
    /// The display name.
    pub display_name: &'a str,
    /// The account's passkeys, which the authenticator must not duplicate (§5.4 `excludeCredentials`).
    pub exclude: Vec<Descriptor>,
    /// An automatic upgrade (`mediation: "conditional"`): the browser creates the passkey without a
    /// prompt, so user verification cannot be required.
    pub conditional: bool,
    /// On another device: `authenticatorAttachment: "cross-platform"` with `hints: ["hybrid"]`.
    pub other_device: bool,
}

/// A verified sign-in.
pub struct VerifiedSignIn {
    /// What to record about the passkey.
    pub passkey_use: PasskeyUse,
    /// How the user proved who they are.
    pub methods: Vec<AuthMethod>,
}

/// A fresh random user handle (WebAuthn §14.6.1), encoded as stored: for an account made without a
/// passkey, whose first passkey will be bound to it.
pub fn new_user_handle() -> Vec<u8> {
    infallible(UserHandle16::new().encode()).to_vec()
}

fn infallible<T>(result: Result<T, Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

impl RelyingParty {
    /// Builds the relying party from the configuration and the policy in force; fails on an RP ID that is
    /// not a domain.
    pub fn new(config: &Config, policy: &Policy) -> Result<Self, String> {
        let domain =
            AsciiDomain::try_from(config.rp_id.clone()).map_err(|e| format!("RP ID {}: {e:?}", config.rp_id))?;
        let timeout_ms = u32::try_from(config.ceremony_timeout().as_millis()).unwrap_or(u32::MAX);
        Ok(Self {
            rp_id: RpId::Domain(domain),
            rp_name: config.rp_name.clone(),
            // §7.1 step 9 / §7.2 step 13: the configured origins, and the related origins the policy
            // publishes at /.well-known/webauthn.
            origins: policy.origins.iter().chain(&policy.related_origins).cloned().collect(),
            user_verification: policy.user_verification,
            attachment: policy.authenticator_attachment,
            timeout: NonZeroU32::new(timeout_ms).ok_or("ceremony timeout must not be zero")?,
        })
    }

    /// Starts creating a passkey: for a new account (a fresh user handle) or an existing one (its handle,
    /// excluding its passkeys). Returns the options, the state and the user handle.
    pub fn start_new_credential(&self, new: &NewCredentialFor<'_>) -> Result<(Started, Vec<u8>), CeremonyError> {
        let user_handle = match new.handle {
            Some(handle) => {
                let bytes: [u8; USER_HANDLE_LEN] =
                    handle.try_into().map_err(|e| CeremonyError::internal("stored user handle", e))?;
                infallible(UserHandle16::decode(bytes))
            }
            None => UserHandle16::new(),
        };
        let user = PublicKeyCredentialUserEntity {
            name: Username::try_from(new.email).map_err(|_| CeremonyError::InvalidEmail)?,
            id: &user_handle,
            display_name: Some(Nickname::try_from(new.display_name).map_err(|_| CeremonyError::InvalidDisplayName)?),
        };
        let exclude = new.exclude.iter().map(descriptor).collect::<Result<Vec<_>, _>>()?;
        let mut options = PublicKeyCredentialCreationOptions::passkey(&self.rp_id, user, exclude);
        options.timeout = self.timeout;
        // credProtect asks authenticators that support it to show this passkey only after user
        // verification; "don't enforce" lets the many platform providers without the extension still
        // create one, where enforcing makes browsers refuse them (CTAP 2.1 §12.1).
        options.extensions.cred_protect = CredProtect::UserVerificationRequired(ExtensionInfo::AllowDontEnforceValue);
        // credProps (WebAuthn L3 §10.1.3) makes the client say whether the credential is discoverable:
        // with `residentKey: required` asked, webauthn_rp refuses one that says `rk: false`, since an
        // account made with it could never sign in through autofill. "Allow": a client that does not
        // implement the extension still registers.
        options.extensions.cred_props = Some(ExtensionReq::Allow);
        if self.user_verification == UserVerification::Preferred {
            options.authenticator_selection.user_verification = UserVerificationRequirement::Preferred;
            // credProtect "userVerificationRequired" contradicts optional UV; webauthn_rp refuses the pair.
            options.extensions.cred_protect = CredProtect::None;
        }
        if new.conditional {
            // Credential Management §2.3.2 and WebAuthn §5.1.3: a conditional create shows no prompt, so
            // it cannot verify the user; the password just entered stands in for that.
            options.mediation = CredentialMediationRequirement::Conditional;
            options.authenticator_selection.user_verification = UserVerificationRequirement::Discouraged;
            options.extensions.cred_protect = CredProtect::None;
        }
        options.authenticator_selection.authenticator_attachment = match (new.other_device, self.attachment) {
            (true, _) => AuthenticatorAttachmentReq::CrossPlatform(CrossPlatformHint::Hybrid),
            (false, Attachment::Any) => AuthenticatorAttachmentReq::default(),
            (false, Attachment::Platform) => AuthenticatorAttachmentReq::Platform(PlatformHint::default()),
            (false, Attachment::CrossPlatform) => {
                AuthenticatorAttachmentReq::CrossPlatform(CrossPlatformHint::default())
            }
        };
        let (server, client) = options.start_ceremony().map_err(|e| CeremonyError::internal("creation options", e))?;
        let mut options =
            serde_json::to_value(&client).map_err(|e| CeremonyError::internal("creation options JSON", e))?;
        // webauthn_rp names the RP by its ID; some passkey prompts show `rp.name`, so give the real one.
        options["rp"]["name"] = Value::String(self.rp_name.clone());
        let options_json = options.to_string();
        let state = server.encode().map_err(|e| CeremonyError::internal("registration state", e))?;
        let handle = infallible(user_handle.encode()).to_vec();
        Ok((Started { options_json, state }, handle))
    }

    /// Parses a `RegistrationResponseJSON`, so a malformed one is refused before its ceremony is used.
    pub fn parse_registration(&self, json: &str) -> Result<SignUpResponse, CeremonyError> {
        outline(json)?;
        let registration =
            Registration::from_json_relaxed(json.as_bytes()).map_err(|e| CeremonyError::Malformed(e.to_string()))?;
        Ok(SignUpResponse { registration })
    }

    /// Finishes a sign-up: verifies the parsed response against the stored state.
    pub fn finish_registration(
        &self,
        state: &[u8],
        response: &SignUpResponse,
    ) -> Result<VerifiedRegistration, CeremonyError> {
        let registration = &response.registration;
        let server = RegistrationServerState::<USER_HANDLE_LEN>::decode(state)
            .map_err(|e| CeremonyError::internal("registration state", e))?;
        let options = RegistrationVerificationOptions::<String, String> {
            // §7.1 step 9: the origin must be one we serve, compared exactly (scheme, host and port).
            allowed_origins: &self.origins,
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
    pub fn start_authentication(&self, other_device: bool) -> Result<Started, CeremonyError> {
        let mut options = DiscoverableCredentialRequestOptions::passkey(&self.rp_id);
        options.0.timeout = self.timeout;
        options.0.user_verification = self.user_verification_requirement();
        if other_device {
            options.0.hints = Hint::Hybrid;
        }
        let (server, client) = options.start_ceremony().map_err(|e| CeremonyError::internal("request options", e))?;
        let options_json =
            serde_json::to_string(&client).map_err(|e| CeremonyError::internal("request options JSON", e))?;
        let state = server.encode().map_err(|e| CeremonyError::internal("authentication state", e))?;
        Ok(Started { options_json, state })
    }

    /// Starts an identifier-first or second-factor sign-in: request options limited to `credentials`
    /// (§5.5 `allowCredentials`), which the state remembers so no other credential can finish it.
    pub fn start_identified(&self, credentials: &[Descriptor], other_device: bool) -> Result<Started, CeremonyError> {
        let mut allowed = AllowedCredentials::with_capacity(credentials.len());
        for credential in credentials {
            allowed.push(descriptor(credential)?.into());
        }
        let mut options = NonDiscoverableCredentialRequestOptions::second_factor(&self.rp_id, allowed)
            .map_err(|e| CeremonyError::internal("empty allowCredentials", e))?;
        let request = options.options();
        request.timeout = self.timeout;
        request.user_verification = self.user_verification_requirement();
        if other_device {
            request.hints = Hint::Hybrid;
        }
        let (server, client) = options.start_ceremony().map_err(|e| CeremonyError::internal("request options", e))?;
        let options_json =
            serde_json::to_string(&client).map_err(|e| CeremonyError::internal("request options JSON", e))?;
        let state = server.encode().map_err(|e| CeremonyError::internal("authentication state", e))?;
        Ok(Started { options_json, state })
    }

    /// Parses an `AuthenticationResponseJSON` as the answer to options of `kind`, so a malformed one is
    /// refused before its ceremony is used.
    pub fn parse_assertion(&self, json: &str, kind: AssertionKind) -> Result<Parsed<Assertion>, CeremonyError> {
        let outline = outline(json)?;
        let has_user_handle = outline.response.and_then(|r| r.user_handle).is_some_and(|h| !h.is_empty());
        let response = match kind {
            // webauthn_rp 0.3.0 accepts `"userHandle": null` for a discoverable assertion and then panics
            // when reading it; a discoverable sign-in without a user handle cannot name its account anyway.
            AssertionKind::Discoverable if !has_user_handle => {
                return Err(CeremonyError::Malformed("userHandle missing or null".into()));
            }
            AssertionKind::Discoverable => Assertion::Discoverable(
                DiscoverableAuthentication16::from_json_relaxed(json.as_bytes())
                    .map_err(|e| CeremonyError::Malformed(e.to_string()))?,
            ),
            AssertionKind::Identified => Assertion::Identified(
                NonDiscoverableAuthentication16::from_json_relaxed(json.as_bytes())
                    .map_err(|e| CeremonyError::Malformed(e.to_string()))?,
            ),
        };
        Ok(Parsed { response, cross_platform: outline.attachment.as_deref() == Some("cross-platform") })
    }

    /// Finishes a sign-in: verifies the assertion against the ceremony's state with the stored passkey
    /// and computes the passkey's new state.
    pub fn finish_sign_in(
        &self,
        state: &[u8],
        assertion: &Assertion,
        stored: &StoredPasskey,
    ) -> Result<VerifiedSignIn, CeremonyError> {
        let user_handle = stored_user_handle(stored)?;
        let mut credential = stored_credential(assertion.raw_id(), &user_handle, stored)?;
        let options = self.authentication_options();
        // §7.2 steps 5 (for identified options: the credential is one of allowCredentials), 6 (the
        // credential and a returned user handle belong together), 11-21 (challenge, origin, rpIdHash,
        // UP, UV, BE/BS, signature) and 22 (counter).
        let verified = match assertion {
            Assertion::Discoverable(response) => DiscoverableAuthenticationServerState::decode(state)
                .map_err(|e| CeremonyError::internal("authentication state", e))?
                .verify(&self.rp_id, response, &mut credential, &options),
            Assertion::Identified(response) => NonDiscoverableAuthenticationServerState::decode(state)
                .map_err(|e| CeremonyError::internal("authentication state", e))?
                .verify(&self.rp_id, response, &mut credential, &options),
        };
        verified.map_err(authentication_error)?;
        Ok(verified_sign_in(stored, &credential))
    }

    fn authentication_options(&self) -> AuthenticationVerificationOptions<'_, '_, String, String> {
        AuthenticationVerificationOptions {
            // §7.2 step 13: exact origin match.
            allowed_origins: &self.origins,
            allowed_top_origins: None,
            // §7.2 step 22: a counter that does not grow (when the authenticator keeps one) may mean a clone.
            sig_counter_enforcement: SignatureCounterEnforcement::Fail,
            ..AuthenticationVerificationOptions::default()
        }
    }

    fn user_verification_requirement(&self) -> UserVerificationRequirement {
        match self.user_verification {
            UserVerification::Required => UserVerificationRequirement::Required,
            UserVerification::Preferred => UserVerificationRequirement::Preferred,
        }
    }
}

fn descriptor((id, transports): &Descriptor) -> Result<PublicKeyCredentialDescriptor<Vec<u8>>, CeremonyError> {
    Ok(PublicKeyCredentialDescriptor {
        id: CredentialId::decode(id.clone()).map_err(|e| CeremonyError::internal("stored credential ID", e))?,
        transports: AuthTransports::decode(*transports).map_err(|e| CeremonyError::internal("stored transports", e))?,
    })
}

fn stored_user_handle(stored: &StoredPasskey) -> Result<UserHandle16, CeremonyError> {
    let bytes: [u8; USER_HANDLE_LEN] =
        stored.user_handle.as_slice().try_into().map_err(|e| CeremonyError::internal("stored user handle", e))?;
    Ok(infallible(UserHandle16::decode(bytes)))
}

fn stored_credential<'a>(
    raw_id: CredentialId<&'a [u8]>,
    user_handle: &'a UserHandle16,
    stored: &StoredPasskey,
) -> Result<AuthenticatedCredential<'a, 'a, USER_HANDLE_LEN, StoredPublicKey>, CeremonyError> {
    let static_state = StaticState::<StoredPublicKey>::decode(stored.static_state.as_slice())
        .map_err(|e| CeremonyError::internal("stored static state", e))?;
    let dynamic: [u8; 7] =
        stored.dynamic_state.as_slice().try_into().map_err(|e| CeremonyError::internal("stored dynamic state", e))?;
    let dynamic = DynamicState::decode(dynamic).map_err(|e| CeremonyError::internal("stored dynamic state", e))?;
    AuthenticatedCredential::new(raw_id, user_handle, static_state, dynamic)
        .map_err(|e| CeremonyError::Rejected(format!("{e:?}")))
}

fn verified_sign_in(
    stored: &StoredPasskey,
    credential: &AuthenticatedCredential<'_, '_, USER_HANDLE_LEN, StoredPublicKey>,
) -> VerifiedSignIn {
    let dynamic = credential.dynamic_state();
    VerifiedSignIn {
        passkey_use: PasskeyUse {
            passkey_id: stored.id,
            previous_dynamic_state: stored.dynamic_state.clone(),
            dynamic_state: infallible(dynamic.encode()).to_vec(),
            sign_count: dynamic.sign_count,
            backup_state: matches!(dynamic.backup, Backup::Exists),
        },
        methods: methods_for(&dynamic),
    }
}

impl Assertion {
    /// The credential ID the browser used.
    pub fn credential_id(&self) -> &[u8] {
        self.raw_id().into_inner()
    }

    fn raw_id(&self) -> CredentialId<&[u8]> {
        match self {
            Self::Discoverable(response) => response.raw_id(),
            Self::Identified(response) => response.raw_id(),
        }
    }

    /// The user handle the authenticator returned: always for a discoverable sign-in (checked when
    /// parsed), perhaps not for an identified one.
    pub fn user_handle(&self) -> Option<Vec<u8>> {
        match self {
            Self::Discoverable(response) => Some(infallible(response.response().user_handle().encode()).to_vec()),
            Self::Identified(_) => None,
        }
    }
}

/// The members checked before parsing, from the raw JSON.
fn outline(json: &str) -> Result<Outline<'_>, CeremonyError> {
    let outline: Outline<'_> = serde_json::from_str(json).map_err(|e| CeremonyError::Malformed(e.to_string()))?;
    check_credential_id_len(outline.raw_id.as_deref())?;
    Ok(outline)
}

/// Refuses a credential ID over 1023 bytes (WebAuthn §6.1) with its own code, before parsing, so the
/// person's error names the real problem rather than a generic parse failure.
fn check_credential_id_len(raw_id: Option<&str>) -> Result<(), CeremonyError> {
    let raw_id_len = raw_id.map_or(0, str::len);
    // Unpadded base64url carries 3 bytes in 4 characters.
    if raw_id_len * 3 / 4 > MAX_CREDENTIAL_ID_LEN {
        return Err(CeremonyError::CredentialIdTooLong);
    }
    Ok(())
}

/// RFC 8176 methods of a verified passkey use: a synced key is software-protected, a device-bound one
/// hardware-protected, and UV adds the user's own verification.
fn methods_for(dynamic: &DynamicState) -> Vec<AuthMethod> {
    let key = if matches!(dynamic.backup, Backup::NotEligible) { AuthMethod::Hwk } else { AuthMethod::Swk };
    if dynamic.user_verified { vec![key, AuthMethod::User] } else { vec![key] }
}

fn registration_error(e: RegCeremonyErr) -> CeremonyError {
    let detail = format!("{e:?}");
    match e {
        RegCeremonyErr::Timeout => CeremonyError::Expired(detail),
        RegCeremonyErr::OriginMismatch | RegCeremonyErr::CrossOrigin | RegCeremonyErr::TopOriginMismatch => {
            CeremonyError::WrongOrigin(detail)
        }
        _ => CeremonyError::Rejected(detail),
    }
}

fn authentication_error(e: AuthCeremonyErr) -> CeremonyError {
    let detail = format!("{e:?}");
    match e {
        AuthCeremonyErr::Timeout => CeremonyError::Expired(detail),
        AuthCeremonyErr::OriginMismatch | AuthCeremonyErr::CrossOrigin | AuthCeremonyErr::TopOriginMismatch => {
            CeremonyError::WrongOrigin(detail)
        }
        AuthCeremonyErr::SignatureCounter => CeremonyError::CounterRegression(detail),
        _ => CeremonyError::Rejected(detail),
    }
}
