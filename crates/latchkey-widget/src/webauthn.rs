//! The browser's WebAuthn API: feature detection, options from W3C JSON, `create` / `get`, and
//! credentials back to W3C JSON. Every call to `navigator.credentials` lives here.
//!
//! Architecture Invariant: the browser's own `parseCreationOptionsFromJSON`, `parseRequestOptionsFromJSON`
//! and `toJSON()` are used where they exist (WebAuthn L3 §5.1.8-§5.1.10); the fallbacks below only convert
//! the base64url members those methods would, for browsers that predate them.

use js_sys::{Array, ArrayBuffer, Function, JsString, Object, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, DomException};

use crate::js::{member, set_member};

/// Why a browser ceremony did not produce a credential (the `DOMException` names of WebAuthn §5.1.3
/// and §5.1.4), or that the browser has no WebAuthn at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowserError {
    /// The person cancelled, the prompt timed out, or the page lost focus.
    NotAllowed,
    /// Our own `AbortController` cancelled the ceremony (a newer one started).
    Abort,
    /// The authenticator already holds a passkey from `excludeCredentials`.
    InvalidState,
    /// The page's origin may not use this RP ID.
    Security,
    /// No authenticator supports the requested options.
    NotSupported,
    /// This browser has no WebAuthn.
    Unavailable,
    /// Anything else the browser threw.
    Other,
}

impl BrowserError {
    fn from_js(error: &JsValue) -> Self {
        let Some(exception) = error.dyn_ref::<DomException>() else {
            return Self::Other;
        };
        match exception.name().as_str() {
            "NotAllowedError" => Self::NotAllowed,
            "AbortError" => Self::Abort,
            "InvalidStateError" => Self::InvalidState,
            "SecurityError" => Self::Security,
            "NotSupportedError" => Self::NotSupported,
            _ => Self::Other,
        }
    }
}

/// How a `get` is shown to the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mediation {
    /// A modal browser prompt.
    Modal,
    /// For `get`, passkeys offered in the autofill of a field with `autocomplete="… webauthn"`; for
    /// `create`, an automatic upgrade the password manager may grant without a prompt.
    Conditional,
}

fn public_key_credential() -> Option<JsValue> {
    let class = member(&js_sys::global(), "PublicKeyCredential");
    class.is_function().then_some(class)
}

fn static_method(name: &str) -> Option<(JsValue, Function)> {
    let class = public_key_credential()?;
    let method = member(&class, name).dyn_into::<Function>().ok()?;
    Some((class, method))
}

/// Calls the static method `name` of `PublicKeyCredential` now (the browser starts answering at once),
/// and returns its answer to wait for; `None` when the browser lacks the method or it fails.
fn ask_static(name: &str) -> Option<JsFuture> {
    let (class, method) = static_method(name)?;
    method.call0(&class).and_then(|p| p.dyn_into::<Promise>()).ok().map(JsFuture::from)
}

/// Whether this browser has WebAuthn at all.
pub fn is_available() -> bool {
    public_key_credential().is_some() && !member(&member(&js_sys::global(), "navigator"), "credentials").is_undefined()
}

/// What `PublicKeyCredential.getClientCapabilities()` (WebAuthn L3 §5.1.7) says, as the widget uses it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `conditionalCreate`: a password manager may create a passkey without a prompt.
    pub conditional_create: bool,
    /// Passkeys from another device (QR code, `hybridTransport`) work, unless the browser says not.
    pub hybrid: bool,
}

/// The browser's capabilities, asked when this is called; a browser without `getClientCapabilities` gets
/// the cautious defaults (no automatic upgrade; another device offered, since most such browsers
/// support it).
pub fn capabilities() -> impl Future<Output = Capabilities> {
    let asked = ask_static("getClientCapabilities");
    async move {
        let none = Capabilities { conditional_create: false, hybrid: true };
        let Some(answer) = asked else { return none };
        let Ok(found) = answer.await else { return none };
        Capabilities {
            conditional_create: member(&found, "conditionalCreate").is_truthy(),
            hybrid: member(&found, "hybridTransport") != JsValue::FALSE,
        }
    }
}

/// `PublicKeyCredential.signalUnknownCredential({ rpId, credentialId })` (WebAuthn L3 §5.1.10), where the
/// browser has it: the server does not know this passkey (deleted, or never saved), so the provider can
/// stop offering it. Fire and forget: nothing waits on the provider.
pub fn signal_unknown_credential(rp_id: &JsValue, credential_id: &JsValue) {
    if let Some((class, signal)) = static_method("signalUnknownCredential") {
        let options = Object::new();
        set_member(&options, "rpId", rp_id);
        set_member(&options, "credentialId", credential_id);
        let _ = signal.call1(&class, &options);
    }
}

/// Creation options from `PublicKeyCredentialCreationOptionsJSON`.
pub fn creation_options(json: &JsValue) -> Result<JsValue, BrowserError> {
    if let Some((class, parse)) = static_method("parseCreationOptionsFromJSON") {
        return parse.call1(&class, json).map_err(|e| BrowserError::from_js(&e));
    }
    let options = clone_json(json)?;
    decode_member(&options, "challenge")?;
    decode_member(&member(&options, "user"), "id")?;
    decode_descriptor_ids(&member(&options, "excludeCredentials"))?;
    Ok(options)
}

/// Request options from `PublicKeyCredentialRequestOptionsJSON`.
pub fn request_options(json: &JsValue) -> Result<JsValue, BrowserError> {
    if let Some((class, parse)) = static_method("parseRequestOptionsFromJSON") {
        return parse.call1(&class, json).map_err(|e| BrowserError::from_js(&e));
    }
    let options = clone_json(json)?;
    decode_member(&options, "challenge")?;
    decode_descriptor_ids(&member(&options, "allowCredentials"))?;
    Ok(options)
}

/// `navigator.credentials.create({ publicKey, signal, mediation })`, answered as
/// `RegistrationResponseJSON`; `Conditional` asks for an automatic upgrade without a prompt.
pub async fn create(public_key: &JsValue, mediation: Mediation, signal: &AbortSignal) -> Result<JsValue, BrowserError> {
    let request = Object::new();
    set_member(&request, "publicKey", public_key);
    set_member(&request, "signal", signal);
    if mediation == Mediation::Conditional {
        set_member(&request, "mediation", &JsValue::from_str("conditional"));
    }
    let credential = call_credentials("create", &request).await?;
    credential_json(&credential, true)
}

/// `navigator.credentials.get({ publicKey, signal, mediation })`, answered as `AuthenticationResponseJSON`.
pub async fn get_assertion(
    public_key: &JsValue,
    mediation: Mediation,
    signal: &AbortSignal,
) -> Result<JsValue, BrowserError> {
    let request = Object::new();
    set_member(&request, "publicKey", public_key);
    set_member(&request, "signal", signal);
    if mediation == Mediation::Conditional {
        set_member(&request, "mediation", &JsValue::from_str("conditional"));
    }
    let credential = call_credentials("get", &request).await?;
    credential_json(&credential, false)
}

async fn call_credentials(method: &str, request: &JsValue) -> Result<JsValue, BrowserError> {
    let credentials = member(&member(&js_sys::global(), "navigator"), "credentials");
    let call = member(&credentials, method).dyn_into::<Function>().map_err(|_| BrowserError::Unavailable)?;
    let promise = call.call1(&credentials, request).map_err(|e| BrowserError::from_js(&e))?;
    let result = JsFuture::from(Promise::from(promise)).await.map_err(|e| BrowserError::from_js(&e))?;
    if result.is_null() { Err(BrowserError::NotAllowed) } else { Ok(result) }
}

/// The credential in W3C JSON form: `toJSON()` where the browser has it (§5.1.8), else our own.
fn credential_json(credential: &JsValue, registration: bool) -> Result<JsValue, BrowserError> {
    if let Ok(to_json) = member(credential, "toJSON").dyn_into::<Function>() {
        return to_json.call0(credential).map_err(|e| BrowserError::from_js(&e));
    }
    let response = member(credential, "response");
    let json = Object::new();
    set_member(&json, "id", &member(credential, "id"));
    set_member(&json, "rawId", &encode_buffer(&member(credential, "rawId")));
    set_member(&json, "type", &JsValue::from_str("public-key"));
    set_member(&json, "authenticatorAttachment", &member(credential, "authenticatorAttachment"));
    let extensions = member(credential, "getClientExtensionResults")
        .dyn_into::<Function>()
        .and_then(|f| f.call0(credential))
        .unwrap_or_else(|_| Object::new().into());
    set_member(&json, "clientExtensionResults", &extensions);
    let out = Object::new();
    set_member(&out, "clientDataJSON", &encode_buffer(&member(&response, "clientDataJSON")));
    if registration {
        set_member(&out, "attestationObject", &encode_buffer(&member(&response, "attestationObject")));
        set_member(&out, "authenticatorData", &encode_buffer(&call_method(&response, "getAuthenticatorData")));
        set_member(&out, "transports", &call_method(&response, "getTransports"));
        set_member(&out, "publicKey", &encode_buffer(&call_method(&response, "getPublicKey")));
        set_member(&out, "publicKeyAlgorithm", &call_method(&response, "getPublicKeyAlgorithm"));
    } else {
        set_member(&out, "authenticatorData", &encode_buffer(&member(&response, "authenticatorData")));
        set_member(&out, "signature", &encode_buffer(&member(&response, "signature")));
        set_member(&out, "userHandle", &encode_buffer(&member(&response, "userHandle")));
    }
    set_member(&json, "response", &out);
    Ok(json.into())
}

fn call_method(target: &JsValue, name: &str) -> JsValue {
    member(target, name).dyn_into::<Function>().and_then(|f| f.call0(target)).unwrap_or(JsValue::UNDEFINED)
}

/// Copies a JSON value, so decoding fallback members never changes the caller's object.
fn clone_json(json: &JsValue) -> Result<JsValue, BrowserError> {
    let text = js_sys::JSON::stringify(json).map_err(|_| BrowserError::Other)?;
    js_sys::JSON::parse(&String::from(text)).map_err(|_| BrowserError::Other)
}

fn decode_member(target: &JsValue, key: &str) -> Result<(), BrowserError> {
    let text = member(target, key).as_string().ok_or(BrowserError::Other)?;
    let bytes = base64url_decode(&text).ok_or(BrowserError::Other)?;
    set_member(target, key, &Uint8Array::from(bytes.as_slice()).buffer());
    Ok(())
}

fn decode_descriptor_ids(list: &JsValue) -> Result<(), BrowserError> {
    if let Some(array) = list.dyn_ref::<Array>() {
        for descriptor in array.iter() {
            decode_member(&descriptor, "id")?;
        }
    }
    Ok(())
}

fn encode_buffer(buffer: &JsValue) -> JsValue {
    match buffer.dyn_ref::<ArrayBuffer>() {
        Some(buffer) => JsString::from(base64url_encode(&Uint8Array::new(buffer).to_vec())).into(),
        None => JsValue::UNDEFINED,
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5), the encoding of every binary member of WebAuthn's JSON forms.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Decodes unpadded (or padded) base64url; `None` on any other character.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = ((acc << 6) | value) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}
