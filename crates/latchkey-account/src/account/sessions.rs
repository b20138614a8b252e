//! Where the person is signed in: each session with its browser, system, address and dates; one
//! signed out, or every one but this.

use latchkey_proto::{EndSession, SessionListing, paths};
use leptos::prelude::*;
use serde_json::json;

use super::{
    Page,
    dates::{date, date_and_time},
};
use crate::{
    catalog::{self, fill},
    http,
};

/// The list and "Sign out everywhere else".
pub(super) fn section(page: Page, sessions: Vec<SessionListing>) -> impl IntoView {
    let others = sessions.iter().any(|s| !s.current);
    let says = page.says();
    view! {
        <h3 class="lk-subtitle-heading">{says.where_signed_in()}</h3>
        <ul class="lk-sessions">{sessions.into_iter().map(|s| session_view(page, s)).collect_view()}</ul>
        {others.then(|| view! {
            <button type="button" class="lk-secondary" on:click=move |_| page.end_other_sessions()>
                {says.sign_out_elsewhere()}
            </button>
        })}
    }
}

fn session_view(page: Page, session: SessionListing) -> impl IntoView {
    let says = page.says();
    let device = catalog::device(says, session.browser.as_deref(), session.system.as_deref());
    let address = session.ip.as_deref().map(|ip| format!(" · {ip}")).unwrap_or_default();
    let language = page.locale();
    let signed_in = date(session.created_at, language);
    let dates = fill(says.session_dates(), &[&signed_in, &date_and_time(session.last_seen_at, language)]) + &address;
    let label = fill(says.sign_out_named(), &[&device]);
    let SessionListing { id, current, .. } = session;
    view! {
        <li class="lk-session">
            <div class="lk-session-text">
                <strong class="lk-session-name">{device}</strong>
                {current.then(|| view! { <span class="lk-this-device">{says.this_device()}</span> })}
                <span class="lk-dates">{dates}</span>
            </div>
            {(!current).then(|| view! {
                <button type="button" class="lk-secondary lk-inline" aria-label=label
                    on:click=move |_| page.end_session(id.clone())>{says.sign_out()}</button>
            })}
        </li>
    }
}

impl Page {
    fn end_session(self, id: String) {
        self.busy(self.says().signing_out());
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::SESSION_END, &EndSession { id }, self.sender()).await {
                Ok(()) => {
                    self.event("session_ended", serde_json::Value::Null);
                    self.status.set(self.says().signed_out_there());
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn end_other_sessions(self) {
        self.busy(self.says().signing_out());
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::SESSIONS_END_OTHERS, &json!({}), self.sender()).await {
                Ok(()) => {
                    self.event("sessions_ended", serde_json::Value::Null);
                    self.status.set(self.says().signed_out_elsewhere());
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }
}
