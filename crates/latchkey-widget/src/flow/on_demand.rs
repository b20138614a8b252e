//! The one door from the first chunk into the rest of the widget: the sign-in screen's code hands every
//! later step to [`later`], which is a WASM split point, so everything only it reaches (the other screens,
//! the journeys after the first request, failure messages) loads when the person first needs it.
//!
//! With the `split` feature (the `<latchkey-login>` build), `scripts/build-widget` cuts the WASM at this
//! function with `wasm-split-cli`; without it (unit and wasm-bindgen tests, other crates) the call is a
//! plain `async` call, so both builds run the same code.

use super::{Flow, Focus, Problem, Screen, ceremony::spawn, failures::Failure};
use crate::{api::Step, webauthn::BrowserError};

/// What the later code is asked to do.
pub(super) enum Onward {
    /// Show the first screen when it is not the sign-in screen, leaving the page's focus alone.
    Open(Screen),
    /// Move to a screen other than the sign-in screen.
    Show(Screen),
    /// Go where a sign-in ceremony's outcome leads.
    Follow(Result<Step, Failure>),
    /// Tell a failure.
    Fail(Failure),
    /// Tell the page's error callback of a browser condition the person is not shown as a failure.
    Report(BrowserError),
    /// The browser has no WebAuthn: the screen that says so, and the page told.
    Unsupported,
    /// "Continue" on the sign-in screen: identifier-first.
    Identify,
    /// Open a reset link: the choice of a new passkey or a new password.
    Recover,
}

/// The later chunk could not be fetched.
pub(super) struct Unloaded;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for Unloaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Self
    }
}

/// Runs `onward` in the later chunk, fetching it on first use; [`fetch_later`] fetches it without running
/// anything. (A split point must be a free function; `fallible` turns a failed fetch into [`Unloaded`]
/// where it would otherwise panic, which aborts every widget on the page.)
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = leptos::wasm_split, fallible, preload(fetch_later))]
fn later(flow: Flow, onward: Onward) -> Result<(), Unloaded> {
    go_on(flow, onward);
    Ok(())
}

/// Without the split, the later code is already here.
#[cfg(not(feature = "split"))]
async fn later(flow: Flow, onward: Onward) -> Result<(), Unloaded> {
    go_on(flow, onward);
    Ok(())
}

/// Without the split, there is nothing to fetch.
#[cfg(not(feature = "split"))]
async fn fetch_later() -> Result<(), Unloaded> {
    Ok(())
}

fn go_on(flow: Flow, onward: Onward) {
    match onward {
        Onward::Open(screen) => flow.show_screen(screen, Focus::Keep),
        Onward::Show(screen) => flow.go(screen),
        Onward::Follow(outcome) => flow.follow_or_fail(outcome),
        Onward::Fail(failure) => flow.fail(failure),
        Onward::Report(error) => flow.report(error),
        Onward::Unsupported => {
            flow.show_screen(Screen::Unsupported, Focus::Keep);
            flow.report(BrowserError::Unavailable);
        }
        Onward::Identify => flow.identify(),
        Onward::Recover => flow.open_recovery(),
    }
}

impl Flow {
    /// Hands `what` to the later chunk. If it cannot be fetched, the person is left on the sign-in screen
    /// with autofill armed (a first screen that needed the chunk shows it instead of "Loading…"), and
    /// told the server is out of reach.
    pub(super) fn onward(self, what: Onward) {
        let opening = matches!(what, Onward::Open(_) | Onward::Recover | Onward::Unsupported);
        spawn(async move {
            if later(self, what).await.is_ok() {
                return;
            }
            if opening {
                self.sign_in_screen(Focus::Keep);
            } else if self.is_signing_in() && self.policy_allows(b'a') {
                // "Sign up" stopped autofill on its way out, but the person is still here.
                self.arm_autofill();
            }
            self.show_unreachable();
        });
    }

    /// Starts fetching the later chunk as soon as the person turns to the widget, so their first step
    /// does not wait for it. A failed fetch is tried again, and told, by that step.
    pub(crate) fn prefetch_later(self) {
        spawn(async move {
            let _ = fetch_later().await;
        });
    }

    fn show_unreachable(self) {
        self.show(Problem { message: self.lang().unreachable(), offer_log_in: false }, "network");
    }
}
