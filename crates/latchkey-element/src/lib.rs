//! The `<latchkey-login>` custom element: Latchkey's widget on any page through one script tag.
//!
//! ```html
//! <script type="module" src="/latchkey.js"></script>
//! <latchkey-login app-name="Acme" mode="signin"></latchkey-login>
//! ```
//!
//! Attributes: `api` (server base URL; default the page's origin), `app-name`, `mode` (`signin`, the
//! default, or `signup`) and `lang` (the language to speak; default the nearest `lang` around the
//! element, else the browser's languages). Changing one re-renders the element. Events, all bubbling and composed:
//! `latchkey:signed-in` (`detail`: `{ user: { email, displayName }, methods: [...] }`),
//! `latchkey:signed-out` (`detail`: `null`) and `latchkey:error` (`detail`: `{ code, message }`); and,
//! as `<latchkey-account>` does, the event log's codes as they happen: `latchkey:sign_up`,
//! `latchkey:sign_in` (`{ methods }`), `latchkey:sign_out`, `latchkey:enrollment_complete`,
//! `latchkey:passkey_added`, `latchkey:passkey_renamed` (`{ passkey, name }`) and
//! `latchkey:password_reset` (`null`).

use std::{any::Any, cell::RefCell};

use latchkey_widget::{ErrorReport, LatchkeyLogin, Mode, SessionInfo, api, js};
use leptos::prelude::*;
use wasm_bindgen::{JsValue, prelude::*};
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

/// The element's tag name.
const TAG: &str = "latchkey-login";

// Custom elements must be JavaScript classes extending `HTMLElement`, which Rust cannot declare; this
// small module defines one that hands its lifecycle to Rust. It is emitted as a file beside the glue,
// so pages with `script-src 'self'` load it without `unsafe-eval`.
#[wasm_bindgen(inline_js = r#"
export function define(tag, connect, disconnect) {
  if (customElements.get(tag)) return;
  customElements.define(tag, class extends HTMLElement {
    #mounted = false;
    #remount = false;
    static get observedAttributes() { return ['api', 'app-name', 'mode', 'lang']; }
    connectedCallback() { this.#mounted = true; connect(this); }
    disconnectedCallback() { this.#mounted = false; disconnect(this); }
    // An upgrade reports each attribute already there before it connects, so only later changes
    // remount, and several changed together (a script setting them one by one) remount once.
    attributeChangedCallback(name, before, after) {
      if (!this.#mounted || before === after || this.#remount) return;
      this.#remount = true;
      queueMicrotask(() => {
        this.#remount = false;
        if (this.#mounted) { disconnect(this); connect(this); }
      });
    }
  });
}
export function nearestLang(element) { return element.closest('[lang]')?.lang ?? ''; }
"#)]
extern "C" {
    fn define(tag: &str, connect: &Closure<dyn Fn(HtmlElement)>, disconnect: &Closure<dyn Fn(HtmlElement)>);
    /// The element's own `lang`, or the nearest one around it; empty when there is none.
    #[wasm_bindgen(js_name = nearestLang)]
    fn nearest_lang(element: &HtmlElement) -> String;
}

thread_local! {
    /// Each connected element with its mounted widget; dropping the handle unmounts the widget.
    static MOUNTED: RefCell<Vec<(HtmlElement, Box<dyn Any>)>> = const { RefCell::new(Vec::new()) };
}

/// Registers `<latchkey-login>` when the module loads; a second load of the module changes nothing.
#[wasm_bindgen(start)]
pub fn start() {
    let connect = Closure::<dyn Fn(HtmlElement)>::new(connect);
    let disconnect = Closure::<dyn Fn(HtmlElement)>::new(disconnect);
    define(TAG, &connect, &disconnect);
    // The element class keeps calling these for the page's lifetime.
    connect.forget();
    disconnect.forget();
}

fn connect(host: HtmlElement) {
    if MOUNTED.with_borrow(|mounted| mounted.iter().any(|(element, _)| *element == host)) {
        return;
    }
    let attribute = |name: &str| host.get_attribute(name).unwrap_or_default();
    let (api, app_name) = (attribute("api"), attribute("app-name"));
    // The element's own `lang`, or the nearest one around it; the widget falls back to the browser's.
    let locale = nearest_lang(&host);
    let mode = if attribute("mode") == "signup" { Mode::SignUp } else { Mode::SignIn };
    let target = host.clone();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let (signed_in, signed_out, failed, logged) = (target.clone(), target.clone(), target.clone(), target);
        view! {
            <LatchkeyLogin
                app_name
                api
                mode
                locale
                on_signed_in=move |session: SessionInfo| dispatch(&signed_in, "latchkey:signed-in", &api::session_to_js(&session))
                on_signed_out=move |()| dispatch(&signed_out, "latchkey:signed-out", &JsValue::NULL)
                on_error=move |report: ErrorReport| dispatch(&failed, "latchkey:error", &error_detail(&report))
                on_event=move |(code, detail): (&'static str, JsValue)| dispatch(&logged, &["latchkey:", code].concat(), &detail)
            />
        }
    });
    MOUNTED.with_borrow_mut(|mounted| mounted.push((host, Box::new(handle))));
}

fn disconnect(host: HtmlElement) {
    let removed = MOUNTED.with_borrow_mut(|mounted| {
        let index = mounted.iter().position(|(element, _)| *element == host)?;
        Some(mounted.swap_remove(index))
    });
    // Dropped outside the borrow: unmounting runs cleanups that must not find the list borrowed.
    drop(removed);
}

fn error_detail(report: &ErrorReport) -> JsValue {
    js::object(&[("code", &JsValue::from_str(report.code)), ("message", &JsValue::from_str(report.message))])
}

fn dispatch(target: &HtmlElement, name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}
