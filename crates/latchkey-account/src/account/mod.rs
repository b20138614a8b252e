//! `<latchkey-account>`: the signed-in person's passkeys, their password, their email and where they
//! are signed in, one module per section. A change the server wants a recent sign-in for waits while
//! the person confirms it's them (`confirm.rs`), then goes ahead.

mod confirm;
mod dates;
mod email;
mod passkeys;
mod password;
mod sessions;

use latchkey_proto::{AccountInfo, ErrorCode, paths};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::{
    catalog::{self, Lang, Words},
    http::{self, Failure, Sender},
    signal,
};

/// A change that needs a recent sign-in, kept while the person confirms it's them and then sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change {
    /// Add a passkey.
    AddPasskey,
    /// Delete this passkey.
    DeletePasskey(i64),
    /// Set or change the password: the current one (when the account has one) and the new one.
    Password { current: Option<String>, new: String },
    /// Move the account to this email address.
    Email(String),
}

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
struct Page {
    /// The account, once loaded; `None` while loading or when nobody is signed in.
    account: RwSignal<Option<AccountInfo>>,
    /// Nobody is signed in.
    signed_out: RwSignal<bool>,
    /// The passkey whose name is being edited.
    renaming: RwSignal<Option<i64>>,
    /// The passkey whose deletion awaits confirmation.
    deleting: RwSignal<Option<i64>>,
    /// The change waiting for the person to confirm it's them.
    confirming: RwSignal<Option<Change>>,
    /// Progress and news.
    status: RwSignal<&'static str>,
    /// The last failure's message.
    problem: RwSignal<Option<&'static str>>,
    /// Where events go.
    on_event: Option<Callback<(&'static str, JsValue)>>,
    /// The language the page speaks.
    words: Words,
}

/// The account page.
#[component]
pub fn AccountPage(
    /// Called with each event code the page causes (`passkey_added`, …) and its detail.
    #[prop(optional, into)]
    on_event: Option<Callback<(&'static str, JsValue)>>,
    /// The language to speak, a BCP 47 tag (`de`, `pt-BR`, `ar`). Default: the document's `lang`, else
    /// the browser's languages; English when Latchkey speaks none of them.
    #[prop(optional, into)]
    locale: String,
) -> impl IntoView {
    catalog::in_language(locale, move |words| page_view(words, on_event))
}

fn page_view(words: Words, on_event: Option<Callback<(&'static str, JsValue)>>) -> impl IntoView {
    let page = Page {
        account: RwSignal::new(None),
        signed_out: RwSignal::new(false),
        renaming: RwSignal::new(None),
        deleting: RwSignal::new(None),
        confirming: RwSignal::new(None),
        status: RwSignal::new(""),
        problem: RwSignal::new(None),
        on_event,
        words,
    };
    page.load();
    let says = words.page;
    view! {
        <section class="latchkey lk-account" lang=words.tag>
            <h2 class="lk-title">{says.your_passkeys()}</h2>
            {move || {
                if page.signed_out.get() {
                    return view! {
                        <p class="lk-subtitle">{says.log_in_to_manage()} <a href="/">{says.log_in()}</a></p>
                    }
                    .into_any();
                }
                match page.account.get() {
                    None => view! { <p class="lk-status">{says.loading()}</p> }.into_any(),
                    Some(account) => account_view(page, account).into_any(),
                }
            }}
            <p class="lk-status" role="status">{move || page.status.get()}</p>
            <div class="lk-problem" role="alert">
                {move || page.problem.get().map(|message| view! { <p class="lk-error">{message}</p> })}
            </div>
        </section>
    }
}

fn account_view(page: Page, account: AccountInfo) -> impl IntoView {
    view! {
        <p class="lk-subtitle">{page.says().signed_in_as()} <strong>{account.user.email.clone()}</strong></p>
        {passkeys::section(page, &account)}
        {password::section(page, &account)}
        {email::section(page, &account)}
        {sessions::section(page, account.sessions)}
    }
}

impl Page {
    fn load(self) {
        leptos::task::spawn_local(async move {
            match http::get::<AccountInfo>(paths::ACCOUNT, self.sender()).await {
                Ok(account) => {
                    // The provider shows the account by its email, which may have changed elsewhere
                    // (a change link opened in the mail): tell it the details as they are, without
                    // holding the page for a provider that is slow to answer.
                    let (rp_id, handle) = (account.rp_id.clone(), account.user_handle.clone());
                    let (name, display_name) = (account.user.email.clone(), account.user.display_name.clone());
                    self.account.set(Some(account));
                    leptos::task::spawn_local(async move {
                        signal::current_user_details(&rp_id, &handle, &name, &display_name).await;
                    });
                }
                Err(Failure::Server(ErrorCode::NotSignedIn)) => self.signed_out.set(true),
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn busy(self, status: &'static str) {
        self.status.set(status);
        self.problem.set(None);
    }

    fn fail(self, failure: Failure) {
        self.status.set("");
        self.problem.set(Some(failure.message(self.words.widget)));
    }

    /// A failed `change`: when the server wants a recent sign-in, the change waits for the person to
    /// confirm it's them; any other failure is shown.
    fn refused(self, change: Change, failure: Failure) {
        if failure == Failure::Server(ErrorCode::ReauthenticationRequired) {
            self.status.set("");
            self.confirming.set(Some(change));
        } else {
            self.fail(failure);
        }
    }

    /// Sends `change` (again, after a confirmation).
    fn apply(self, change: Change) {
        match change {
            Change::AddPasskey => self.add_passkey(),
            Change::DeletePasskey(id) => self.delete(id),
            Change::Password { current, new } => self.change_password(current, new),
            Change::Email(email) => self.change_email(email),
        }
    }

    fn event(self, code: &'static str, detail: serde_json::Value) {
        if let Some(callback) = self.on_event {
            let detail = js_sys::JSON::parse(&detail.to_string()).unwrap_or(JsValue::NULL);
            callback.run((code, detail));
        }
    }

    fn account(self) -> Option<AccountInfo> {
        self.account.get_untracked()
    }

    /// The page's texts in its language.
    fn says(self) -> Lang {
        self.words.page
    }

    /// Who the page's requests are from: the page's language, and the session cookie.
    fn sender(self) -> Sender<'static> {
        Sender { language: self.words.tag, token: None }
    }

    /// The locale `Intl` writes dates in: the page's language, in the region the person asked for.
    fn locale(self) -> &'static str {
        self.words.locale
    }
}
