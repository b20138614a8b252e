//! Where the person is signed in: each session with its browser, system, address and dates; one
//! signed out, or every one but this.

use latchkey_proto::{EndSession, SessionListing, paths};
use leptos::prelude::*;
use serde_json::json;

use super::{
    Page,
    dates::{date, date_and_time},
};
use crate::http;

/// The list and "Sign out everywhere else".
pub(super) fn section(page: Page, sessions: Vec<SessionListing>) -> impl IntoView {
    let others = sessions.iter().any(|s| !s.current);
    view! {
        <h3 class="lk-subtitle-heading">"Where you're signed in"</h3>
        <ul class="lk-sessions">{sessions.into_iter().map(|s| session_view(page, s)).collect_view()}</ul>
        {others.then(|| view! {
            <button type="button" class="lk-secondary" on:click=move |_| page.end_other_sessions()>
                "Sign out everywhere else"
            </button>
        })}
    }
}

fn session_view(page: Page, session: SessionListing) -> impl IntoView {
    let device = session.device().unwrap_or_else(|| "Unknown browser".into());
    let address = session.ip.as_deref().map(|ip| format!(" · {ip}")).unwrap_or_default();
    let dates = format!(
        "Signed in {} · Last active {}{address}",
        date(session.created_at),
        date_and_time(session.last_seen_at)
    );
    let label = format!("Sign out {device}");
    let SessionListing { id, current, .. } = session;
    view! {
        <li class="lk-session">
            <div class="lk-session-text">
                <strong class="lk-session-name">{device}</strong>
                {current.then(|| view! { <span class="lk-this-device">"This device"</span> })}
                <span class="lk-dates">{dates}</span>
            </div>
            {(!current).then(|| view! {
                <button type="button" class="lk-secondary lk-inline" aria-label=label
                    on:click=move |_| page.end_session(id.clone())>"Sign out"</button>
            })}
        </li>
    }
}

impl Page {
    fn end_session(self, id: String) {
        self.busy("Signing out…");
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::SESSION_END, &EndSession { id }, None).await {
                Ok(()) => {
                    self.event("session_ended", serde_json::Value::Null);
                    self.status.set("Signed out on that device.");
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }

    fn end_other_sessions(self) {
        self.busy("Signing out…");
        leptos::task::spawn_local(async move {
            match http::send::<_, ()>("POST", paths::SESSIONS_END_OTHERS, &json!({}), None).await {
                Ok(()) => {
                    self.event("sessions_ended", serde_json::Value::Null);
                    self.status.set("Signed out everywhere else.");
                    self.load();
                }
                Err(failure) => self.fail(failure),
            }
        });
    }
}
