//! Sessions as the handlers use them: `GET /api/session`, sign-out, starting a session at the end of a
//! journey (with the browser and address it is opened from), and finding the signed-in account (with
//! how recent its sign-in is) while its session is live under the policy's idle timeout and lifetime.

use axum::{
    Json,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use latchkey_proto::{
    AuthMethod, ErrorCode, Next, Policy, SessionInfo, SignInStep, UserInfo, events::EventCode, policy::ChallengeUi,
};

use crate::{
    error::ApiError,
    events::{self, Client, Event},
    handlers::ceremonies::Options,
    http::{CHALLENGE_UI_HEADER, no_store},
    passkey::PasskeyUse,
    session,
    state::{AppState, InForce},
    store::{Liveness, SessionRow, SessionStart, StoreError, now},
};

/// `GET /api/session`: who is signed in, and how; `204 No Content` when nobody is. (Not a 401: asking
/// is how a login page finds out, and every anonymous visit would otherwise log a console error.)
///
/// Either answer carries the policy's passkey prompt for the sign-in screen in `Latchkey-Challenge-UI`
/// (`autofill`, `button` or `both`): the widget asks this first, so it knows before it draws.
pub async fn current_session(
    app: axum::extract::State<AppState>,
    InForce(live): InForce,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let challenge_ui = match live.policy.challenge_ui {
        ChallengeUi::Autofill => "autofill",
        ChallengeUi::Button => "button",
        ChallengeUi::Both => "both",
    };
    let policy = [(CHALLENGE_UI_HEADER, challenge_ui)];
    let Some((_, row)) = browser_session(&app, &headers).await? else {
        return Ok(no_store((policy, StatusCode::NO_CONTENT)));
    };
    let info = SessionInfo {
        user: UserInfo { email: row.user.email, display_name: row.user.display_name },
        methods: session::decode_methods(&row.methods),
    };
    Ok(no_store((policy, Json(info))))
}

/// `POST /api/signout`: revokes the session, and the applications' grants it made, and clears its cookie;
/// succeeds when signed out already.
pub async fn sign_out(
    app: axum::extract::State<AppState>,
    client: Client,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some((id_hash, row)) = browser_session(&app, &headers).await? {
        end_session(&app, &client, id_hash, &row).await?;
    }
    let clear = session::clear_cookie(app.config.is_https());
    Ok(no_store((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)])))
}

/// A session's last use is recorded at most this often: a page load is then a read, not a write.
const LAST_SEEN_RESOLUTION_SECS: i64 = 60;

/// The live session the browser's cookie names, with its ID hash; its use is recorded (to the minute),
/// which keeps it from the idle timeout.
pub async fn browser_session(app: &AppState, headers: &HeaderMap) -> Result<Option<(Vec<u8>, SessionRow)>, StoreError> {
    let Some(secret) = session::secret_from(headers, app.config.is_https()) else { return Ok(None) };
    let id_hash = session::hash_secret(&secret);
    let live = liveness(&app.live().policy);
    let Some(row) = app.store.find_session(id_hash.clone(), live).await? else { return Ok(None) };
    if live.now - row.last_seen_at >= LAST_SEEN_RESOLUTION_SECS {
        app.store.touch_session(id_hash.clone(), live.now).await?;
    }
    Ok(Some((id_hash, row)))
}

/// The session cookie's `Max-Age`: the policy's absolute lifetime, so the browser forgets the cookie
/// when the session could no longer be used anyway.
pub fn cookie_lifetime_secs(app: &AppState) -> u64 {
    app.live().policy.session_lifetime_secs().unsigned_abs()
}

/// When a session counts as live under `policy`'s idle timeout and absolute lifetime.
pub fn liveness(policy: &Policy) -> Liveness {
    Liveness::now(policy.session_idle_secs(), policy.session_lifetime_secs())
}

/// Signs a session out: revokes it and the applications' grants it made, and records `sign_out`.
pub async fn end_session(
    app: &AppState,
    client: &Client,
    id_hash: Vec<u8>,
    row: &SessionRow,
) -> Result<(), StoreError> {
    app.store.revoke_session_grants(id_hash.clone()).await?;
    app.store.revoke_session(id_hash).await?;
    events::record(app, client, Event::new(EventCode::SignOut).user(row.user_id).email(&row.user.email)).await;
    Ok(())
}

/// The signed-in user's row ID, or `not_signed_in`.
pub async fn session_user(app: &AppState, headers: &HeaderMap) -> Result<i64, ApiError> {
    Ok(signed_in(app, headers).await?.0)
}

/// The user and session ID hash of the browser's live session, however old its sign-in; or
/// `not_signed_in`.
pub async fn signed_in(app: &AppState, headers: &HeaderMap) -> Result<(i64, Vec<u8>), ApiError> {
    let (id_hash, row) = browser_session(app, headers).await?.ok_or(ErrorCode::NotSignedIn)?;
    Ok((row.user_id, id_hash))
}

/// The user and session ID hash of a session whose sign-in is at most the policy's
/// `reauthentication_minutes` old, for changes that a stolen session could use to keep the account
/// (adding a way in) or lock its owner out (deleting one). An older one gets
/// `reauthentication_required`: the person confirms it's them, which starts a new session, and sends
/// the change again.
pub async fn recently_signed_in(app: &AppState, headers: &HeaderMap) -> Result<(i64, Vec<u8>), ApiError> {
    let (id_hash, row) = browser_session(app, headers).await?.ok_or(ErrorCode::NotSignedIn)?;
    if now().saturating_sub(row.created_at) > app.live().policy.reauthentication_secs() {
        return Err(ErrorCode::ReauthenticationRequired.into());
    }
    Ok((row.user_id, id_hash))
}

/// A session that has just started: its cookie and what the widget shows.
pub struct StartedSession {
    cookie: HeaderValue,
    info: SessionInfo,
}

impl StartedSession {
    /// The sign-in step's response, setting the session cookie.
    pub fn respond(self, next: Next) -> Response {
        let session = Some(self.info.clone());
        self.respond_with(SignInStep { session, next, ceremony: None, passkey: None })
    }

    /// A response with `step` (whose session is this one), setting the session cookie.
    pub fn respond_with(self, step: SignInStep<Options>) -> Response {
        no_store(([(header::SET_COOKIE, self.cookie)], Json(step)))
    }

    /// What the widget shows of the session.
    pub fn info(&self) -> &SessionInfo {
        &self.info
    }
}

/// How a session was earned: whose it is, the RFC 8176 methods, and the passkey used, if one was.
#[derive(Default)]
pub struct Earned {
    /// The account.
    pub user_id: i64,
    /// How the person proved who they are.
    pub methods: Vec<AuthMethod>,
    /// The passkey's new state, when a passkey signed in.
    pub passkey_use: Option<PasskeyUse>,
    /// A passkey made in the same journey (a sign-up's, a second factor's first), which opened the
    /// session as much as a passkey that signs in does: deleting it ends the session.
    pub new_passkey: Option<i64>,
    /// The password hash a password sign-in verified: the session starts only while it is still the
    /// account's, so a reset, change or claim that commits during the hashing wins.
    pub password_hash: Option<String>,
}

/// Signs `earned.user_id` in, in one transaction: records the passkey's use (refused if a concurrent
/// sign-in changed it since it was read), starts a new session, revokes the one the browser came
/// with, and records `recorded` (events without an email get the account's).
pub async fn start_session(
    app: &AppState,
    headers: &HeaderMap,
    client: &Client,
    earned: Earned,
    recorded: &[Event],
) -> Result<StartedSession, ApiError> {
    let https = app.config.is_https();
    let new = session::new_secret();
    let lifetime_secs = app.live().policy.session_lifetime_secs();
    let cookie = session::set_cookie(&new.secret, https, cookie_lifetime_secs(app))?;
    let start = SessionStart {
        id_hash: new.id_hash,
        user_id: earned.user_id,
        methods: session::encode_methods(&earned.methods),
        expires_at: now() + lifetime_secs,
        replaces: session::secret_from(headers, https).map(|s| session::hash_secret(&s)),
        user_agent: events::capped(client.user_agent.as_deref()),
        ip: client.ip.clone(),
        passkey_id: earned.passkey_use.as_ref().map(|used| used.passkey_id).or(earned.new_passkey),
        password_hash: earned.password_hash,
    };
    let rows = recorded.iter().map(|event| event.row(client)).collect();
    let user = app.store.start_session(start, earned.passkey_use, rows).await??;
    let info =
        SessionInfo { user: UserInfo { email: user.email, display_name: user.display_name }, methods: earned.methods };
    Ok(StartedSession { cookie, info })
}

/// The `sign_in` event of a session earned with `methods`.
pub fn sign_in_event(user_id: i64, methods: &[AuthMethod]) -> Event {
    Event::new(EventCode::SignIn).user(user_id).methods(methods)
}
