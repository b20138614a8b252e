//! The screens, as components named after what the person sees, and the root that switches them.

use latchkey_proto::SessionInfo;
use leptos::{ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsValue;

use crate::{
    catalog,
    flow::{Callbacks, ErrorReport, Flow, Mode, Screen},
    js::member,
};

/// The passkey login widget: sign-in with autofill, sign-up with a passkey, and the signed-in state.
#[component]
pub fn LatchkeyLogin(
    /// The app's name, shown in headings ("Log in to {app} to continue").
    #[prop(into)]
    app_name: String,
    /// Base URL of the Latchkey server. Default: the page's own origin.
    #[prop(optional, into)]
    api: String,
    /// The screen to open on when nobody is signed in. Default: [`Mode::SignIn`].
    #[prop(optional)]
    mode: Mode,
    /// Called with the session after a sign-in or sign-up. Default: none.
    #[prop(optional, into)]
    on_signed_in: Option<Callback<SessionInfo>>,
    /// Called after a sign-out. Default: none.
    #[prop(optional, into)]
    on_signed_out: Option<Callback<()>>,
    /// Called with every failure the person is told about. Default: none.
    #[prop(optional, into)]
    on_error: Option<Callback<ErrorReport>>,
) -> impl IntoView {
    let callbacks = Callbacks { signed_in: on_signed_in, signed_out: on_signed_out, error: on_error };
    let flow = Flow::new(&api, app_name, callbacks);
    flow.open(mode);
    on_cleanup(move || flow.abort_ceremony());
    view! {
        <section class="latchkey">
            {move || match flow.screen.get() {
                Screen::Loading => view! { <p class="lk-status">{catalog::LOADING}</p> }.into_any(),
                Screen::SignIn => sign_in_screen(flow).into_any(),
                Screen::SignUp => sign_up_screen(flow).into_any(),
                Screen::CreatePasskey => create_passkey_screen(flow).into_any(),
                Screen::SignedIn(session) => signed_in_screen(flow, session).into_any(),
                Screen::Unsupported => unsupported_screen(flow).into_any(),
            }}
            <p class="lk-status" role="status">{move || flow.status.with(|s| s.busy)}</p>
            {problem(flow)}
        </section>
    }
}

// The screens below are plain functions of the flow rather than `#[component]`s: they take no props
// a page sets, and each component wrapper and context lookup adds code to every page's WASM.

/// The screen's heading; [`Flow::go`] moves focus to it when the person arrives from another screen.
fn heading(flow: Flow, text: String) -> impl IntoView {
    view! { <h2 class="lk-title" tabindex="-1" id=flow.heading_id()>{text}</h2> }
}

/// The message of the last failure, announced as it appears, with its way forward.
fn problem(flow: Flow) -> impl IntoView {
    view! {
        <div class="lk-problem" role="alert" id=flow.problem_id()>
            {move || flow.status.with(|s| s.problem).map(|problem| view! {
                <p class="lk-error">{problem.message}</p>
                {problem.offer_log_in.then(|| view! {
                    <button type="button" class="lk-link" on:click=move |_| flow.go(Screen::SignIn)>
                        {catalog::LOG_IN}
                    </button>
                })}
            })}
        </div>
    }
}

fn is_busy(flow: Flow) -> impl Fn() -> bool + Copy {
    move || flow.status.with(|s| s.busy.is_some())
}

fn around(parts: (&str, &str), middle: &str) -> String {
    [parts.0, middle, parts.1].concat()
}

/// Handles a form's submit: keeps the typed email (the form's `email` control), then runs `then`.
fn on_submit(flow: Flow, then: fn(Flow)) -> impl Fn(SubmitEvent) {
    move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        flow.remember_email(member(&member(&form, "email"), "value").as_string().unwrap_or_default());
        then(flow);
    }
}

/// The email field; `webauthn` in its autocomplete makes it offer passkeys (conditional mediation).
fn email_field(flow: Flow, autocomplete: &'static str, required: bool) -> impl IntoView {
    view! {
        <label class="lk-label">
            {catalog::EMAIL_LABEL}
            <input class="lk-input" type="email" name="email" autocomplete=autocomplete required=required
                value=flow.email() aria-describedby=flow.problem_id() />
        </label>
    }
}

/// The email form both entry screens share: the field, then one submit button running `then`.
fn email_form(
    flow: Flow,
    autocomplete: &'static str,
    required: bool,
    submit: &'static str,
    then: fn(Flow),
) -> impl IntoView {
    view! {
        <form class="lk-form" on:submit=on_submit(flow, then) novalidate>
            {email_field(flow, autocomplete, required)}
            <button type="submit" class="lk-primary" disabled=is_busy(flow)>{submit}</button>
        </form>
    }
}

/// "Don't have an account? Sign up" and its reverse: the line that moves between the entry screens.
fn switch_link(flow: Flow, question: &'static str, label: &'static str, to: fn() -> Screen) -> impl IntoView {
    view! {
        <p class="lk-switch">
            {question} " "
            <button type="button" class="lk-link" on:click=move |_| flow.go(to())>{label}</button>
        </p>
    }
}

/// "Welcome": passkeys in the email field's autofill, and a button for the browser's prompt.
fn sign_in_screen(flow: Flow) -> impl IntoView {
    flow.arm_autofill();
    view! {
        {heading(flow, catalog::WELCOME.into())}
        <p class="lk-subtitle">{around(catalog::LOG_IN_TO, &flow.app_name())}</p>
        {email_form(flow, "username webauthn", false, catalog::CONTINUE_WITH_PASSKEY, Flow::sign_in_with_prompt)}
        {switch_link(flow, catalog::NO_ACCOUNT, catalog::SIGN_UP, || Screen::SignUp)}
    }
}

/// "Create your account": the email the account is known by.
fn sign_up_screen(flow: Flow) -> impl IntoView {
    view! {
        {heading(flow, catalog::CREATE_ACCOUNT.into())}
        <p class="lk-subtitle">{around(catalog::SIGN_UP_FOR, &flow.app_name())}</p>
        {email_form(flow, "email", true, catalog::CONTINUE, Flow::continue_sign_up)}
        {switch_link(flow, catalog::HAVE_ACCOUNT, catalog::LOG_IN, || Screen::SignIn)}
    }
}

/// "Create a passkey for {app} on this device?", with what a passkey gives.
fn create_passkey_screen(flow: Flow) -> impl IntoView {
    view! {
        {heading(flow, around(catalog::CREATE_PASSKEY_FOR, &flow.app_name()))}
        <p class="lk-subtitle">{catalog::FOR_ACCOUNT}<strong>{flow.email()}</strong></p>
        <ul class="lk-benefits">
            {catalog::BENEFITS.map(|benefit| view! { <li>{benefit}</li> })}
        </ul>
        <button type="button" class="lk-primary" disabled=is_busy(flow) on:click=move |_| flow.create_passkey()>
            {catalog::CREATE_NEW_PASSKEY}
        </button>
        <button type="button" class="lk-secondary" on:click=move |_| flow.back_to_sign_up()>{catalog::GO_BACK}</button>
    }
}

/// Who is signed in, and the way out.
fn signed_in_screen(flow: Flow, session: SessionInfo) -> impl IntoView {
    let user = session.user;
    let email_if_not_the_name = (user.email != user.display_name).then_some(user.email);
    view! {
        {heading(flow, catalog::SIGNED_IN.into())}
        <p class="lk-subtitle">
            {catalog::SIGNED_IN_AS}<strong class="lk-user">{user.display_name}</strong>
        </p>
        {email_if_not_the_name.map(|email| view! { <p class="lk-email">{email}</p> })}
        <button type="button" class="lk-secondary" disabled=is_busy(flow) on:click=move |_| flow.sign_out()>
            {catalog::SIGN_OUT}
        </button>
    }
}

/// A browser without WebAuthn: say so, and what to do.
fn unsupported_screen(flow: Flow) -> impl IntoView {
    view! {
        {heading(flow, catalog::UNSUPPORTED_TITLE.into())}
        <p class="lk-subtitle">{catalog::UNSUPPORTED_BODY}</p>
    }
}
