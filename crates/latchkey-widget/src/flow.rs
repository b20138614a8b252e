//! The login flow: which screen shows, what is busy, and the ceremonies that move between screens.
//!
//! The state is deliberately few types: one signal for the screen, one for the status line, and one
//! non-reactive store for the rest. Every distinct signal or future type costs the widget code size
//! (see BENCHMARKS.md), so futures are boxed once in [`spawn`] and inputs are read on submit.

use std::{future::Future, pin::Pin};

use latchkey_proto::{ErrorCode, Next, SessionInfo, is_plausible_email, paths};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal, HtmlElement};

use crate::{
    api::{ApiError, Ceremony, Server, Step, ceremony_from, step_from},
    catalog,
    js::{member, object},
    webauthn::{self, BrowserError, Capabilities, Mediation},
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
    /// "Welcome": email (with passkey autofill), "Continue", "Continue with a passkey".
    SignIn,
    /// "Create your account": the email step.
    SignUp,
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
    /// The identifier-first or second-factor ceremony of the passkey step, kept for "Try again".
    step: Option<Ceremony>,
    /// The second-factor enrollment's ceremony ID, which stands in for a session.
    marker: Option<String>,
    /// The session of a sign-in whose journey goes on (a passkey offer, naming), announced at its end.
    session: Option<SessionInfo>,
    /// The passkey just created, for "Name your passkey": its ID and suggested name.
    passkey: Option<(f64, String)>,
    /// A reset link's token.
    token: Option<String>,
    /// The session the signed-in screen shows.
    shown: Option<SessionInfo>,
    /// The last password or passkey name submitted; cleared once used.
    input: String,
    /// What the browser can do.
    capabilities: Capabilities,
    /// The policy's passkey prompt on the sign-in screen when it is only one: `b'a'` for autofill, `b'b'`
    /// for the button; 0 for both.
    challenge_ui: u8,
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
    pub(crate) fn new(api: &str, app_name: String, callbacks: Callbacks) -> Self {
        let inner = Inner {
            id: next_widget_id(),
            app_name,
            email: String::new(),
            server: Server::new(api),
            callbacks,
            sign_up: None,
            step: None,
            marker: None,
            session: None,
            passkey: None,
            token: None,
            shown: None,
            input: String::new(),
            capabilities: Capabilities::default(),
            challenge_ui: 0,
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

    /// "Sign up": the sign-up screen, with the email as typed.
    pub(crate) fn go_sign_up(self) {
        self.abort_ceremony();
        self.go(Screen::SignUp);
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

    /// Keeps a submitted password or passkey name until the request that needs it.
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

    /// Opens the first screen: a reset link's new-password screen, else the signed-in one if a session
    /// exists, else `mode`'s. The page keeps its focus on this first render.
    pub(crate) fn open(self, mode: Mode) {
        if !webauthn::is_available() {
            self.screen.set(Screen::Unsupported);
            self.report(BrowserError::Unavailable);
            return;
        }
        let token = take_reset_token();
        spawn(async move {
            let capabilities = webauthn::capabilities().await;
            let Ok(server) = self.server() else { return };
            self.inner.update_value(|i| i.capabilities = capabilities);
            let session = server.session().await.map(|(session, challenge_ui)| {
                let only = match challenge_ui.as_str() {
                    "autofill" => b'a',
                    "button" => b'b',
                    _ => 0,
                };
                self.inner.update_value(|i| i.challenge_ui = only);
                session
            });
            let first = match (token, session) {
                (Some(token), _) => {
                    self.inner.update_value(|i| i.token = Some(token));
                    Screen::NewPassword { reset: true }
                }
                (None, Ok(Some(session))) => {
                    self.inner.update_value(|i| i.shown = Some(session));
                    Screen::SignedIn
                }
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

    /// Cancels ceremony `generation` if it is still the one in flight.
    fn abort_if_current(self, generation: u32) {
        if self.inner.try_with_value(|i| i.generation == generation).unwrap_or(false) {
            self.abort_ceremony();
        }
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
                let start = Begin::Start(paths::SIGN_IN_START, object(&[]));
                self.ceremony(start, Kind::Get(Mediation::Conditional), paths::SIGN_IN_FINISH, after_autofill);
            }
        });
    }

    /// "Continue with a passkey": a modal passkey prompt.
    pub(crate) fn sign_in_with_prompt(self) {
        self.modal_sign_in(false);
    }

    /// "Use a passkey from another device": the prompt with `hints: ["hybrid"]` (a QR code).
    pub(crate) fn sign_in_on_other_device(self) {
        self.modal_sign_in(true);
    }

    fn modal_sign_in(self, other_device: bool) {
        let start = Begin::Start(paths::SIGN_IN_START, object(&[("otherDevice", &other_device.into())]));
        self.ceremony(start, Kind::Get(Mediation::Modal), paths::SIGN_IN_FINISH, after_modal_sign_in);
    }

    /// Runs one WebAuthn ceremony: the options (from the server, or kept from earlier), the browser's
    /// `create` or `get`, and the finish at `finish`; `then` gets the outcome. Every ceremony shares this
    /// one future, which keeps the widget small.
    fn ceremony(self, begin: Begin, kind: Kind, finish: &'static str, then: fn(Flow, Result<Step, Failure>)) {
        let modal = !matches!(kind, Kind::Get(Mediation::Conditional) | Kind::Create(Mediation::Conditional));
        if modal {
            self.status.set(Status { busy: Some(catalog::WORKING), ..Status::default() });
        }
        // A kept sign-up ceremony goes back if the browser step fails: nothing reached the server.
        let restore = matches!(begin, Begin::Have(_)) && finish == paths::SIGN_UP_FINISH;
        spawn(async move {
            let outcome = async {
                let server = self.server()?;
                let ceremony = match begin {
                    Begin::Have(ceremony) => ceremony,
                    Begin::Start(path, body) => ceremony_from(&server.post(path, &body).await?)?,
                };
                let (signal, generation) = self.new_ceremony()?;
                let credential = match kind {
                    Kind::Get(mediation) => {
                        let options = webauthn::request_options(&ceremony.public_key)?;
                        if modal {
                            self.set_busy(Some(catalog::WAITING_FOR_PASSKEY));
                        }
                        webauthn::get_assertion(&options, mediation, &signal).await
                    }
                    Kind::Create(mediation) => {
                        let options = webauthn::creation_options(&ceremony.public_key)?;
                        if modal {
                            self.set_busy(Some(catalog::WAITING_FOR_PASSKEY));
                        } else {
                            let give_up = move || self.abort_if_current(generation);
                            set_timeout(give_up, std::time::Duration::from_millis(AUTOMATIC_UPGRADE_MS));
                        }
                        webauthn::create(&options, mediation, &signal).await
                    }
                };
                self.end_ceremony(generation);
                if credential.is_err() && restore {
                    self.inner.update_value(|i| i.sign_up = Some(ceremony.clone()));
                }
                let credential = credential?;
                self.set_busy(Some(catalog::WORKING));
                let answer = server.post(finish, &finish_body(&ceremony.id, &credential)).await;
                if answer == Err(ApiError::Server(ErrorCode::CredentialUnknown)) {
                    webauthn::signal_unknown_credential(
                        &member(&ceremony.public_key, "rpId"),
                        &member(&credential, "id"),
                    );
                }
                let step = step_from(&answer?)?;
                // A new passkey is named next; a second-factor enrollment also brought the session.
                if step.passkey.is_some() {
                    self.inner.update_value(|i| {
                        i.passkey = step.passkey.clone();
                        i.marker = None;
                        i.session = step.session.clone().or(i.session.take());
                    });
                }
                Ok(step)
            };
            then(self, outcome.await);
        });
    }

    /// Posts `body` to `path` with progress shown, and hands the answer to `then`; every request that
    /// is not a ceremony shares this one future.
    fn post(self, path: &'static str, body: JsValue, then: fn(Flow, JsValue)) {
        self.run(Box::pin(async move {
            let answer = self.server()?.post(path, &body).await?;
            then(self, answer);
            Ok(())
        }));
    }

    /// Shows progress while `step` runs, and explains its failure if it fails.
    fn run(self, step: Pin<Box<dyn Future<Output = Result<(), Failure>>>>) {
        self.status.set(Status { busy: Some(catalog::WORKING), ..Status::default() });
        spawn(async move {
            if let Err(failure) = step.await {
                self.fail(failure);
            }
        });
    }

    /// "Continue" on the sign-in screen: identifier-first. An account with passkeys gets the prompt for
    /// them at once; one without gets the password field.
    pub(crate) fn continue_sign_in(self) {
        let Some(email) = self.checked_email() else { return };
        self.post(paths::IDENTIFY, email_body(&email), |flow, answer| {
            match ceremony_from(&member(&answer, "passkey")) {
                Ok(ceremony) => {
                    flow.inner.update_value(|i| i.step = Some(ceremony));
                    flow.passkey_step(false);
                }
                Err(_) => flow.go(Screen::Password),
            }
        });
    }

    /// Shows the passkey step and opens its prompt.
    fn passkey_step(self, second_factor: bool) {
        self.go(Screen::PasskeyStep { second_factor });
        self.retry_passkey_step();
    }

    /// "Try again" on the passkey step: the same ceremony while the server has not seen an answer to it
    /// (a cancelled prompt); once it has (the server uses a ceremony up at its first answer), a new one:
    /// identifier-first again, or, for a second factor, the password again.
    pub(crate) fn retry_passkey_step(self) {
        let Some(ceremony) = self.inner.try_with_value(|i| i.step.clone()).flatten() else {
            return match self.screen.get_untracked() {
                Screen::PasskeyStep { second_factor: true } => self.go(Screen::Password),
                _ => self.continue_sign_in(),
            };
        };
        self.ceremony(Begin::Have(ceremony), Kind::Get(Mediation::Modal), paths::VERIFY_PASSKEY, |flow, outcome| {
            if !matches!(outcome, Err(Failure::Browser(_))) {
                flow.inner.update_value(|i| i.step = None);
            }
            flow.follow_or_fail(outcome);
        });
    }

    /// "Continue" on the password screen.
    pub(crate) fn password_sign_in(self) {
        self.with_password(paths::PASSWORD_SIGN_IN);
    }

    fn with_password(self, path: &'static str) {
        let password = self.take_input();
        if password.is_empty() {
            return self.show(Problem { message: catalog::ENTER_A_PASSWORD, offer_log_in: false }, "invalid_password");
        }
        let body = object(&[("email", &JsValue::from_str(self.email().trim())), ("password", &password.into())]);
        self.post(path, body, |flow, answer| flow.follow_or_fail(step_from(&answer).map_err(Failure::Api)));
    }

    fn follow_or_fail(self, outcome: Result<Step, Failure>) {
        match outcome {
            Ok(step) => self.follow(step),
            Err(failure) => self.fail(failure),
        }
    }

    /// Goes where a sign-in step leads: signed in, a passkey offer, or the second factor.
    fn follow(self, step: Step) {
        if let Some(session) = step.session {
            self.inner.update_value(|i| i.session = Some(session));
        }
        match step.next {
            Next::Done => self.finish_journey(),
            Next::OfferPasskey => self.offer_passkey(),
            Next::OfferLocalPasskey => self.go(Screen::CreatePasskey(Purpose::Local)),
            Next::SecondFactor => {
                self.inner.update_value(|i| i.step = step.ceremony);
                self.passkey_step(true);
            }
            Next::EnrollSecondFactor => {
                self.inner.update_value(|i| i.marker = step.ceremony.map(|c| c.id));
                self.go(Screen::CreatePasskey(Purpose::SecondFactor));
            }
        }
    }

    /// Progressive enrollment: first an automatic upgrade where the browser can do one (the password
    /// manager that just filled the password saves a passkey without a prompt), then, if that does not
    /// finish within [`AUTOMATIC_UPGRADE_MS`], the consent screen.
    fn offer_passkey(self) {
        if !self.inner.try_with_value(|i| i.capabilities.conditional_create).unwrap_or(false) {
            return self.go(Screen::CreatePasskey(Purpose::Upgrade));
        }
        self.set_busy(Some(catalog::SAVING_PASSKEY));
        self.add_passkey(Mediation::Conditional, false, |flow, outcome| match outcome {
            Ok(_) => flow.finish_journey(),
            // The person is still waiting on the password screen: ask them.
            Err(_) if matches!(flow.screen.get_untracked(), Screen::Password) => {
                flow.go(Screen::CreatePasskey(Purpose::Upgrade));
            }
            // They moved on meanwhile; they are signed in all the same, so say so.
            Err(_) => flow.finish_journey(),
        });
    }

    /// Creates a passkey for the account signed in (or, under the second-factor policy, being signed in).
    fn add_passkey(self, mediation: Mediation, other_device: bool, then: fn(Flow, Result<Step, Failure>)) {
        let marker = self.inner.try_with_value(|i| i.marker.clone()).flatten();
        let body = object(&[
            ("conditional", &(mediation == Mediation::Conditional).into()),
            ("otherDevice", &other_device.into()),
            ("ceremony", &marker.map_or(JsValue::UNDEFINED, |m| m.into())),
        ]);
        let start = Begin::Start(paths::PASSKEY_ADD_START, body);
        self.ceremony(start, Kind::Create(mediation), paths::PASSKEY_ADD_FINISH, then);
    }

    /// "Use your password instead", from the passkey step.
    pub(crate) fn use_password(self) {
        self.abort_ceremony();
        self.go(Screen::Password);
    }

    /// "Use another account" / "Back to log in": the first screen, with the email as typed.
    pub(crate) fn back_to_sign_in(self) {
        self.abort_ceremony();
        self.inner.update_value(|i| {
            i.step = None;
            i.marker = None;
            i.token = None;
        });
        self.go(Screen::SignIn);
    }

    /// "Forgot password?".
    pub(crate) fn forgot_password(self) {
        self.go(Screen::Forgot);
    }

    /// "Send reset link". The answer is the same whether or not the email has an account.
    pub(crate) fn send_reset_link(self) {
        let Some(email) = self.checked_email() else { return };
        self.post(paths::PASSWORD_FORGOT, email_body(&email), |flow, _| flow.go(Screen::ForgotSent));
    }

    /// "Continue without a passkey": a password instead.
    pub(crate) fn without_passkey(self) {
        self.abort_ceremony();
        self.go(Screen::NewPassword { reset: false });
    }

    /// "Create account" / "Save password" on the new-password screen.
    pub(crate) fn save_password(self) {
        if !matches!(self.screen.get_untracked(), Screen::NewPassword { reset: true }) {
            return self.with_password(paths::PASSWORD_SIGN_UP);
        }
        let token = self.inner.try_with_value(|i| i.token.clone()).flatten().unwrap_or_default();
        let body = object(&[("token", &token.into()), ("password", &self.take_input().into())]);
        self.post(paths::PASSWORD_RESET, body, |flow, _| {
            flow.inner.update_value(|i| i.token = None);
            flow.go(Screen::SignIn);
            flow.status.update(|s| s.notice = Some(catalog::PASSWORD_CHANGED));
        });
    }

    /// "Not now": the offer comes back after the policy's snooze.
    pub(crate) fn not_now(self) {
        self.post(paths::PASSKEY_DECLINE, object(&[("forever", &false.into())]), Flow::after_request);
    }

    /// "Don't ask again".
    pub(crate) fn dont_ask_again(self) {
        self.post(paths::PASSKEY_DECLINE, object(&[("forever", &true.into())]), Flow::after_request);
    }

    /// "Submit" on the naming screen.
    pub(crate) fn save_passkey_name(self) {
        let id = self.inner.try_with_value(|i| i.passkey.as_ref().map(|p| p.0)).flatten().unwrap_or_default();
        let body = object(&[("id", &id.into()), ("name", &self.take_input().trim().into())]);
        self.post(paths::PASSKEY_RENAME, body, Flow::after_request);
    }

    /// "Skip" on the naming screen: the suggested name stays.
    pub(crate) fn skip_passkey_name(self) {
        self.finish_journey();
    }

    fn after_request(self, _answer: JsValue) {
        self.finish_journey();
    }

    /// The email typed, if it looks like one; otherwise says so.
    fn checked_email(self) -> Option<String> {
        let email = self.email().trim().to_owned();
        if is_plausible_email(&email) {
            return Some(email);
        }
        self.show(Problem { message: catalog::CHECK_EMAIL, offer_log_in: false }, "invalid_email");
        None
    }

    /// Ends a sign-in journey: the session that started is shown and announced.
    fn finish_journey(self) {
        let session = self.inner.try_update_value(|i| {
            i.passkey = None;
            i.session.take()
        });
        match session.flatten() {
            Some(session) => self.signed_in(session),
            None => self.set_busy(None),
        }
    }

    /// "Continue" on the sign-up screen: checks the email and starts the sign-up ceremony, so the next
    /// screen's button can open the browser prompt at once, inside the click's user activation.
    pub(crate) fn continue_sign_up(self) {
        let Some(email) = self.checked_email() else { return };
        self.post(paths::SIGN_UP_START, email_body(&email), |flow, answer| match ceremony_from(&answer) {
            Ok(ceremony) => {
                flow.inner.update_value(|i| i.sign_up = Some(ceremony));
                flow.go(Screen::CreatePasskey(Purpose::SignUp));
            }
            Err(e) => flow.fail(e.into()),
        });
    }

    /// "Create a new passkey" / "Create a passkey": the browser prompt, then the account or the new
    /// passkey, for whichever reason the screen shows.
    pub(crate) fn create_passkey(self) {
        self.create_passkey_on(false);
    }

    /// "Try another way": the same, on another device (a phone, through a QR code).
    pub(crate) fn create_passkey_elsewhere(self) {
        self.create_passkey_on(true);
    }

    fn create_passkey_on(self, other_device: bool) {
        let Screen::CreatePasskey(purpose) = self.screen.get_untracked() else { return };
        if purpose != Purpose::SignUp {
            return self.add_passkey(Mediation::Modal, other_device, |flow, outcome| match outcome {
                Ok(_) => flow.go(Screen::NamePasskey),
                Err(failure) => flow.fail(failure),
            });
        }
        // The kept ceremony is for this device; another device needs options of its own.
        let kept = if other_device { None } else { self.inner.try_update_value(|i| i.sign_up.take()).flatten() };
        let begin = match kept {
            Some(ceremony) => Begin::Have(ceremony),
            None => {
                let email = JsValue::from_str(self.email().trim());
                Begin::Start(paths::SIGN_UP_START, object(&[("email", &email), ("otherDevice", &other_device.into())]))
            }
        };
        self.ceremony(begin, Kind::Create(Mediation::Modal), paths::SIGN_UP_FINISH, Flow::follow_or_fail);
    }

    /// "Go back" from the create-passkey or create-password screen; the email stays as typed.
    pub(crate) fn back_to_sign_up(self) {
        self.abort_ceremony();
        self.inner.update_value(|i| i.sign_up = None);
        self.go(Screen::SignUp);
    }

    /// "Sign out".
    pub(crate) fn sign_out(self) {
        self.post(paths::SIGN_OUT, JsValue::UNDEFINED, |flow, _| {
            flow.go(Screen::SignIn);
            if let Some(callback) = flow.callbacks().signed_out {
                callback.run(());
            }
        });
    }

    fn signed_in(self, session: SessionInfo) {
        self.abort_ceremony();
        self.inner.update_value(|i| i.shown = Some(session.clone()));
        self.go(Screen::SignedIn);
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
            Failure::Api(error @ ApiError::RateLimited(_)) => (catalog::api_error(error), "rate_limited"),
        };
        let offer_log_in = matches!(
            failure,
            Failure::Api(ApiError::Server(
                ErrorCode::EmailTaken | ErrorCode::CredentialExists | ErrorCode::NotSignedIn
            )) | Failure::Browser(BrowserError::InvalidState)
        );
        if matches!(failure, Failure::Api(ApiError::Server(ErrorCode::CeremonyUnknown | ErrorCode::CeremonyExpired))) {
            self.inner.update_value(|i| {
                i.sign_up = None;
                i.step = None;
                i.marker = None;
            });
        }
        self.show(Problem { message, offer_log_in }, code);
    }

    fn show(self, problem: Problem, code: &'static str) {
        self.status.set(Status { problem: Some(problem), ..Status::default() });
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

/// Where a ceremony's options come from.
enum Begin {
    /// Options the server sent earlier (a started sign-up, the passkey step).
    Have(Ceremony),
    /// Options to ask for: the start endpoint and its body.
    Start(&'static str, JsValue),
}

/// The browser call of a ceremony.
#[derive(Clone, Copy)]
enum Kind {
    /// `navigator.credentials.get`.
    Get(Mediation),
    /// `navigator.credentials.create`.
    Create(Mediation),
}

/// After an autofill sign-in: requests end quietly when the person dismisses them or another
/// ceremony starts.
fn after_autofill(flow: Flow, outcome: Result<Step, Failure>) {
    match outcome {
        Err(Failure::Browser(BrowserError::NotAllowed | BrowserError::Abort)) => {}
        outcome => flow.follow_or_fail(outcome),
    }
}

/// After a modal sign-in: a cancelled or failed prompt offers the passkeys in autofill again.
fn after_modal_sign_in(flow: Flow, outcome: Result<Step, Failure>) {
    let failed = outcome.is_err();
    flow.follow_or_fail(outcome);
    if failed && flow.is_signing_in() {
        flow.arm_autofill();
    }
}

fn email_body(email: &str) -> JsValue {
    object(&[("email", &JsValue::from_str(email))])
}

fn finish_body(ceremony: &str, credential: &JsValue) -> JsValue {
    object(&[("ceremony", &JsValue::from_str(ceremony)), ("credential", credential)])
}

/// How long an automatic passkey upgrade may take before the consent screen shows instead.
const AUTOMATIC_UPGRADE_MS: u64 = 3000;

/// Takes `#latchkey-reset=TOKEN` off the page's URL (so it is neither bookmarked nor sent on as a
/// referrer) and returns the token.
fn take_reset_token() -> Option<String> {
    let location = member(&js_sys::global(), "location");
    let token = member(&location, "hash").as_string()?.strip_prefix("#latchkey-reset=")?.to_owned();
    let history = member(&js_sys::global(), "history");
    let plain = [member(&location, "pathname"), member(&location, "search")]
        .map(|v| v.as_string().unwrap_or_default())
        .concat();
    if let Ok(replace) = member(&history, "replaceState").dyn_into::<js_sys::Function>() {
        let _ = replace.call3(&history, &JsValue::NULL, &JsValue::from_str(""), &JsValue::from_str(&plain));
    }
    Some(token)
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
