//! `<latchkey-console>`: the administrator's console, a wide layout with one section per job: **Users**
//! (find, inspect, disable, enable, delete), **Applications** (the OpenID Connect clients),
//! **Passkey policy** (applied by the server at once) and **Events** (the log, filtered and paged). Every
//! request carries the bearer token the administrator types, kept for the tab's session only.

mod applications;
mod events;
mod labels;
mod policy;
mod users;

use latchkey_proto::{ErrorCode, Policy, paths};
use leptos::{ev::SubmitEvent, prelude::*};
use wasm_bindgen::JsValue;

use crate::{
    catalog::{self, Lang, Words},
    http::{self, Failure, Sender},
};
use latchkey_widget::js::member;

/// Where the token is kept: the tab's session storage, never a cookie or local storage.
const TOKEN_KEY: &str = "latchkey-admin-token";

/// The console's sections, in the order of its navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Users,
    Applications,
    Policy,
    Events,
}

impl Section {
    const ALL: [Self; 4] = [Self::Users, Self::Applications, Self::Policy, Self::Events];

    fn title(self, says: Lang) -> &'static str {
        match self {
            Self::Users => says.section_users(),
            Self::Applications => says.section_applications(),
            Self::Policy => says.section_policy(),
            Self::Events => says.section_events(),
        }
    }
}

/// What every section shares: the token, the open section, and the last failure.
#[derive(Clone, Copy)]
pub(crate) struct Console {
    token: RwSignal<Option<String>>,
    /// Whether the server accepted the token (the policy loaded with it).
    open: RwSignal<bool>,
    section: RwSignal<Section>,
    problem: RwSignal<Option<&'static str>>,
    /// The event log's filter by account, set from a user's page ("All events of this user").
    events_user: RwSignal<Option<(i64, String)>>,
    /// The language the console speaks.
    words: Words,
}

impl Console {
    /// The console's texts in its language.
    fn says(self) -> Lang {
        self.words.page
    }

    /// The console's language's tag, which the server writes any mail in.
    fn language(self) -> &'static str {
        self.words.tag
    }

    /// The locale `Intl` writes times in: the console's language, in the region the person asked for.
    fn locale(self) -> &'static str {
        self.words.locale
    }

    fn token(self) -> Option<String> {
        self.token.get_untracked()
    }

    /// Runs a `GET` with the token, reporting a failure.
    async fn get<T: serde::de::DeserializeOwned>(self, path: &str) -> Option<T> {
        let token = self.token();
        let sender = Sender { language: self.language(), token: token.as_deref() };
        self.answered(http::get::<T>(path, sender).await)
    }

    /// Sends a JSON body (or `()`) with the token, reporting a failure.
    async fn send<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        self,
        method: &str,
        path: &str,
        body: &B,
    ) -> Option<T> {
        let token = self.token();
        let sender = Sender { language: self.language(), token: token.as_deref() };
        self.answered(http::send::<B, T>(method, path, body, sender).await)
    }

    fn answered<T>(self, result: Result<T, Failure>) -> Option<T> {
        match result {
            Ok(value) => {
                self.problem.set(None);
                Some(value)
            }
            Err(failure) => {
                self.problem.set(Some(failure.message(self.words.widget)));
                if failure == Failure::Server(ErrorCode::Forbidden) {
                    self.open.set(false);
                }
                None
            }
        }
    }

    /// Checks the token by reading the policy.
    fn sign_in(self) {
        leptos::task::spawn_local(async move {
            if self.get::<Policy>(paths::ADMIN_POLICY).await.is_some() {
                self.open.set(true);
            }
        });
    }
}

/// The console.
#[component]
pub fn ConsolePage(
    /// The language to speak, a BCP 47 tag (`de`, `pt-BR`, `ar`). Default: the document's `lang`, else
    /// the browser's languages; English when Latchkey speaks none of them.
    #[prop(optional, into)]
    locale: String,
) -> impl IntoView {
    catalog::in_language(locale, console_view)
}

fn console_view(words: Words) -> impl IntoView {
    let console = Console {
        token: RwSignal::new(stored_token()),
        open: RwSignal::new(false),
        section: RwSignal::new(Section::Users),
        problem: RwSignal::new(None),
        events_user: RwSignal::new(None),
        words,
    };
    if console.token.get_untracked().is_some() {
        console.sign_in();
    }
    view! {
        <div class="latchkey lk-console" lang=words.tag>
            <header class="lk-console-header">
                <h1 class="lk-console-title">{words.page.console_title()}</h1>
            </header>
            <div class="lk-problem" role="alert">
                {move || console.problem.get().map(|message| view! { <p class="lk-error">{message}</p> })}
            </div>
            {move || if console.open.get() { workspace(console).into_any() } else { token_form(console).into_any() }}
        </div>
    }
}

fn stored_token() -> Option<String> {
    let storage = web_sys::window()?.session_storage().ok()??;
    storage.get_item(TOKEN_KEY).ok()?
}

fn token_form(console: Console) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().map(JsValue::from).unwrap_or(JsValue::UNDEFINED);
        let token = member(&member(&form, "token"), "value").as_string().unwrap_or_default();
        if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
            let _ = storage.set_item(TOKEN_KEY, &token);
        }
        console.token.set(Some(token));
        console.sign_in();
    };
    let says = console.says();
    view! {
        <form class="lk-form lk-token" on:submit=on_submit>
            <label class="lk-label">{says.admin_token()}
                <input class="lk-input" type="password" name="token" autocomplete="off" />
            </label>
            <button type="submit" class="lk-primary">{says.open_console()}</button>
        </form>
    }
}

/// The navigation and the open section.
fn workspace(console: Console) -> impl IntoView {
    let says = console.says();
    view! {
        <div class="lk-console-body">
            <nav class="lk-console-nav" aria-label=says.console_sections()>
                <ul>
                    {Section::ALL.into_iter().map(|section| view! {
                        <li>
                            <button
                                type="button"
                                class="lk-nav-item"
                                aria-current=move || (console.section.get() == section).then_some("page")
                                on:click=move |_| console.section.set(section)
                            >{section.title(says)}</button>
                        </li>
                    }).collect_view()}
                </ul>
            </nav>
            <div class="lk-console-main">
                <h2 class="lk-section-title">{move || console.section.get().title(says)}</h2>
                {move || match console.section.get() {
                    Section::Users => users::section(console).into_any(),
                    Section::Applications => applications::section(console).into_any(),
                    Section::Policy => policy::section(console).into_any(),
                    Section::Events => events::section(console).into_any(),
                }}
            </div>
        </div>
    }
}
