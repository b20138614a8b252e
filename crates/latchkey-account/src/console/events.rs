//! The console's Events section: the log as a table that fits its column, newest first, filtered by what
//! happened and by account, fifty at a time with older pages on request.

use latchkey_proto::{
    events::{EventCode, EventPage, EventRecord},
    paths,
};
use leptos::prelude::*;
use serde_json::Value;

use super::{Console, labels};
use crate::catalog::{Lang, fill};

/// Events per page.
const PAGE: u32 = 50;

/// The section.
pub(super) fn section(console: Console) -> impl IntoView {
    let events = RwSignal::new(Vec::<EventRecord<Value>>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let code = RwSignal::new(String::new());
    // Each load is numbered so that an answer overtaken by a newer request (a filter changed while the
    // previous page was still loading) is dropped instead of showing events the filter no longer selects.
    let latest = StoredValue::new(0_u32);
    let load = move |older: bool| {
        latest.update_value(|n| *n += 1);
        let this_load = latest.get_value();
        leptos::task::spawn_local(async move {
            let mut query = vec![format!("limit={PAGE}")];
            if !code.get_untracked().is_empty() {
                query.push(format!("code={}", code.get_untracked()));
            }
            if let Some((user, _)) = console.events_user.get_untracked() {
                query.push(format!("user={user}"));
            }
            if let Some(cursor) = next_cursor.get_untracked().filter(|_| older) {
                query.push(format!("cursor={cursor}"));
            }
            let path = format!("{}?{}", paths::ADMIN_EVENTS, query.join("&"));
            let answer = console.get::<EventPage<Value>>(&path).await;
            if let Some(page) = answer.filter(|_| latest.get_value() == this_load) {
                next_cursor.set(page.next_cursor);
                if older {
                    events.update(|shown| shown.extend(page.events));
                } else {
                    events.set(page.events);
                }
            }
        });
    };
    load(false);
    let says = console.says();
    view! {
        <div class="lk-filters">
            <label class="lk-label">{says.what_happened()}
                <select class="lk-input" name="code" on:change=move |event| {
                    code.set(event_target_value(&event));
                    load(false);
                }>
                    <option value="">{says.all_events()}</option>
                    {EventCode::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{labels::event(c, says)}</option> }).collect_view()}
                </select>
            </label>
            {move || console.events_user.get().map(|(_, email)| view! {
                <p class="lk-filter-chip">{says.account_lead()} {email} " "
                    <button type="button" class="lk-link" on:click=move |_| {
                        console.events_user.set(None);
                        load(false);
                    }>{says.show_everyones()}</button>
                </p>
            })}
        </div>
        {move || table(console, events.get(), Accounts::Many)}
        {move || next_cursor.get().is_some().then(|| view! {
            <button type="button" class="lk-secondary lk-inline" on:click=move |_| load(true)>{says.older_events()}</button>
        })}
    }
}

/// Whose events a table shows: everyone's (with an Account column) or one account's (without).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Accounts {
    Many,
    One,
}

/// Events as a table: when, what (in words, with the code beneath), who, why and from where.
pub(super) fn table(console: Console, events: Vec<EventRecord<Value>>, accounts: Accounts) -> impl IntoView {
    let (says, language) = (console.says(), console.locale());
    if events.is_empty() {
        return view! { <p class="lk-empty">{says.no_events()}</p> }.into_any();
    }
    let many = accounts == Accounts::Many;
    view! {
        <table class="lk-table lk-events" class:lk-one-account=!many>
            <colgroup>
                <col class="lk-col-time" /><col class="lk-col-event" />{many.then(|| view! { <col /> })}<col class="lk-col-reason" /><col class="lk-col-ip" />
            </colgroup>
            <thead><tr>
                <th scope="col">{says.time()}</th><th scope="col">{says.event()}</th>{many.then(|| view! { <th scope="col">{says.account_column()}</th> })}
                <th scope="col">{says.reason()}</th><th scope="col">{says.ip_address()}</th>
            </tr></thead>
            <tbody>
                {events.into_iter().map(|event| view! {
                    <tr>
                        <td class="lk-nowrap">{labels::time(event.at, language)}</td>
                        <td>{labels::event(event.code, says)} <code class="lk-code">{event.code.as_str()}</code></td>
                        {many.then(|| view! { <td>{who(&event, says)}</td> })}
                        <td>{event.reason.clone().unwrap_or_default()}</td>
                        <td>{event.ip.clone().unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The account an event is about: its email as it was, else its row ID; an administrator's change
/// (policy, applications, keys) is about no account.
fn who(event: &EventRecord<Value>, says: Lang) -> String {
    match (&event.email, event.user_id) {
        (Some(email), _) => email.clone(),
        (None, Some(id)) => fill(says.account_number(), &[&id.to_string()]),
        (None, None) if is_administrative(event.code) => says.administrator().into(),
        (None, None) => says.not_identified().into(),
    }
}

fn is_administrative(code: EventCode) -> bool {
    matches!(
        code,
        EventCode::PolicyChanged | EventCode::ClientAdded | EventCode::ClientRemoved | EventCode::SigningKeyRotated
    )
}
