//! The login flow: which screen shows, what is busy, and the ceremonies that move between screens.
//!
//! The state is deliberately few types: one signal for the screen, one for the status line, and one
//! non-reactive store for the rest. Every distinct signal or future type costs the widget code size
//! (see BENCHMARKS.md), so futures are boxed once in [`spawn`] and inputs are read on submit.

use std::{future::Future, pin::Pin};

use latchkey_proto::{ErrorCode, SessionInfo, is_plausible_email};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortController, AbortSignal, HtmlElement};

use crate::{
    api::{ApiError, Ceremony, Server},
    catalog,
    webauthn::{self, BrowserError, Mediation},
};

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
#[derive(Clone, Debug)]
pub(crate) enum Screen {
    /// Asking the server who is signed in.
    Loading,
    /// "Welcome": passkey sign-in.
    SignIn,
    /// "Create your account": the email step.
    SignUp,
    /// "Create a passkey for {app} on this device?".
    CreatePasskey,
    /// Who is signed in, and "Sign out".
    SignedIn(SessionInfo),
    /// The browser has no WebAuthn.
    Unsupported,
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
    /// The one controller whose signal the ceremony in flight listens to; `None` when none is.
    controller: Option<AbortController>,
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

/// Where a ceremony failed, to pick what to say.
#[derive(Clone, Copy)]
enum Failure {
    Browser(BrowserError),
    Api(ApiError),
}

impl From<BrowserError> for Failure {
    fn from(e: BrowserError) -> Self {
        Self::Browser(e)
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

/// Runs a future to completion on the browser's event loop. Boxing here means one executor glue for
/// every flow instead of one per future type.
fn spawn(future: impl Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(future));
}

fn spawn_boxed(future: Pin<Box<dyn Future<Output = ()>>>) {
    wasm_bindgen_futures::spawn_local(future);
}

/// A page-unique ID prefix, `latchkey-a`, `latchkey-b`, … (letters, to keep integer formatting out of
/// the WASM).
fn next_widget_id() -> String {
    thread_local!(static COUNT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
    let mut n = COUNT.with(|c| c.replace(c.get() + 1));
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
    pub(crate) fn new(api: &str, app_name: String, callbacks: Callbacks) -> Self {
        let inner = Inner {
            id: next_widget_id(),
            app_name,
            email: String::new(),
            server: Server::new(api),
            callbacks,
            sign_up: None,
            controller: None,
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

    /// The app's name.
    pub(crate) fn app_name(self) -> String {
        self.inner.try_with_value(|i| i.app_name.clone()).unwrap_or_default()
    }

    /// The email typed so far.
    pub(crate) fn email(self) -> String {
        self.inner.try_with_value(|i| i.email.clone()).unwrap_or_default()
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

    fn is_signing_in(self) -> bool {
        self.screen.try_with_untracked(|s| matches!(s, Screen::SignIn)).unwrap_or(false)
    }

    fn set_busy(self, busy: Option<&'static str>) {
        self.status.update(|s| s.busy = busy);
    }

    /// Shows `screen`, clearing the last screen's status, and moves focus to the new heading so screen
    /// readers announce where the person is.
    pub(crate) fn go(self, screen: Screen) {
        self.status.set(Status::default());
        self.screen.set(screen);
        let id = self.heading_id();
        // The new screen renders in a microtask; an animation frame comes after it.
        request_animation_frame(move || {
            let heading = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<HtmlElement>().ok());
            if let Some(heading) = heading {
                let _ = heading.focus();
            }
        });
    }

    /// Opens the first screen: the signed-in one if a session exists, else `mode`'s. The page keeps its
    /// focus on this first render.
    pub(crate) fn open(self, mode: Mode) {
        if !webauthn::is_available() {
            self.screen.set(Screen::Unsupported);
            self.report(BrowserError::Unavailable);
            return;
        }
        spawn(async move {
            let Ok(server) = self.server() else { return };
            let first = match server.session().await {
                Ok(Some(session)) => Screen::SignedIn(session),
                _ if mode == Mode::SignUp => Screen::SignUp,
                _ => Screen::SignIn,
            };
            self.screen.set(first);
        });
    }

    /// Remembers what the person typed in the email field.
    pub(crate) fn remember_email(self, email: String) {
        self.inner.update_value(|i| i.email = email);
    }

    /// Cancels whatever ceremony is in flight (WebAuthn §5.6: an aborted signal rejects the pending
    /// `create` / `get` with `AbortError`), and returns the signal and generation of a new one.
    fn new_ceremony(self) -> Result<(AbortSignal, u32), Failure> {
        self.abort_ceremony();
        let controller = AbortController::new().map_err(|_| Failure::Browser(BrowserError::Other))?;
        let signal = controller.signal();
        let generation = self.inner.try_update_value(|i| {
            i.generation += 1;
            i.controller = Some(controller);
            i.generation
        });
        Ok((signal, generation.ok_or(Failure::Browser(BrowserError::Abort))?))
    }

    /// Forgets the controller of a ceremony that ended, unless a newer ceremony replaced it.
    fn end_ceremony(self, generation: u32) {
        self.inner.update_value(|i| {
            if i.generation == generation {
                i.controller = None;
            }
        });
    }

    /// Cancels the ceremony in flight, if any.
    pub(crate) fn abort_ceremony(self) {
        if let Some(controller) = self.inner.try_update_value(|i| i.controller.take()).flatten() {
            controller.abort();
        }
    }

    /// Arms passkey autofill on the sign-in screen's email field, where the browser supports it.
    pub(crate) fn arm_autofill(self) {
        spawn(async move {
            let available = webauthn::conditional_mediation_available().await;
            // A prompt the person opened while we asked must not be aborted by autofill arriving late.
            let prompt_open = self.inner.try_with_value(|i| i.controller.is_some()).unwrap_or(true);
            if available && !prompt_open {
                self.sign_in(Mediation::Conditional).await;
            }
        });
    }

    /// "Continue with a passkey": a modal passkey prompt.
    pub(crate) fn sign_in_with_prompt(self) {
        spawn(async move {
            self.sign_in(Mediation::Modal).await;
            // After a cancelled or failed prompt, offer the passkeys in autofill again.
            if self.is_signing_in() {
                self.arm_autofill();
            }
        });
    }

    async fn sign_in(self, mediation: Mediation) {
        let modal = mediation == Mediation::Modal;
        if modal {
            self.status.set(Status { busy: Some(catalog::WORKING), problem: None });
        }
        match self.try_sign_in(mediation).await {
            Ok(session) => self.signed_in(session),
            // Autofill requests end quietly when the person dismisses them or another ceremony starts.
            Err(Failure::Browser(BrowserError::NotAllowed | BrowserError::Abort)) if !modal => {}
            Err(failure) => self.fail(failure),
        }
    }

    async fn try_sign_in(self, mediation: Mediation) -> Result<SessionInfo, Failure> {
        let (signal, generation) = self.new_ceremony()?;
        let result = self.sign_in_with(mediation, &signal).await;
        self.end_ceremony(generation);
        result
    }

    async fn sign_in_with(self, mediation: Mediation, signal: &AbortSignal) -> Result<SessionInfo, Failure> {
        let server = self.server()?;
        let ceremony = server.start_sign_in().await?;
        let options = webauthn::request_options(&ceremony.public_key)?;
        if mediation == Mediation::Modal {
            self.set_busy(Some(catalog::WAITING_FOR_PASSKEY));
        }
        let credential = webauthn::get_assertion(&options, mediation, signal).await?;
        self.set_busy(Some(catalog::WORKING));
        Ok(server.finish_sign_in(&ceremony.id, &credential).await?)
    }

    /// "Continue" on the sign-up screen: checks the email and starts the sign-up ceremony, so the next
    /// screen's button can open the browser prompt at once, inside the click's user activation.
    pub(crate) fn continue_sign_up(self) {
        let email = self.email();
        let email = email.trim().to_owned();
        if !is_plausible_email(&email) {
            self.show(Problem { message: catalog::CHECK_EMAIL, offer_log_in: false }, "invalid_email");
            return;
        }
        self.status.set(Status { busy: Some(catalog::WORKING), problem: None });
        spawn(async move {
            let started = match self.server() {
                Ok(server) => server.start_sign_up(&email).await.map_err(Failure::Api),
                Err(gone) => Err(gone),
            };
            match started {
                Ok(ceremony) => {
                    self.inner.update_value(|i| i.sign_up = Some(ceremony));
                    self.go(Screen::CreatePasskey);
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    /// "Create a new passkey": the browser prompt, then the account.
    pub(crate) fn create_passkey(self) {
        self.status.set(Status { busy: Some(catalog::WAITING_FOR_PASSKEY), problem: None });
        spawn(async move {
            match self.try_create_passkey().await {
                Ok(session) => self.signed_in(session),
                Err(failure) => self.fail(failure),
            }
        });
    }

    async fn try_create_passkey(self) -> Result<SessionInfo, Failure> {
        let server = self.server()?;
        let ceremony = match self.inner.try_update_value(|i| i.sign_up.take()).flatten() {
            Some(ceremony) => ceremony,
            None => server.start_sign_up(&self.email()).await?,
        };
        let (signal, generation) = self.new_ceremony()?;
        let options = webauthn::creation_options(&ceremony.public_key)?;
        let created = webauthn::create(&options, &signal).await;
        self.end_ceremony(generation);
        let credential = match created {
            Ok(credential) => credential,
            Err(e) => {
                // Nothing reached the server: keep the ceremony for the next try.
                self.inner.update_value(|i| i.sign_up = Some(ceremony));
                return Err(e.into());
            }
        };
        self.set_busy(Some(catalog::WORKING));
        Ok(server.finish_sign_up(&ceremony.id, &credential).await?)
    }

    /// "Go back" from the create-passkey screen; the email stays as typed.
    pub(crate) fn back_to_sign_up(self) {
        self.abort_ceremony();
        self.inner.update_value(|i| i.sign_up = None);
        self.go(Screen::SignUp);
    }

    /// "Sign out".
    pub(crate) fn sign_out(self) {
        self.set_busy(Some(catalog::WORKING));
        spawn(async move {
            let signed_out = match self.server() {
                Ok(server) => server.sign_out().await.map_err(Failure::Api),
                Err(gone) => Err(gone),
            };
            match signed_out {
                Ok(()) => {
                    self.go(Screen::SignIn);
                    if let Some(callback) = self.callbacks().signed_out {
                        callback.run(());
                    }
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn signed_in(self, session: SessionInfo) {
        self.abort_ceremony();
        self.go(Screen::SignedIn(session.clone()));
        if let Some(callback) = self.callbacks().signed_in {
            callback.run(session);
        }
    }

    fn fail(self, failure: Failure) {
        let (message, code) = match failure {
            Failure::Browser(e) => match catalog::browser_error(e) {
                Some(message) => (message, browser_code(e)),
                None => return self.set_busy(None),
            },
            Failure::Api(ApiError::Network) => (catalog::api_error(ApiError::Network), "network"),
            Failure::Api(ApiError::Server(code)) => (catalog::server_error(code), code.as_str()),
        };
        let offer_log_in = matches!(
            failure,
            Failure::Api(ApiError::Server(ErrorCode::EmailTaken | ErrorCode::CredentialExists))
                | Failure::Browser(BrowserError::InvalidState)
        );
        if matches!(failure, Failure::Api(ApiError::Server(ErrorCode::CeremonyUnknown | ErrorCode::CeremonyExpired))) {
            self.inner.update_value(|i| i.sign_up = None);
        }
        self.show(Problem { message, offer_log_in }, code);
    }

    fn show(self, problem: Problem, code: &'static str) {
        self.status.set(Status { busy: None, problem: Some(problem) });
        if let Some(callback) = self.callbacks().error {
            callback.run(ErrorReport { code, message: problem.message });
        }
    }
}

impl Flow {
    /// Tells the page about a browser condition the screen already explains.
    fn report(self, error: BrowserError) {
        if let (Some(callback), Some(message)) = (self.callbacks().error, catalog::browser_error(error)) {
            callback.run(ErrorReport { code: browser_code(error), message });
        }
    }
}

fn browser_code(error: BrowserError) -> &'static str {
    match error {
        BrowserError::NotAllowed => "not_allowed",
        BrowserError::Abort => "aborted",
        BrowserError::InvalidState => "invalid_state",
        BrowserError::Security => "security",
        BrowserError::NotSupported => "not_supported",
        BrowserError::Unavailable => "unavailable",
        BrowserError::Other => "browser_error",
    }
}
