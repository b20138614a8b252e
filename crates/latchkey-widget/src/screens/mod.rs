//! The screens: each one is described as data ([`Page`]) and drawn by the one renderer below, and the
//! root component switches between them.
//!
//! Describing screens as data is a size decision: a Leptos view tree compiles to its own code, so a
//! dozen hand-written screens would cost the widget a dozen trees, where pages cost only their strings.
//! The sign-in screen's page is built here, in the first chunk; every other one in [`journeys`], which
//! loads with the rest of the journeys when the person first acts.

pub(crate) mod journeys;

use latchkey_proto::SessionInfo;
use leptos::{either::Either, ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsValue;

use crate::{
    catalog::{self, Lang, around},
    flow::{Callbacks, ErrorReport, Flow, Mode},
    js::member,
};

/// The passkey login widget: sign-in with autofill, identifier-first sign-in, sign-up with a passkey
/// or a password, passkey enrollment, and the signed-in state.
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
    /// Called with the session once a sign-in or sign-up journey ends (after any passkey offer).
    /// Default: none.
    #[prop(optional, into)]
    on_signed_in: Option<Callback<SessionInfo>>,
    /// Called after a sign-out. Default: none.
    #[prop(optional, into)]
    on_signed_out: Option<Callback<()>>,
    /// Called with every failure the person is told about. Default: none.
    #[prop(optional, into)]
    on_error: Option<Callback<ErrorReport>>,
    /// Called as each step the server records in its event log happens, with the event's code
    /// (`sign_up`, `sign_in`, `sign_out`, `enrollment_complete`, `passkey_added`, `passkey_renamed`,
    /// `password_reset`; `docs/EVENTS.md`) and a detail: `{ methods }` for the first two, `{ passkey,
    /// name }` for the passkey events, else `null`. Default: none.
    #[prop(optional, into)]
    on_event: Option<Callback<(&'static str, JsValue)>>,
    /// The language to speak, a BCP 47 tag (`de`, `pt-BR`, `ar`; `catalog::LANGUAGES` lists them).
    /// Default: the document's `lang`, else the browser's languages; English when the widget speaks
    /// none of them.
    #[prop(optional, into)]
    locale: String,
    /// Where the language files are (`dist/i18n/` as `scripts/build-widget` makes it). Default: `i18n/`
    /// at `api`.
    #[prop(optional, into)]
    languages: String,
) -> impl IntoView {
    let callbacks = Callbacks { signed_in: on_signed_in, signed_out: on_signed_out, error: on_error, event: on_event };
    let language = catalog::choose(&catalog::preferred_languages(&locale));
    // English is built in; another language's file is fetched as the widget opens.
    let file = (language != "en").then_some(catalog::LanguageFile { language, at: languages });
    let flow = Flow::new(&api, app_name, callbacks, file);
    flow.open(mode);
    on_cleanup(move || flow.abort_ceremony());
    // Each screen gets new elements: rebuilt in place, a password field would be the email field
    // before it, with the email typed into it. Alternating between the two sides of an `Either` makes
    // Leptos drop the old screen and build the new one, for less code than a keyed list.
    let mut odd = false;
    let screen = move || {
        flow.screen.track();
        odd = !odd;
        let view = render(flow, flow.take_page().unwrap_or_else(|| Page::new("")));
        if odd { Either::Left(view) } else { Either::Right(view) }
    };
    // The rest of the widget is fetched as soon as the person turns to it, not before.
    view! {
        <section class="latchkey" lang=language on:focusin=move |_| flow.prefetch_later() on:pointerdown=move |_| flow.prefetch_later()>
            {screen}
            <p class="lk-status" role="status">{move || flow.status.with(|s| s.busy.or(s.notice))}</p>
            {problem(flow)}
        </section>
    }
}

/// An action a button runs.
type Action = fn(Flow);

/// What one screen shows.
pub(crate) struct Page {
    /// The heading, which takes focus when the screen appears.
    title: String,
    /// The line under the heading: plain text, then a part in bold (an email, a name).
    lead: Option<(String, String)>,
    /// A paragraph of explanation.
    note: Option<String>,
    /// What a passkey gives, when the screen lists it.
    benefits: Option<[&'static str; 3]>,
    /// The one input, if any.
    field: Option<Field>,
    /// The buttons; the first is the form's submit button.
    actions: Vec<(&'static str, Action)>,
    /// "Don't have an account? Sign up" and its reverse.
    switch: Option<(&'static str, &'static str, Action)>,
}

/// A screen's input.
struct Field {
    /// The control's name: `email`, `password`, `code` or `name`; submitting stores its value under it.
    name: &'static str,
    /// The input type.
    kind: &'static str,
    /// Its `autocomplete` tokens: `username webauthn` arms passkey autofill (conditional mediation).
    autocomplete: &'static str,
    label: &'static str,
    value: String,
}

impl Page {
    fn new(title: impl Into<String>) -> Self {
        Self { title: title.into(), lead: None, note: None, benefits: None, field: None, actions: vec![], switch: None }
    }

    fn lead(mut self, text: impl Into<String>, bold: String) -> Self {
        self.lead = Some((text.into(), bold));
        self
    }

    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    fn field(
        mut self,
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        autocomplete: &'static str,
        value: String,
    ) -> Self {
        self.field = Some(Field { name, label, kind, autocomplete, value });
        self
    }

    fn action(mut self, label: &'static str, action: Action) -> Self {
        self.actions.push((label, action));
        self
    }

    /// Adds an action only when `shown`.
    fn action_if(self, shown: bool, label: &'static str, action: Action) -> Self {
        if shown { self.action(label, action) } else { self }
    }
}

/// The sign-in screen: the email field (with passkeys in its autofill unless the policy's `challenge_ui`
/// says button only), "Continue", and the passkey buttons unless it says autofill only.
pub(crate) fn sign_in_page(flow: Flow) -> Page {
    let t = flow.lang();
    let autofill = flow.policy_allows(b'a');
    let button = flow.policy_allows(b'b');
    let mut page = Page::new(t.welcome())
        .lead(around(t.log_in_to(), &flow.app_name()), String::new())
        .field("email", t.email_label(), "email", if autofill { "username webauthn" } else { "username" }, flow.email())
        .action(t.continue_button(), Flow::continue_sign_in)
        .action_if(button, t.continue_with_passkey(), Flow::sign_in_with_prompt)
        .action_if(button && flow.offers_other_device(), t.passkey_from_other_device(), Flow::sign_in_on_other_device);
    page.switch = Some((t.no_account(), t.sign_up(), Flow::go_sign_up));
    page
}

/// The screen of a browser without WebAuthn.
pub(crate) fn unsupported_page(t: Lang) -> Page {
    Page::new(t.unsupported_title()).note(t.unsupported_body())
}

/// Draws a page.
fn render(flow: Flow, page: Page) -> impl IntoView {
    let Page { title, lead, note, benefits, field, actions, switch } = page;
    let submit = actions.first().map(|action| action.1);
    view! {
        <h2 class="lk-title" tabindex="-1" id=flow.heading_id()>{title}</h2>
        {lead.map(|(text, bold)| view! { <p class="lk-subtitle">{text}<strong>{bold}</strong></p> })}
        {note.map(|note| view! { <p class="lk-note">{note}</p> })}
        {benefits.map(|benefits| view! {
            <ul class="lk-benefits">{benefits.map(|benefit| view! { <li>{benefit}</li> })}</ul>
        })}
        <form class="lk-form" on:submit=on_submit(flow, submit) novalidate>
            {field.map(|field| field_view(flow, field))}
            {actions.into_iter().enumerate().map(|(index, (label, action))| button(flow, index == 0, label, action)).collect_view()}
        </form>
        {switch.map(|(question, label, action)| view! { <p class="lk-switch">{question} " " {link(flow, label, action)}</p> })}
    }
}

/// The input with its label. A password field carries the account's email in a hidden `username`
/// field, so password managers save and fill the pair.
fn field_view(flow: Flow, field: Field) -> impl IntoView {
    let is_email = field.name == "email";
    let username = (field.name == "password").then(|| {
        view! { <input type="email" name="username" autocomplete="username" value=flow.email() hidden /> }
    });
    view! {
        {username}
        <label class="lk-label">
            {field.label}
            <input class="lk-input" type=field.kind name=field.name autocomplete=field.autocomplete
                inputmode=(field.name == "code").then_some("numeric") value=field.value aria-describedby=flow.problem_id()
                on:input=move |event| if is_email { flow.remember_email(event_target_value(&event)) } />
        </label>
    }
}

/// A button: the first of a page submits its form (so Enter runs it); the others run their action.
fn button(flow: Flow, primary: bool, label: &'static str, action: Action) -> impl IntoView {
    let kind = if primary { "submit" } else { "button" };
    let class = if primary { "lk-primary" } else { "lk-secondary" };
    view! {
        <button type=kind class=class disabled=move || primary && flow.status.with(|s| s.busy.is_some())
            on:click=move |_| if !primary { action(flow) }>
            {label}
        </button>
    }
}

/// A button that looks like a link, for the ways between screens ("Sign up", "Log in").
fn link(flow: Flow, label: &'static str, action: Action) -> impl IntoView {
    view! { <button type="button" class="lk-link" on:click=move |_| action(flow)>{label}</button> }
}

/// Handles a form's submit: keeps what was typed (the controls named `email`, `password`, `code` and
/// `name`), then runs the page's first action.
fn on_submit(flow: Flow, submit: Option<Action>) -> impl Fn(SubmitEvent) {
    move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let value = |name| member(&member(&form, name), "value").as_string();
        if let Some(email) = value("email") {
            flow.remember_email(email);
        }
        if let Some(input) = value("password").or_else(|| value("code")).or_else(|| value("name")) {
            flow.remember_input(input);
        }
        if let Some(action) = submit {
            action(flow);
        }
    }
}

/// The message of the last failure, announced as it appears, with its way forward.
fn problem(flow: Flow) -> impl IntoView {
    view! {
        <div class="lk-problem" role="alert" id=flow.problem_id()>
            {move || flow.status.with(|s| s.problem).map(|problem| view! {
                <p class="lk-error">{problem.message}</p>
                {problem.offer_log_in.then(|| link(flow, flow.lang().log_in(), Flow::back_to_sign_in))}
            })}
        </div>
    }
}
