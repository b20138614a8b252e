//! The login flow: which screen shows and what is busy (this module: the state, one signal for the
//! screen, one for the status line and one non-reactive store for the rest), the one ceremony future and
//! its `AbortController` (`ceremony`), the journeys that move between screens (`sign_in`, `steps`,
//! `sign_up`, `enrollment`, `passwords`), how a failure is told (`failures`), and what the page hears of
//! the event log (`announce`).
//!
//! The WASM is cut in two at [`on_demand`]: this module, `ceremony` and the sign-in screen's own actions
//! in `sign_in` are in the first chunk; what only [`on_demand::Onward`] reaches (`steps`, `sign_up`,
//! `enrollment`, `passwords`, `failures::fail` and every page but the sign-in screen's) loads when the
//! person first acts.
//!
//! Every distinct signal or future type costs the widget code size (see BENCHMARKS.md), so futures are
//! boxed once in [`ceremony::spawn`] and inputs are read on submit. Screens only call the journeys'
//! methods; they start no request themselves.

mod announce;
mod ceremony;
mod enrollment;
mod failures;
mod on_demand;
mod passwords;
mod sign_in;
mod sign_up;
mod steps;

use latchkey_proto::{SessionInfo, is_plausible_email, paths};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::AbortController;

use crate::{
    api::{Ceremony, Server, ceremony_from},
    browser::{focus_after_render, take_reset_token},
    catalog::{Lang, LanguageFile, fetch_language},
    js::object,
    screens::{Page, sign_in_page},
    webauthn::{self, BrowserError, Capabilities},
};
use ceremony::spawn;
use failures::Failure;
use on_demand::Onward;

/// Which screen the widget opens on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// "Welcome" with passkey autofill and "Continue with a passkey" (the default).
    #[default]
    SignIn,
    /// "Create your account": email, then "Create a passkey".
    SignUp,
}

/// A failure as the page hears of it: a stable code and the message the person was shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorReport {
    /// A server code (`email_taken`, …) or a browser one (`not_allowed`, `network`, …).
    pub code: &'static str,
    /// The message shown in the widget.
    pub message: &'static str,
}

/// The screens, named after what the person sees.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Screen {
    /// Asking the server who is signed in.
    Loading,
    /// "Welcome": email (with passkey autofill), "Continue", "Continue with a passkey".
    SignIn,
    /// "Create your account": the email step.
    SignUp,
    /// "Check your email": the code mailed to a new account's address, under `email_verification =
    /// "before_sign_up"`.
    EnterCode,
    /// "Create a passkey…": consent before the browser prompt, for one of four reasons.
    CreatePasskey(Purpose),
    /// "Use your passkey": the identifier-first or second-factor prompt.
    PasskeyStep {
        /// After a password, under the `mfa = "passkey"` policy.
        second_factor: bool,
    },
    /// "Enter your password".
    Password,
    /// "Create a password" (sign-up without a passkey) or "Choose a new password" (reset link).
    NewPassword {
        /// From a reset link.
        reset: bool,
    },
    /// "Get back into your account": a reset link's choice of a new passkey here or a new password.
    Recover,
    /// "Reset your password": the email to send the link to.
    Forgot,
    /// "Check your email".
    ForgotSent,
    /// "Name your passkey", after one was created.
    NamePasskey,
    /// Who is signed in, and "Sign out".
    SignedIn,
    /// The browser has no WebAuthn.
    Unsupported,
}

/// Whether a new screen takes the focus.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    /// To its heading, after the person moved on.
    Heading,
    /// Left where the page has it: the first screen.
    Keep,
}

/// Why the create-passkey screen is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// A new account's first passkey.
    SignUp,
    /// Progressive enrollment, after a password sign-in.
    Upgrade,
    /// Local enrollment, after a sign-in with a passkey from another device.
    Local,
    /// The passkey the second-factor policy needs before the sign-in completes.
    SecondFactor,
}

/// A message shown to the person, with the way forward it offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    /// What happened and what to do.
    pub(crate) message: &'static str,
    /// Whether to offer a "Log in" link (the email already has an account).
    pub(crate) offer_log_in: bool,
}

/// The status line under the screen: progress, or the last problem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Status {
    /// What is in progress; `None` when idle.
    pub(crate) busy: Option<&'static str>,
    /// News that is not a problem ("Your password is changed").
    pub(crate) notice: Option<&'static str>,
    /// The problem to show, if any.
    pub(crate) problem: Option<Problem>,
}

/// The callbacks a page gave the widget.
#[derive(Clone, Default)]
pub(crate) struct Callbacks {
    /// After a sign-in or sign-up.
    pub(crate) signed_in: Option<Callback<SessionInfo>>,
    /// After a sign-out.
    pub(crate) signed_out: Option<Callback<()>>,
    /// After a failure the person was told about.
    pub(crate) error: Option<Callback<ErrorReport>>,
    /// After each step the event log records: its code and detail.
    pub(crate) event: Option<Callback<(&'static str, JsValue)>>,
}

/// What the flow keeps that no view reacts to.
struct Inner {
    /// Prefix of this widget's element IDs, unique on the page.
    id: String,
    app_name: String,
    /// The email typed so far; kept across screens so nothing typed is lost.
    email: String,
    server: Server,
    callbacks: Callbacks,
    /// A started sign-up waiting for "Create a new passkey".
    sign_up: Option<Ceremony>,
    /// The email a sign-up's mailed code proved, and the proof the code was exchanged for.
    proof: Option<(String, String)>,
    /// The identifier-first or second-factor ceremony of the passkey step, kept for "Try again".
    step: Option<Ceremony>,
    /// The sign-in options autofill holds, unused, and when they go stale (milliseconds since the epoch):
    /// "Continue with a passkey" opens its prompt with them at once, with no request between the click
    /// and the prompt (Safari drops the click's user activation across a slow one).
    kept: Option<(Ceremony, f64)>,
    /// The second-factor enrollment's ceremony ID, which stands in for a session.
    marker: Option<String>,
    /// The session of a sign-in whose journey goes on (a passkey offer, naming), announced at its end.
    session: Option<SessionInfo>,
    /// The passkey just created, for "Name your passkey": its ID and suggested name.
    passkey: Option<(f64, String)>,
    /// A reset link's token.
    token: Option<String>,
    /// What a reset link's screen knows once the link's start has answered.
    recovery: Option<passwords::Recovery>,
    /// The session the signed-in screen shows.
    shown: Option<SessionInfo>,
    /// The last password, code or passkey name submitted; cleared once used.
    input: String,
    /// What the browser can do.
    capabilities: Capabilities,
    /// The language the widget speaks.
    lang: Lang,
    /// The file of its texts, unless it speaks English; fetched as the widget opens.
    language_file: Option<LanguageFile>,
    /// The policy's passkey prompt on the sign-in screen when it is only one: `b'a'` for autofill, `b'b'`
    /// for the button; 0 for both.
    challenge_ui: u8,
    /// The page of the screen about to render; taken by the renderer.
    page: Option<Page>,
    /// The one controller whose signal the ceremony in flight listens to; `None` when none is.
    controller: Option<AbortController>,
    /// Whether the ceremony in flight is a prompt the person opened, which an ambient one (autofill, the
    /// automatic upgrade) must not abort.
    prompt_open: bool,
    /// Counts ceremonies, so one that ends clears the controller only if no newer one replaced it.
    generation: u32,
}

/// Shared state of one widget; `Copy`, so every handler can hold it.
#[derive(Clone, Copy)]
pub(crate) struct Flow {
    /// The screen showing.
    pub(crate) screen: RwSignal<Screen>,
    /// Progress and problems.
    pub(crate) status: RwSignal<Status>,
    inner: StoredValue<Inner, LocalStorage>,
}

/// A page-unique ID prefix, `latchkey-a`, `latchkey-b`, … (letters, to keep integer formatting out of
/// the WASM).
fn next_widget_id() -> String {
    static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let mut n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut id = String::from("latchkey-");
    loop {
        id.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return id;
        }
    }
}

impl Flow {
    /// A flow for a widget talking to the server at `api`.
    pub(crate) fn new(api: &str, app_name: String, callbacks: Callbacks, language_file: Option<LanguageFile>) -> Self {
        let inner = Inner {
            id: next_widget_id(),
            app_name,
            email: String::new(),
            server: Server::new(api, language_file.as_ref().map_or("en", |file| file.language)),
            callbacks,
            sign_up: None,
            proof: None,
            step: None,
            kept: None,
            marker: None,
            session: None,
            passkey: None,
            token: None,
            recovery: None,
            shown: None,
            input: String::new(),
            capabilities: Capabilities::default(),
            lang: Lang::ENGLISH,
            language_file,
            challenge_ui: 0,
            page: None,
            controller: None,
            prompt_open: false,
            generation: 0,
        };
        Self {
            screen: RwSignal::new(Screen::Loading),
            status: RwSignal::new(Status::default()),
            inner: StoredValue::new_local(inner),
        }
    }

    // Every read of the flow's state goes through `try_`: a ceremony can finish after the page removed
    // the widget (say, in its `latchkey:signed-in` handler), and a read of freed state would panic.

    /// The app's name, or "this site" in the widget's language when the page gives none.
    pub(crate) fn app_name(self) -> String {
        let name = self.inner.try_with_value(|i| i.app_name.clone()).unwrap_or_default();
        if name.is_empty() { self.lang().this_site().to_owned() } else { name }
    }

    /// The language the widget speaks.
    pub(crate) fn lang(self) -> Lang {
        self.inner.try_with_value(|i| i.lang).unwrap_or_default()
    }

    /// The email typed so far.
    pub(crate) fn email(self) -> String {
        self.inner.try_with_value(|i| i.email.clone()).unwrap_or_default()
    }

    /// The suggested name of the passkey being named.
    pub(crate) fn passkey_name(self) -> String {
        self.inner.try_with_value(|i| i.passkey.as_ref().map(|p| p.1.clone())).flatten().unwrap_or_default()
    }

    /// The session the signed-in screen shows.
    pub(crate) fn shown_session(self) -> Option<SessionInfo> {
        self.inner.try_with_value(|i| i.shown.clone()).flatten()
    }

    /// The email of the account signing in, once the server has named it.
    pub(crate) fn account_email(self) -> Option<String> {
        self.inner.try_with_value(|i| i.session.as_ref().map(|s| s.user.email.clone())).flatten()
    }

    /// Whether the policy lets the sign-in screen offer passkeys in autofill (`b'a'`) or behind the
    /// button (`b'b'`): unless it asks for the other one only.
    pub(crate) fn policy_allows(self, prompt: u8) -> bool {
        let other = if prompt == b'a' { b'b' } else { b'a' };
        self.inner.try_with_value(|i| i.challenge_ui != other).unwrap_or(true)
    }

    /// Whether to offer passkeys on another device: unless the browser says it cannot.
    pub(crate) fn offers_other_device(self) -> bool {
        self.inner.try_with_value(|i| i.capabilities.hybrid).unwrap_or(false)
    }

    /// Keeps a submitted password, code or passkey name until the request that needs it.
    pub(crate) fn remember_input(self, input: String) {
        self.inner.update_value(|i| i.input = input);
    }

    fn take_input(self) -> String {
        self.inner.try_update_value(|i| std::mem::take(&mut i.input)).unwrap_or_default()
    }

    /// The ID of this widget's screen heading.
    pub(crate) fn heading_id(self) -> String {
        self.element_id("-title")
    }

    /// The ID of this widget's problem region, which the email field names as its description.
    pub(crate) fn problem_id(self) -> String {
        self.element_id("-problem")
    }

    fn element_id(self, suffix: &str) -> String {
        self.inner.try_with_value(|i| [i.id.as_str(), suffix].concat()).unwrap_or_default()
    }

    /// The server, or an abort (reported to nobody) when the widget is gone.
    fn server(self) -> Result<Server, Failure> {
        self.inner.try_with_value(|i| i.server.clone()).ok_or(Failure::Browser(BrowserError::Abort))
    }

    fn callbacks(self) -> Callbacks {
        self.inner.try_with_value(|i| i.callbacks.clone()).unwrap_or_default()
    }

    pub(super) fn is_signing_in(self) -> bool {
        self.screen.try_with_untracked(|s| matches!(s, Screen::SignIn)).unwrap_or(false)
    }

    fn set_busy(self, busy: Option<&'static str>) {
        self.status.update(|s| s.busy = busy);
    }

    /// Shows `screen` as `page`, clearing the last screen's status; with [`Focus::Heading`], moves focus
    /// to the new heading so screen readers announce where the person is.
    pub(crate) fn present(self, screen: Screen, page: Page, focus: Focus) {
        self.status.set(Status::default());
        self.inner.update_value(|i| i.page = Some(page));
        self.screen.set(screen);
        if focus == Focus::Heading {
            focus_after_render(self.heading_id());
        }
    }

    /// The page presented last, taken by the renderer; `None` until a screen is presented.
    pub(crate) fn take_page(self) -> Option<Page> {
        self.inner.try_update_value(|i| i.page.take()).flatten()
    }

    /// Shows the sign-in screen and, unless the policy puts passkeys behind the button only, arms their
    /// autofill.
    pub(crate) fn sign_in_screen(self, focus: Focus) {
        self.sign_in_screen_with(focus, None);
    }

    /// The same, with autofill's options in hand if the first screen asked for them as it loaded.
    fn sign_in_screen_with(self, focus: Focus, options: Option<Ceremony>) {
        self.present(Screen::SignIn, sign_in_page(self), focus);
        if self.policy_allows(b'a') {
            match options {
                Some(ceremony) => self.arm_autofill_with(ceremony::Begin::Have(ceremony)),
                None => self.arm_autofill(),
            }
        }
    }

    /// Opens the first screen: a reset link's choice of a new passkey or password, else the signed-in one if a
    /// session exists, else `mode`'s. The page keeps its focus on this first render.
    pub(crate) fn open(self, mode: Mode) {
        let Ok(server) = self.server() else { return };
        let language = self
            .inner
            .try_with_value(|i| i.language_file.as_ref().map(|file| fetch_language(file, server.base())))
            .flatten();
        // Without WebAuthn the screen says so, in the page's language (the requests below are then
        // not used: such browsers are rare).
        let available = webauthn::is_available();
        let token = take_reset_token();
        // Everything the first screen waits for is asked at once rather than in turn: the session, the
        // browser's capabilities and, when the sign-in screen is the likely first screen, autofill's
        // options. If the person turns out to be signed in, or the policy keeps passkeys behind the
        // button, the sign-in start is not used: it expires, having cost a row and one of the client's
        // `ceremony_starts_per_ip`, as every sign-in page load did before.
        let session = server.ask_session();
        let capabilities = webauthn::capabilities();
        let autofill =
            (token.is_none() && mode == Mode::SignIn).then(|| server.send_post(paths::SIGN_IN_START, &object(&[])));
        spawn(async move {
            if let Some(language) = language {
                let lang = language.await;
                self.inner.update_value(|i| i.lang = lang);
            }
            if !available {
                return self.onward(Onward::Unsupported);
            }
            // The browser's capabilities are usually the slowest answer, so the server's are read first,
            // while the browser is still thinking.
            let session = session.session().await.map(|(session, challenge_ui)| {
                let only = match challenge_ui.as_str() {
                    "autofill" => b'a',
                    "button" => b'b',
                    _ => 0,
                };
                self.inner.update_value(|i| i.challenge_ui = only);
                session
            });
            let signed_in = matches!(session, Ok(Some(_)));
            let options = match autofill {
                Some(sent) if !signed_in && self.policy_allows(b'a') => {
                    sent.json().await.and_then(|json| ceremony_from(&json)).ok()
                }
                _ => None,
            };
            let capabilities = capabilities.await;
            self.inner.update_value(|i| i.capabilities = capabilities);
            let first = match (token, session) {
                (Some(token), _) => {
                    self.inner.update_value(|i| i.token = Some(token));
                    return self.onward(Onward::Recover);
                }
                (None, Ok(Some(session))) => {
                    self.inner.update_value(|i| i.shown = Some(session));
                    Screen::SignedIn
                }
                _ if mode == Mode::SignUp => Screen::SignUp,
                _ => return self.sign_in_screen_with(Focus::Keep, options),
            };
            self.onward(Onward::Open(first));
        });
    }

    /// Remembers what the person typed in the email field.
    pub(crate) fn remember_email(self, email: String) {
        self.inner.update_value(|i| i.email = email);
    }

    /// The email typed, if it looks like one; otherwise says so.
    fn checked_email(self) -> Option<String> {
        let email = self.email().trim().to_owned();
        if is_plausible_email(&email) {
            return Some(email);
        }
        self.show(Problem { message: self.lang().check_email(), offer_log_in: false }, "invalid_email");
        None
    }
}

fn email_body(email: &str) -> JsValue {
    object(&[("email", &JsValue::from_str(email))])
}
