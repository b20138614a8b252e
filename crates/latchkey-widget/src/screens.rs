//! The screens: each one is described as data ([`Page`]) and drawn by the one renderer below, and the
//! root component switches between them.
//!
//! Describing screens as data is a size decision: a Leptos view tree compiles to its own code, so a
//! dozen hand-written screens would cost the widget a dozen trees, where pages cost only their strings.

use latchkey_proto::SessionInfo;
use leptos::{either::Either, ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsValue;

use crate::{
    catalog,
    flow::{Callbacks, ErrorReport, Flow, Mode, Purpose, Screen},
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
) -> impl IntoView {
    let callbacks = Callbacks { signed_in: on_signed_in, signed_out: on_signed_out, error: on_error };
    let flow = Flow::new(&api, app_name, callbacks);
    flow.open(mode);
    on_cleanup(move || flow.abort_ceremony());
    // Each screen gets new elements: rebuilt in place, a password field would be the email field
    // before it, with the email typed into it. Alternating between the two sides of an `Either` makes
    // Leptos drop the old screen and build the new one, for less code than a keyed list.
    let mut odd = false;
    let screen = move || {
        odd = !odd;
        let view = render(flow, page(flow, flow.screen.get()));
        if odd { Either::Left(view) } else { Either::Right(view) }
    };
    view! {
        <section class="latchkey">
            {screen}
            <p class="lk-status" role="status">{move || flow.status.with(|s| s.busy.or(s.notice))}</p>
            {problem(flow)}
        </section>
    }
}

/// An action a button runs.
type Action = fn(Flow);

/// What one screen shows.
struct Page {
    /// The heading, which takes focus when the screen appears.
    title: String,
    /// The line under the heading: plain text, then a part in bold (an email, a name).
    lead: Option<(String, String)>,
    /// A paragraph of explanation.
    note: Option<String>,
    /// Whether to list what a passkey gives.
    benefits: bool,
    /// The one input, if any.
    field: Option<Field>,
    /// The buttons; the first is the form's submit button.
    actions: Vec<(&'static str, Action)>,
    /// "Don't have an account? Sign up" and its reverse.
    switch: Option<(&'static str, &'static str, Action)>,
}

/// A screen's input.
struct Field {
    /// The control's name: `email`, `password` or `name`; submitting stores its value under it.
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
        Self {
            title: title.into(),
            lead: None,
            note: None,
            benefits: false,
            field: None,
            actions: vec![],
            switch: None,
        }
    }

    fn lead(mut self, text: impl Into<String>, bold: String) -> Self {
        self.lead = Some((text.into(), bold));
        self
    }

    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    fn field(mut self, name: &'static str, kind: &'static str, autocomplete: &'static str, value: String) -> Self {
        let label = match name {
            "email" => catalog::EMAIL_LABEL,
            "password" => catalog::PASSWORD_LABEL,
            _ => catalog::NAME_LABEL,
        };
        self.field = Some(Field { name, kind, autocomplete, label, value });
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

fn around(parts: (&str, &str), middle: &str) -> String {
    [parts.0, middle, parts.1].concat()
}

/// The page of each screen.
fn page(flow: Flow, screen: Screen) -> Page {
    let email = flow.email();
    let other_device = flow.offers_other_device();
    match screen {
        Screen::Loading => Page::new(catalog::LOADING),
        Screen::SignIn => {
            // The policy's `challenge_ui`: passkeys in autofill, behind the button, or both. (Arming it from
            // the flow as it shows this screen instead costs 175 bytes brotli the login budget lacks.)
            let autofill = flow.policy_allows(b'a');
            if autofill {
                flow.arm_autofill();
            }
            let mut page = Page::new(catalog::WELCOME)
                .lead(around(catalog::LOG_IN_TO, &flow.app_name()), String::new())
                .field("email", "email", if autofill { "username webauthn" } else { "username" }, email)
                .action(catalog::CONTINUE, Flow::continue_sign_in)
                .action_if(flow.policy_allows(b'b'), catalog::CONTINUE_WITH_PASSKEY, Flow::sign_in_with_prompt)
                .action_if(
                    other_device && flow.policy_allows(b'b'),
                    catalog::PASSKEY_FROM_OTHER_DEVICE,
                    Flow::sign_in_on_other_device,
                );
            page.switch = Some((catalog::NO_ACCOUNT, catalog::SIGN_UP, Flow::go_sign_up));
            page
        }
        Screen::SignUp => {
            let mut page = Page::new(catalog::CREATE_ACCOUNT)
                .lead(around(catalog::SIGN_UP_FOR, &flow.app_name()), String::new())
                .field("email", "email", "email", email)
                .action(catalog::CONTINUE, Flow::continue_sign_up);
            page.switch = Some((catalog::HAVE_ACCOUNT, catalog::LOG_IN, Flow::back_to_sign_in));
            page
        }
        Screen::CreatePasskey(purpose) => create_passkey_page(flow, purpose, email, other_device),
        Screen::PasskeyStep { second_factor } => {
            let title = if second_factor { catalog::CONFIRM_WITH_PASSKEY } else { catalog::USE_YOUR_PASSKEY };
            Page::new(title)
                .lead(catalog::FOR_ACCOUNT, email)
                .action(catalog::TRY_AGAIN, Flow::retry_passkey_step)
                .action_if(!second_factor, catalog::USE_PASSWORD, Flow::use_password)
                .action(catalog::OTHER_ACCOUNT, Flow::back_to_sign_in)
        }
        Screen::Password => Page::new(catalog::ENTER_PASSWORD)
            .lead(catalog::FOR_ACCOUNT, email)
            .field("password", "password", "current-password", String::new())
            .action(catalog::CONTINUE, Flow::password_sign_in)
            .action(catalog::FORGOT_PASSWORD, Flow::forgot_password)
            .action(catalog::OTHER_ACCOUNT, Flow::back_to_sign_in),
        Screen::NewPassword { reset: true } => Page::new(catalog::NEW_PASSWORD)
            .note(catalog::PASSWORD_RULES)
            .field("password", "password", "new-password", String::new())
            .action(catalog::SAVE_PASSWORD, Flow::save_password)
            .action(catalog::BACK_TO_LOG_IN, Flow::back_to_sign_in),
        Screen::NewPassword { reset: false } => Page::new(catalog::CREATE_PASSWORD)
            .lead(catalog::FOR_ACCOUNT, email)
            .note(catalog::PASSWORD_RULES)
            .field("password", "password", "new-password", String::new())
            .action(catalog::CREATE_ACCOUNT_BUTTON, Flow::save_password)
            .action(catalog::GO_BACK, Flow::back_to_sign_up),
        Screen::Forgot => Page::new(catalog::RESET_PASSWORD)
            .note(catalog::RESET_EXPLAINED)
            .field("email", "email", "username", email)
            .action(catalog::SEND_LINK, Flow::send_reset_link)
            .action(catalog::BACK_TO_LOG_IN, Flow::back_to_sign_in),
        Screen::ForgotSent => Page::new(catalog::CHECK_INBOX)
            .note(around(catalog::LINK_SENT, email.trim()))
            .action(catalog::BACK_TO_LOG_IN, Flow::back_to_sign_in),
        Screen::NamePasskey => Page::new(catalog::NAME_PASSKEY)
            .note(catalog::NAME_WHY)
            .field("name", "text", "off", flow.passkey_name())
            .action(catalog::SUBMIT, Flow::save_passkey_name)
            .action(catalog::SKIP, Flow::skip_passkey_name),
        Screen::SignedIn => flow.shown_session().map_or_else(|| Page::new(catalog::LOADING), signed_in_page),
        Screen::Unsupported => Page::new(catalog::UNSUPPORTED_TITLE).note(catalog::UNSUPPORTED_BODY),
    }
}

/// "Create a passkey…", for a sign-up, progressive or local enrollment, or the second-factor policy.
fn create_passkey_page(flow: Flow, purpose: Purpose, email: String, other_device: bool) -> Page {
    let email = flow.account_email().unwrap_or(email);
    match purpose {
        Purpose::SignUp => {
            let mut page = Page::new(around(catalog::CREATE_PASSKEY_FOR, &flow.app_name()))
                .lead(catalog::FOR_ACCOUNT, email)
                .action(catalog::CREATE_NEW_PASSKEY, Flow::create_passkey)
                .action_if(other_device, catalog::TRY_ANOTHER_WAY, Flow::create_passkey_elsewhere)
                .action(catalog::WITHOUT_PASSKEY, Flow::without_passkey)
                .action(catalog::GO_BACK, Flow::back_to_sign_up);
            page.benefits = true;
            page
        }
        Purpose::Upgrade | Purpose::Local => {
            let page = if purpose == Purpose::Local {
                Page::new(catalog::PASSKEY_HERE).note(catalog::PASSKEY_HERE_WHY)
            } else {
                Page::new(catalog::SIGN_IN_FASTER).lead(catalog::FOR_ACCOUNT, email)
            };
            let mut page = page
                .action(catalog::CREATE_PASSKEY, Flow::create_passkey)
                .action(catalog::NOT_NOW, Flow::not_now)
                .action(catalog::DONT_ASK, Flow::dont_ask_again);
            page.benefits = purpose == Purpose::Upgrade;
            page
        }
        Purpose::SecondFactor => {
            let mut page = Page::new(catalog::PASSKEY_REQUIRED)
                .lead(catalog::FOR_ACCOUNT, email)
                .action(catalog::CREATE_PASSKEY, Flow::create_passkey)
                .action_if(other_device, catalog::TRY_ANOTHER_WAY, Flow::create_passkey_elsewhere)
                .action(catalog::OTHER_ACCOUNT, Flow::back_to_sign_in);
            page.benefits = true;
            page
        }
    }
}

/// Who is signed in, and the way out.
fn signed_in_page(session: SessionInfo) -> Page {
    let user = session.user;
    let page = Page::new(catalog::SIGNED_IN).action(catalog::SIGN_OUT, Flow::sign_out);
    let page = if user.email != user.display_name { page.note(user.email) } else { page };
    page.lead(catalog::SIGNED_IN_AS, user.display_name)
}

/// Draws a page.
fn render(flow: Flow, page: Page) -> impl IntoView {
    let Page { title, lead, note, benefits, field, actions, switch } = page;
    let submit = actions.first().map(|action| action.1);
    view! {
        <h2 class="lk-title" tabindex="-1" id=flow.heading_id()>{title}</h2>
        {lead.map(|(text, bold)| view! { <p class="lk-subtitle">{text}<strong>{bold}</strong></p> })}
        {note.map(|note| view! { <p class="lk-note">{note}</p> })}
        {benefits.then(|| view! {
            <ul class="lk-benefits">{catalog::BENEFITS.map(|benefit| view! { <li>{benefit}</li> })}</ul>
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
                value=field.value aria-describedby=flow.problem_id()
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

/// Handles a form's submit: keeps what was typed (the controls named `email`, `password` and `name`),
/// then runs the page's first action.
fn on_submit(flow: Flow, submit: Option<Action>) -> impl Fn(SubmitEvent) {
    move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let value = |name| member(&member(&form, name), "value").as_string();
        if let Some(email) = value("email") {
            flow.remember_email(email);
        }
        if let Some(input) = value("password").or_else(|| value("name")) {
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
                {problem.offer_log_in.then(|| link(flow, catalog::LOG_IN, Flow::back_to_sign_in))}
            })}
        </div>
    }
}
