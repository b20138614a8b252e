//! Latchkey's account page and admin console as custom elements, `<latchkey-account>` and
//! `<latchkey-console>`, each in a WASM module of its own (the crate's `account-element` and
//! `console-element` features): only the page that shows one loads it.
//!
//! ```html
//! <script type="module" src="/latchkey-account.js"></script>
//! <latchkey-account></latchkey-account>
//! <!-- or -->
//! <script type="module" src="/latchkey-console.js"></script>
//! <latchkey-console></latchkey-console>
//! ```
//!
//! The account element dispatches the event log's codes as DOM events (`latchkey:passkey_added`,
//! `latchkey:passkey_renamed`, `latchkey:passkey_deleted`, `latchkey:password_changed`), bubbling and
//! composed, with `{ passkey }` or `null` as `detail`.

pub mod account;
pub mod catalog;
pub mod console;
mod http;
mod signal;

use std::{any::Any, cell::RefCell};

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

pub use account::AccountPage;
pub use console::ConsolePage;

// Custom elements must be JavaScript classes; this defines one per tag that hands its lifecycle to
// Rust, as `latchkey-element` does for the login widget.
#[wasm_bindgen(inline_js = r#"
export function define(tag, connect, disconnect) {
  if (customElements.get(tag)) return;
  customElements.define(tag, class extends HTMLElement {
    connectedCallback() { connect(this); }
    disconnectedCallback() { disconnect(this); }
  });
}
"#)]
extern "C" {
    fn define(tag: &str, connect: &Closure<dyn Fn(HtmlElement)>, disconnect: &Closure<dyn Fn(HtmlElement)>);
}

thread_local! {
    /// Each connected element with its mounted page; dropping the handle unmounts it.
    static MOUNTED: RefCell<Vec<(HtmlElement, Box<dyn Any>)>> = const { RefCell::new(Vec::new()) };
}

/// Registers the elements the module was built with when it loads: both by default, one in each of the
/// modules `scripts/build-widget` makes (what no element mounts, LTO leaves out).
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "account-element")]
    register("latchkey-account", |host| {
        let target = host.clone();
        let locale = nearest_lang(&host);
        Box::new(leptos::mount::mount_to(host, move || {
            let target = target.clone();
            view! { <AccountPage locale=locale.clone() on_event=move |(code, detail)| dispatch(&target, code, &detail) /> }
        }))
    });
    #[cfg(feature = "console-element")]
    register("latchkey-console", |host| {
        let locale = nearest_lang(&host);
        Box::new(leptos::mount::mount_to(host, move || view! { <ConsolePage locale=locale.clone() /> }))
    });
}

fn register(tag: &str, mount: fn(HtmlElement) -> Box<dyn Any>) {
    let connect = Closure::<dyn Fn(HtmlElement)>::new(move |host: HtmlElement| {
        if MOUNTED.with_borrow(|mounted| mounted.iter().any(|(element, _)| *element == host)) {
            return;
        }
        let handle = mount(host.clone());
        MOUNTED.with_borrow_mut(|mounted| mounted.push((host, handle)));
    });
    let disconnect = Closure::<dyn Fn(HtmlElement)>::new(|host: HtmlElement| {
        let removed = MOUNTED.with_borrow_mut(|mounted| {
            let index = mounted.iter().position(|(element, _)| *element == host)?;
            Some(mounted.swap_remove(index))
        });
        // Dropped outside the borrow: unmounting runs cleanups that must not find the list borrowed.
        drop(removed);
    });
    define(tag, &connect, &disconnect);
    // The element classes keep calling these for the page's lifetime.
    connect.forget();
    disconnect.forget();
}

/// The `lang` of `host` or of its nearest ancestor that has one: the language the page asks of it.
fn nearest_lang(host: &HtmlElement) -> String {
    host.closest("[lang]").ok().flatten().and_then(|element| element.get_attribute("lang")).unwrap_or_default()
}

/// Dispatches `latchkey:{code}` from `target`, bubbling out of shadow roots.
#[cfg(feature = "account-element")]
fn dispatch(target: &HtmlElement, code: &str, detail: &JsValue) {
    use web_sys::{CustomEvent, CustomEventInit};

    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&["latchkey:", code].concat(), &init) {
        let _ = target.dispatch_event(&event);
    }
}
