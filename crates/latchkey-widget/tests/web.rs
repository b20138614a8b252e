//! The widget's screens in headless Chromium: rendering, moving between screens, focus, the mapping of
//! every browser and server failure to a message, and a widget removed in mid-request. `fetch` and
//! `navigator.credentials` are stubbed here (and only here), so each failure can be produced on demand.
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs, clippy::unwrap_used)]

use std::{cell::RefCell, rc::Rc};

use latchkey_widget::{ErrorReport, LatchkeyLogin, Mode, catalog::Lang, webauthn};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue, prelude::*};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
const realFetch = window.fetch;
export function stub_fetch(routes) {
  window.fetch = async (url, init) => {
    const route = routes[new URL(url, location.href).pathname];
    if (!route) return realFetch('/no-such-path');
    const [status, body] = route;
    return new Response(body === null ? null : JSON.stringify(body),
      { status, headers: { 'content-type': 'application/json' } });
  };
}
export function stub_credentials(method, outcome) {
  navigator.credentials[method] = () => outcome === 'pending'
    ? new Promise(() => {})
    : Promise.reject(new DOMException('stubbed', outcome));
}
export function hide_webauthn() {
  const saved = window.PublicKeyCredential;
  delete window.PublicKeyCredential;
  return () => { window.PublicKeyCredential = saved; };
}
export function hide_json_helpers() {
  const { parseCreationOptionsFromJSON: create, parseRequestOptionsFromJSON: request } = PublicKeyCredential;
  delete PublicKeyCredential.parseCreationOptionsFromJSON;
  delete PublicKeyCredential.parseRequestOptionsFromJSON;
  return () => {
    PublicKeyCredential.parseCreationOptionsFromJSON = create;
    PublicKeyCredential.parseRequestOptionsFromJSON = request;
  };
}
export function report_hybrid(hybridTransport) {
  const saved = PublicKeyCredential.getClientCapabilities;
  PublicKeyCredential.getClientCapabilities = async () => ({ hybridTransport, conditionalCreate: false });
  return () => { PublicKeyCredential.getClientCapabilities = saved; };
}
export function report_conditional_create() {
  const saved = PublicKeyCredential.getClientCapabilities;
  PublicKeyCredential.getClientCapabilities = async () => ({ hybridTransport: false, conditionalCreate: true });
  return () => { PublicKeyCredential.getClientCapabilities = saved; };
}
export function hold_route(path) {
  const previous = window.fetch;
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  window.fetch = async (url, init) => {
    if (new URL(url, location.href).pathname === path) await gate;
    return previous(url, init);
  };
  return () => release();
}
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
"#)]
extern "C" {
    fn stub_fetch(routes: &JsValue);
    fn stub_credentials(method: &str, outcome: &str);
    #[wasm_bindgen(js_name = hide_webauthn)]
    fn hide_webauthn_js() -> js_sys::Function;
    #[wasm_bindgen(js_name = hide_json_helpers)]
    fn hide_json_helpers_js() -> js_sys::Function;
    fn sleep(ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = report_hybrid)]
    fn report_hybrid_js(hybrid: bool) -> js_sys::Function;
    #[wasm_bindgen(js_name = report_conditional_create)]
    fn report_conditional_create_js() -> js_sys::Function;
    /// Holds every request to `path` until the returned function is called.
    fn hold_route(path: &str) -> js_sys::Function;
}

const CEREMONY: &str = r#"{"ceremony":"c1","publicKey":{"challenge":"AAECAw","rpId":"localhost","allowCredentials":[],"userVerification":"required"}}"#;
const CREATION: &str = r#"{"ceremony":"c2","publicKey":{"rp":{"id":"localhost","name":"localhost"},"user":{"id":"AQID","name":"a@b.co","displayName":"a@b.co"},"challenge":"AAECAw","pubKeyCredParams":[{"type":"public-key","alg":-7}],"excludeCredentials":[]}}"#;

/// Puts back what a test took away from the browser when it ends, even by a failed assertion.
struct Restore(js_sys::Function);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

fn hide_webauthn() -> Restore {
    Restore(hide_webauthn_js())
}

/// Makes `getClientCapabilities()` report `hybridTransport` as given.
fn report_hybrid(hybrid: bool) -> Restore {
    Restore(report_hybrid_js(hybrid))
}

fn hide_json_helpers() -> Restore {
    Restore(hide_json_helpers_js())
}

/// Routes for the stubbed server: path → (status, JSON body or null).
fn routes(entries: &[(&str, u16, &str)]) -> JsValue {
    let object = js_sys::Object::new();
    for (path, status, body) in entries {
        let body = if body.is_empty() { JsValue::NULL } else { js_sys::JSON::parse(body).unwrap() };
        let pair = js_sys::Array::of2(&JsValue::from(*status), &body);
        js_sys::Reflect::set(&object, &JsValue::from_str(path), &pair).unwrap();
    }
    object.into()
}

/// A mounted widget and what it reported.
struct Mounted {
    root: HtmlElement,
    errors: Rc<RefCell<Vec<ErrorReport>>>,
    _handle: Box<dyn std::any::Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn mount(mode: Mode) -> Mounted {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let errors = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&errors);
    let report = move |e: ErrorReport| seen.borrow_mut().push(e);
    let report = send_wrapper(report);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <LatchkeyLogin app_name="Acme" mode on_error=move |e| report(e) /> }
    });
    Mounted { root, errors, _handle: Box::new(handle) }
}

/// Callbacks must be `Send + Sync`; the browser has one thread, so a thread-checked wrapper is sound.
fn send_wrapper(f: impl Fn(ErrorReport) + 'static) -> impl Fn(ErrorReport) + Send + Sync + 'static {
    let wrapped = send_wrapper::SendWrapper::new(f);
    move |e| (*wrapped)(e)
}

impl Mounted {
    fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }

    fn find(&self, selector: &str) -> HtmlElement {
        self.root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
    }

    fn click_button(&self, label: &str) {
        let buttons = self.root.query_selector_all("button").unwrap();
        let button = (0..buttons.length())
            .filter_map(|i| buttons.item(i))
            .map(|b| b.unchecked_into::<HtmlElement>())
            .find(|b| b.text_content().unwrap_or_default().trim() == label)
            .unwrap_or_else(|| panic!("no button {label:?} in {:?}", self.text()));
        button.click();
    }

    /// Waits up to two seconds for `text` to appear in the widget.
    async fn wait_for_text(&self, text: &str) {
        for _ in 0..100 {
            if self.text().contains(text) {
                return;
            }
            JsFuture::from(sleep(20)).await.unwrap();
        }
        panic!("{text:?} never appeared; the widget shows {:?}", self.text());
    }
}

fn set_input(root: &Mounted, value: &str) {
    let input = root.find("input");
    js_sys::Reflect::set(&input, &"value".into(), &value.into()).unwrap();
}

#[wasm_bindgen_test]
async fn sign_in_screen_renders_with_a_passkey_autofill_field() {
    stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signin/start", 200, CEREMONY)]));
    stub_credentials("get", "pending");
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
    assert!(widget.text().contains("Log in to Acme to continue"));
    assert_eq!(widget.find("input").get_attribute("autocomplete").as_deref(), Some("username webauthn"));
    assert_eq!(widget.find("[role=alert]").text_content().as_deref(), Some(""));
    assert!(widget.errors.borrow().is_empty());
}

#[wasm_bindgen_test]
async fn sign_up_link_moves_focus_to_the_new_heading_and_back() {
    stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signin/start", 200, CEREMONY)]));
    stub_credentials("get", "pending");
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
    widget.click_button(Lang::ENGLISH.sign_up());
    widget.wait_for_text(Lang::ENGLISH.create_account()).await;
    JsFuture::from(sleep(50)).await.unwrap();
    let focused = document().active_element().unwrap();
    assert_eq!(focused.tag_name(), "H2");
    assert_eq!(focused.text_content().as_deref(), Some(Lang::ENGLISH.create_account()));
    widget.click_button(Lang::ENGLISH.log_in());
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
}

#[wasm_bindgen_test]
async fn sign_up_continues_to_the_create_passkey_screen() {
    stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signup/start", 200, CREATION)]));
    let widget = mount(Mode::SignUp);
    widget.wait_for_text(Lang::ENGLISH.create_account()).await;
    set_input(&widget, "ada@example.com");
    widget.click_button(Lang::ENGLISH.continue_button());
    widget.wait_for_text("Create a passkey for Acme on this device?").await;
    for benefit in Lang::ENGLISH.benefits() {
        assert!(widget.text().contains(benefit), "{benefit}");
    }
    assert!(widget.text().contains("ada@example.com"));
}

#[wasm_bindgen_test]
async fn every_dom_exception_of_a_prompt_maps_to_a_message() {
    use webauthn::BrowserError;
    let cases = [
        ("NotAllowedError", BrowserError::NotAllowed, "not_allowed"),
        ("InvalidStateError", BrowserError::InvalidState, "invalid_state"),
        ("SecurityError", BrowserError::Security, "security"),
        ("NotSupportedError", BrowserError::NotSupported, "not_supported"),
        ("UnknownError", BrowserError::Other, "browser_error"),
    ];
    for (exception, error, code) in cases {
        stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signup/start", 200, CREATION)]));
        stub_credentials("create", exception);
        let widget = mount(Mode::SignUp);
        widget.wait_for_text(Lang::ENGLISH.create_account()).await;
        set_input(&widget, "ada@example.com");
        widget.click_button(Lang::ENGLISH.continue_button());
        widget.wait_for_text(Lang::ENGLISH.create_new_passkey()).await;
        widget.click_button(Lang::ENGLISH.create_new_passkey());
        let message = Lang::ENGLISH.browser_error(error).unwrap();
        widget.wait_for_text(message).await;
        assert_eq!(widget.errors.borrow().last().map(|e| e.code), Some(code), "{exception}");
    }
}

#[wasm_bindgen_test]
async fn a_cancelled_sign_in_prompt_is_explained_and_autofill_comes_back() {
    stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signin/start", 200, CEREMONY)]));
    stub_credentials("get", "NotAllowedError");
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
    // The autofill request fails quietly; the person's own prompt does not.
    JsFuture::from(sleep(50)).await.unwrap();
    assert!(widget.errors.borrow().is_empty());
    widget.click_button(Lang::ENGLISH.continue_with_passkey());
    widget.wait_for_text(Lang::ENGLISH.browser_error(webauthn::BrowserError::NotAllowed).unwrap()).await;
    assert_eq!(widget.errors.borrow().iter().map(|e| e.code).collect::<Vec<_>>(), ["not_allowed"]);
}

#[wasm_bindgen_test]
async fn an_aborted_autofill_request_says_nothing() {
    stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signin/start", 200, CEREMONY)]));
    stub_credentials("get", "AbortError");
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
    JsFuture::from(sleep(100)).await.unwrap();
    assert!(widget.errors.borrow().is_empty());
    assert_eq!(widget.find("[role=alert]").text_content().as_deref(), Some(""));
}

#[wasm_bindgen_test]
async fn every_server_code_maps_to_a_message() {
    for code in latchkey_proto::ErrorCode::ALL {
        // `retryAfter` is read only with `rate_limited`; an hour is what its code's message says.
        let body = format!(r#"{{"code":"{}","message":"x","retryAfter":3600}}"#, code.as_str());
        stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signup/start", code.http_status(), &body)]));
        let widget = mount(Mode::SignUp);
        widget.wait_for_text(Lang::ENGLISH.create_account()).await;
        set_input(&widget, "ada@example.com");
        widget.click_button(Lang::ENGLISH.continue_button());
        widget.wait_for_text(Lang::ENGLISH.server_error(code)).await;
        assert_eq!(widget.errors.borrow().last().map(|e| e.code), Some(code.as_str()));
        let offers_log_in = widget.root.query_selector("[role=alert] button").unwrap().is_some();
        use latchkey_proto::ErrorCode::{CredentialExists, EmailTaken, NotSignedIn};
        let log_in_helps = matches!(code, EmailTaken | CredentialExists | NotSignedIn);
        assert_eq!(offers_log_in, log_in_helps, "{code:?}");
    }
}

#[wasm_bindgen_test]
async fn a_rate_limit_says_how_long_to_wait() {
    let body = r#"{"code":"rate_limited","message":"x","retryAfter":840}"#;
    stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signup/start", 429, body)]));
    let widget = mount(Mode::SignUp);
    widget.wait_for_text(Lang::ENGLISH.create_account()).await;
    set_input(&widget, "ada@example.com");
    widget.click_button(Lang::ENGLISH.continue_button());
    widget.wait_for_text(Lang::ENGLISH.wait_message(840)).await;
    assert_eq!(Lang::ENGLISH.wait_message(840), "Too many tries. Wait 15 minutes.");
    assert_eq!(widget.errors.borrow().last().map(|e| e.code), Some("rate_limited"));
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_explained() {
    stub_fetch(&routes(&[("/api/session", 204, "")]));
    let widget = mount(Mode::SignUp);
    widget.wait_for_text(Lang::ENGLISH.create_account()).await;
    set_input(&widget, "ada@example.com");
    widget.click_button(Lang::ENGLISH.continue_button());
    widget.wait_for_text(Lang::ENGLISH.api_error(latchkey_widget::api::ApiError::Network)).await;
}

#[wasm_bindgen_test]
async fn a_browser_without_webauthn_gets_a_clear_message() {
    let _restore = hide_webauthn();
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.unsupported_title()).await;
    assert!(widget.text().contains(Lang::ENGLISH.unsupported_body()));
    // The page hears of it through the part of the widget that loads later, so a moment after.
    for _ in 0..100 {
        if !widget.errors.borrow().is_empty() {
            break;
        }
        JsFuture::from(sleep(20)).await.unwrap();
    }
    assert_eq!(widget.errors.borrow().last().map(|e| e.code), Some("unavailable"));
}

#[wasm_bindgen_test]
fn the_fallback_turns_base64url_members_into_buffers() {
    let restore = hide_json_helpers();
    let json = js_sys::JSON::parse(CREATION).unwrap();
    let options = webauthn::creation_options(&js_sys::Reflect::get(&json, &"publicKey".into()).unwrap()).unwrap();
    let request_json = js_sys::JSON::parse(CEREMONY).unwrap();
    let request =
        webauthn::request_options(&js_sys::Reflect::get(&request_json, &"publicKey".into()).unwrap()).unwrap();
    drop(restore);
    let request_challenge = js_sys::Reflect::get(&request, &"challenge".into()).unwrap();
    assert_eq!(js_sys::Uint8Array::new(&request_challenge).to_vec(), [0, 1, 2, 3]);
    let challenge = js_sys::Reflect::get(&options, &"challenge".into()).unwrap();
    assert_eq!(js_sys::Uint8Array::new(&challenge).to_vec(), [0, 1, 2, 3]);
    let user = js_sys::Reflect::get(&options, &"user".into()).unwrap();
    assert_eq!(js_sys::Uint8Array::new(&js_sys::Reflect::get(&user, &"id".into()).unwrap()).to_vec(), [1, 2, 3]);
}

#[wasm_bindgen_test]
fn base64url_round_trips_every_length() {
    for len in 0..40u8 {
        let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(250)).collect();
        let text = webauthn::base64url_encode(&bytes);
        assert!(!text.contains(['=', '+', '/']));
        assert_eq!(webauthn::base64url_decode(&text).unwrap(), bytes);
    }
    assert_eq!(webauthn::base64url_encode(b"\xfb\xff"), "-_8");
    assert_eq!(webauthn::base64url_decode("not base64!"), None);
}

#[wasm_bindgen_test]
async fn a_new_screen_gets_new_fields_so_nothing_typed_leaks_into_a_password() {
    let no_passkey = r#"{"passkey":null}"#;
    stub_fetch(&routes(&[
        ("/api/session", 204, ""),
        ("/api/signin/start", 200, CEREMONY),
        ("/api/signin/identify", 200, no_passkey),
    ]));
    stub_credentials("get", "pending");
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
    set_input(&widget, "ada@example.com");
    widget.click_button(Lang::ENGLISH.continue_button());
    widget.wait_for_text(Lang::ENGLISH.enter_password()).await;
    let password = widget.find("input[name=password]");
    assert_eq!(js_sys::Reflect::get(&password, &"value".into()).unwrap(), "");
    assert_eq!(password.get_attribute("autocomplete").as_deref(), Some("current-password"));
    let username = widget.find("input[name=username]");
    assert_eq!(js_sys::Reflect::get(&username, &"value".into()).unwrap(), "ada@example.com");
    assert!(username.has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn another_device_is_offered_only_when_the_browser_can_reach_one() {
    for hybrid in [true, false] {
        let _restore = report_hybrid(hybrid);
        stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signin/start", 200, CEREMONY)]));
        stub_credentials("get", "pending");
        let widget = mount(Mode::SignIn);
        widget.wait_for_text(Lang::ENGLISH.welcome()).await;
        assert_eq!(widget.text().contains(Lang::ENGLISH.passkey_from_other_device()), hybrid, "hybrid {hybrid}");
    }
}

/// Counts panics from here on, keeping the hook that was there.
fn count_panics() -> Rc<std::sync::atomic::AtomicU32> {
    let count = Rc::new(std::sync::atomic::AtomicU32::new(0));
    let seen = send_wrapper::SendWrapper::new(Rc::clone(&count));
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        previous(info);
    }));
    count
}

/// Removes `widget` while a request to `path` is held, then lets the answer arrive: the widget's code
/// that runs after it must find its state gone and stop, not panic (a panic aborts every widget on the
/// page), and a new widget must still work.
async fn remove_during(widget: Mounted, path: &str, release: js_sys::Function) {
    let panics = count_panics();
    drop(widget);
    release.call0(&JsValue::NULL).unwrap();
    JsFuture::from(sleep(200)).await.unwrap();
    assert_eq!(panics.load(std::sync::atomic::Ordering::SeqCst), 0, "a panic after {path}");
    stub_fetch(&routes(&[("/api/session", 204, ""), ("/api/signin/start", 200, CEREMONY)]));
    let again = mount(Mode::SignIn);
    again.wait_for_text(Lang::ENGLISH.welcome()).await;
}

#[wasm_bindgen_test]
async fn a_widget_removed_while_the_passkey_step_is_asked_for_stops_quietly() {
    let with_passkey = format!(r#"{{"passkey":{CEREMONY}}}"#);
    stub_fetch(&routes(&[
        ("/api/session", 204, ""),
        ("/api/signin/start", 200, CEREMONY),
        ("/api/signin/identify", 200, &with_passkey),
    ]));
    stub_credentials("get", "pending");
    let release = hold_route("/api/signin/identify");
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
    set_input(&widget, "ada@example.com");
    widget.click_button(Lang::ENGLISH.continue_button());
    widget.wait_for_text(Lang::ENGLISH.working()).await;
    remove_during(widget, "/api/signin/identify", release).await;
}

#[wasm_bindgen_test]
async fn a_widget_removed_while_a_passkey_is_offered_after_a_password_stops_quietly() {
    let _capabilities = Restore(report_conditional_create_js());
    let signed_in = r#"{"session":{"user":{"email":"ada@example.com","displayName":"ada@example.com"},"methods":["pwd"]},"next":"offer_passkey"}"#;
    stub_fetch(&routes(&[
        ("/api/session", 204, ""),
        ("/api/signin/start", 200, CEREMONY),
        ("/api/signin/identify", 200, r#"{"passkey":null}"#),
        ("/api/password/signin", 200, signed_in),
        ("/api/passkeys/start", 200, CREATION),
    ]));
    stub_credentials("get", "pending");
    let release = hold_route("/api/passkeys/start");
    let widget = mount(Mode::SignIn);
    widget.wait_for_text(Lang::ENGLISH.welcome()).await;
    set_input(&widget, "ada@example.com");
    widget.click_button(Lang::ENGLISH.continue_button());
    widget.wait_for_text(Lang::ENGLISH.enter_password()).await;
    // The password screen's first input is the hidden username for password managers.
    let password = widget.find("input[name=password]");
    js_sys::Reflect::set(&password, &"value".into(), &"velvet-anchor-tulip-92".into()).unwrap();
    widget.click_button(Lang::ENGLISH.continue_button());
    widget.wait_for_text(Lang::ENGLISH.saving_passkey()).await;
    remove_during(widget, "/api/passkeys/start", release).await;
}
