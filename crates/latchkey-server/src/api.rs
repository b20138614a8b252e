//! HTTP handlers of the JSON API; each reads like the flow it serves (`docs/API.md` documents them).

use axum::{
    Json,
    extract::{FromRequest, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use latchkey_proto::{
    AuthMethod, CeremonyFinish, CeremonyStarted, ErrorCode, Next, SessionInfo, SignInStart, SignInStep, SignUpStart,
    UserInfo, events::EventCode, normalize_email, policy::ChallengeUi,
};
use rand::RngCore;
use serde_json::{Value, value::RawValue};

use crate::{
    AppState,
    ceremony::NewCredentialFor,
    db::{
        self, Account, CeremonyKind, CeremonyRow, CreateAccountError, PasskeyUse, PendingUser, SessionStart,
        SignInRefused, now,
    },
    error::ApiError,
    events::{self, Client, Event},
    session,
};

/// Longest display name we keep, in characters.
const MAX_DISPLAY_NAME_CHARS: usize = 64;

/// `Json` whose rejections answer with our error codes instead of axum's plain-text bodies.
#[derive(FromRequest)]
#[from_request(via(Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `POST /api/signup/start`: creation options for a new account's first passkey.
pub async fn sign_up_start(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<SignUpStart>,
) -> Result<Response, ApiError> {
    let email = normalize_email(&body.email)?;
    let display_name = display_name_or_email(body.display_name.as_deref(), &email)?;
    let lookup = email.clone();
    // A taken email is refused here already, so the person is not asked for a passkey that cannot be
    // saved; the finish checks again, inside the transaction that creates the account.
    if app.db.run(move |conn| db::email_exists(conn, &lookup)).await? {
        return Err(ErrorCode::EmailTaken.into());
    }
    let new = NewCredentialFor {
        handle: None,
        email: &email,
        display_name: &display_name,
        exclude: Vec::new(),
        conditional: false,
        other_device: body.other_device,
    };
    let (started, handle) = app.live().rp.start_new_credential(&new)?;
    let pending = PendingUser { handle, email, display_name };
    let row = CeremonyRow { pending_user: Some(pending), ..CeremonyRow::new(&app, started.state) };
    store_ceremony(&app, CeremonyKind::Registration, row, started.options_json).await
}

/// `POST /api/signup/finish`: verifies the new passkey, then creates the account and its passkey in one
/// transaction and signs the person in.
pub async fn sign_up_finish(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Box<RawValue>>>,
) -> Result<Response, ApiError> {
    let result = sign_up_steps(&app, &client, &headers, body).await;
    logged(&app, &client, Event::new(EventCode::SignUpFailed), result).await
}

async fn sign_up_steps(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    body: CeremonyFinish<Box<RawValue>>,
) -> Result<Response, ApiError> {
    let app = app.clone();
    // One policy for the whole request, even if the console changes it meanwhile.
    let live = app.live();
    let response = live.rp.parse_registration(&parse_credential(&body.credential)?)?;
    let ceremony = take_ceremony(&app, body.ceremony, &[CeremonyKind::Registration]).await?;
    let pending =
        ceremony.pending_user.ok_or_else(|| ApiError::with_detail(ErrorCode::Internal, "sign-up without user"))?;
    let verified = live.rp.finish_registration(&ceremony.state, &response)?;
    if verified.user_handle != pending.handle {
        return Err(ApiError::with_detail(ErrorCode::Internal, "user handle differs from the ceremony's"));
    }
    let mut passkey = verified.passkey;
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    passkey.name = crate::naming::passkey_name(&passkey.aaguid, user_agent);
    let user_id = app
        .db
        .run(move |conn| match db::create_account(conn, &pending, &passkey) {
            Ok(id) => Ok(Ok(id)),
            Err(CreateAccountError::Db(e)) => Err(e),
            Err(CreateAccountError::EmailTaken) => Ok(Err(ErrorCode::EmailTaken)),
            Err(CreateAccountError::CredentialExists) => Ok(Err(ErrorCode::CredentialExists)),
        })
        .await??;
    let session = start_session(&app, headers, user_id, verified.methods, None).await?;
    let user = session.info();
    let event = Event::new(EventCode::SignUp).user(user_id).email(&user.user.email).methods(&user.methods);
    events::record(&app, client, event).await;
    Ok(session.respond(Next::Done))
}

/// `POST /api/signin/start`: request options with no identifier, for autofill and the button alike.
pub async fn sign_in_start(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<SignInStart>,
) -> Result<Response, ApiError> {
    let started = app.live().rp.start_authentication(body.other_device)?;
    let row = CeremonyRow::new(&app, started.state);
    store_ceremony(&app, CeremonyKind::Authentication, row, started.options_json).await
}

/// `POST /api/signin/finish`: verifies the assertion and signs its owner in.
pub async fn sign_in_finish(
    State(app): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<CeremonyFinish<Box<RawValue>>>,
) -> Result<Response, ApiError> {
    let result = sign_in_steps(&app, &client, &headers, body).await;
    logged(&app, &client, Event::new(EventCode::SignInFailed), result).await
}

async fn sign_in_steps(
    app: &AppState,
    client: &Client,
    headers: &HeaderMap,
    body: CeremonyFinish<Box<RawValue>>,
) -> Result<Response, ApiError> {
    let app = app.clone();
    let credential = parse_credential(&body.credential)?;
    let live = app.live();
    let response = live.rp.parse_authentication(&credential)?;
    let ceremony = take_ceremony(&app, body.ceremony, &[CeremonyKind::Authentication]).await?;
    let credential_id = response.credential_id().to_vec();
    let stored =
        app.db.run(move |conn| db::find_passkey(conn, &credential_id)).await?.ok_or(ErrorCode::CredentialUnknown)?;
    // §7.2 step 6: the credential must belong to the user the authenticator names.
    if stored.user_handle != response.user_handle() {
        return Err(ApiError::with_detail(ErrorCode::CredentialRejected, "user handle is not the credential owner's"));
    }
    let verified = live.rp.finish_authentication(&ceremony.state, &response, &stored)?;
    let session = start_session(&app, headers, stored.user_id, verified.methods, Some(verified.passkey_use)).await?;
    record_sign_in(&app, client, stored.user_id, &session).await;
    let next = next_after_passkey(&app, stored.user_id, &credential).await?;
    Ok(session.respond(next))
}

/// Records a session's start as `sign_in`, with its methods.
pub(crate) async fn record_sign_in(app: &AppState, client: &Client, user_id: i64, session: &StartedSession) {
    let info = session.info();
    let event = Event::new(EventCode::SignIn).user(user_id).email(&info.user.email).methods(&info.methods);
    events::record(app, client, event).await;
}

/// Passes a handler's result on, recording `failed` with the error's code as the reason when it failed.
pub(crate) async fn logged<T>(
    app: &AppState,
    client: &Client,
    failed: Event,
    result: Result<T, ApiError>,
) -> Result<T, ApiError> {
    if let Err(error) = &result {
        events::record(app, client, failed.reason(error.code().as_str())).await;
    }
    result
}

/// Local enrollment: after a sign-in with a passkey from another device (the response's
/// `authenticatorAttachment` is `cross-platform`, WebAuthn §5.1), offer one on this device, unless the
/// policy is off or the person said "Not now" or "Don't ask again".
pub(crate) async fn next_after_passkey(app: &AppState, user_id: i64, credential: &Value) -> Result<Next, ApiError> {
    let cross_platform = credential.get("authenticatorAttachment").and_then(Value::as_str) == Some("cross-platform");
    if !(app.live().policy.local_enrollment && cross_platform) {
        return Ok(Next::Done);
    }
    let account = app.db.run(move |conn| db::find_account_by_id(conn, user_id)).await?;
    Ok(if account.is_some_and(|a| a.offer_passkey) { Next::OfferLocalPasskey } else { Next::Done })
}

/// `GET /api/session`: who is signed in, and how; `204 No Content` when nobody is. (Not a 401: asking
/// is how a login page finds out, and every anonymous visit would otherwise log a console error.)
///
/// Either answer carries the policy's passkey prompt for the sign-in screen in `Latchkey-Challenge-UI`
/// (`autofill`, `button` or `both`): the widget asks this first, so it knows before it draws.
pub async fn current_session(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let challenge_ui = match app.live().policy.challenge_ui {
        ChallengeUi::Autofill => "autofill",
        ChallengeUi::Button => "button",
        ChallengeUi::Both => "both",
    };
    let policy = [(CHALLENGE_UI_HEADER, challenge_ui)];
    let Some(secret) = session::secret_from(&headers, app.config.is_https()) else {
        return Ok(no_store((policy, StatusCode::NO_CONTENT)));
    };
    let id_hash = session::hash_secret(&secret);
    let Some(row) = app.db.run(move |conn| db::find_session(conn, &id_hash)).await? else {
        return Ok(no_store((policy, StatusCode::NO_CONTENT)));
    };
    let info = SessionInfo {
        user: UserInfo { email: row.user.email, display_name: row.user.display_name },
        methods: session::decode_methods(&row.methods),
    };
    Ok(no_store((policy, Json(info))))
}

/// The header of `GET /api/session` that carries the policy's `challenge_ui`.
pub const CHALLENGE_UI_HEADER: &str = "latchkey-challenge-ui";

/// `POST /api/signout`: revokes the session and clears its cookie; succeeds when signed out already.
pub async fn sign_out(State(app): State<AppState>, client: Client, headers: HeaderMap) -> Result<Response, ApiError> {
    let https = app.config.is_https();
    if let Some(secret) = session::secret_from(&headers, https) {
        let id_hash = session::hash_secret(&secret);
        let lookup = id_hash.clone();
        if let Some(row) = app.db.run(move |conn| db::find_session(conn, &lookup)).await? {
            let event = Event::new(EventCode::SignOut).user(row.user_id).email(&row.user.email);
            events::record(&app, &client, event).await;
        }
        app.db.run(move |conn| db::revoke_session(conn, &id_hash)).await?;
    }
    Ok(no_store((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session::clear_cookie(https))])))
}

/// Any other `/api/…` path.
pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound)
}

/// A known `/api/…` path with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(ErrorCode::MethodNotAllowed)
}

fn display_name_or_email(display_name: Option<&str>, email: &str) -> Result<String, ApiError> {
    match display_name.map(str::trim) {
        None => Ok(email.to_owned()),
        Some(name) if name.is_empty() || name.chars().count() > MAX_DISPLAY_NAME_CHARS => {
            Err(ErrorCode::InvalidDisplayName.into())
        }
        Some(name) => Ok(name.to_owned()),
    }
}

pub(crate) fn parse_credential(raw: &RawValue) -> Result<Value, ApiError> {
    serde_json::from_str(raw.get()).map_err(|e| ApiError::with_detail(ErrorCode::MalformedRequest, e.to_string()))
}

fn new_ceremony_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl CeremonyRow {
    /// A row for `state` that expires after the configured ceremony timeout.
    pub(crate) fn new(app: &AppState, state: Vec<u8>) -> Self {
        Self {
            state,
            pending_user: None,
            user_id: None,
            then_sign_in: false,
            from_account: false,
            expires_at: now() + app.config.ceremony_timeout_secs as i64,
        }
    }
}

/// Stores a ceremony and answers with its ID and options.
async fn store_ceremony(
    app: &AppState,
    kind: CeremonyKind,
    row: CeremonyRow,
    options_json: String,
) -> Result<Response, ApiError> {
    Ok(no_store(Json(save_ceremony(app, kind, row, options_json).await?)))
}

/// Stores a ceremony; returns its ID and options for a response.
pub(crate) async fn save_ceremony(
    app: &AppState,
    kind: CeremonyKind,
    row: CeremonyRow,
    options_json: String,
) -> Result<CeremonyStarted<Box<RawValue>>, ApiError> {
    let id = new_ceremony_id();
    let key = id.clone();
    app.db.run(move |conn| db::insert_ceremony(conn, &key, kind, &row)).await?;
    let options =
        RawValue::from_string(options_json).map_err(|e| ApiError::with_detail(ErrorCode::Internal, e.to_string()))?;
    Ok(CeremonyStarted { ceremony: id, public_key: options })
}

/// Takes a ceremony for good: unknown or already used IDs and expired ceremonies are refused.
pub(crate) async fn take_ceremony(
    app: &AppState,
    id: String,
    kind: &'static [CeremonyKind; 1],
) -> Result<CeremonyRow, ApiError> {
    take_ceremony_of(app, id, kind).await.map(|(_, row)| row)
}

/// Takes a ceremony of any of `kinds` for good, with its kind.
pub(crate) async fn take_ceremony_of(
    app: &AppState,
    id: String,
    kinds: &'static [CeremonyKind],
) -> Result<(CeremonyKind, CeremonyRow), ApiError> {
    let taken = app.db.run(move |conn| db::take_ceremony(conn, &id, kinds)).await?;
    let (kind, row) = taken.ok_or(ErrorCode::CeremonyUnknown)?;
    if row.expires_at < now() {
        return Err(ErrorCode::CeremonyExpired.into());
    }
    Ok((kind, row))
}

/// The signed-in user's row ID, or `not_signed_in`.
pub(crate) async fn session_user(app: &AppState, headers: &HeaderMap) -> Result<i64, ApiError> {
    Ok(recent_session(app, headers, i64::MAX).await?.0)
}

/// How recent a sign-in must be for changes that lock people out if a stolen session makes them
/// (deleting a passkey, setting a password without the old one): 15 minutes.
pub(crate) const RECENT_SIGN_IN_SECS: i64 = 15 * 60;

/// The user and session ID hash of a session started within `max_age_secs`; an older one gets
/// `not_signed_in`, so the person signs in again ("Log in" is offered) before the change.
pub(crate) async fn recent_session(
    app: &AppState,
    headers: &HeaderMap,
    max_age_secs: i64,
) -> Result<(i64, Vec<u8>), ApiError> {
    let secret = session::secret_from(headers, app.config.is_https()).ok_or(ErrorCode::NotSignedIn)?;
    let id_hash = session::hash_secret(&secret);
    let lookup = id_hash.clone();
    let row = app.db.run(move |conn| db::find_session(conn, &lookup)).await?.ok_or(ErrorCode::NotSignedIn)?;
    if now().saturating_sub(row.created_at) > max_age_secs {
        return Err(ApiError::with_detail(ErrorCode::NotSignedIn, "sign-in too old for this change"));
    }
    Ok((row.user_id, id_hash))
}

/// The account behind a row ID that a session or ceremony named.
pub(crate) async fn account_by_id(app: &AppState, user_id: i64) -> Result<Account, ApiError> {
    app.db
        .run(move |conn| db::find_account_by_id(conn, user_id))
        .await?
        .ok_or_else(|| ApiError::with_detail(ErrorCode::NotSignedIn, "account gone"))
}

/// A session that has just started: its cookie and what the widget shows.
pub(crate) struct StartedSession {
    cookie: axum::http::HeaderValue,
    info: SessionInfo,
}

impl StartedSession {
    /// The sign-in step's response, setting the session cookie.
    pub(crate) fn respond(self, next: Next) -> Response {
        let session = Some(self.info.clone());
        self.respond_with(SignInStep { session, next, ceremony: None, passkey: None })
    }

    /// A response with `step` (whose session is this one), setting the session cookie.
    pub(crate) fn respond_with(self, step: SignInStep<Box<RawValue>>) -> Response {
        no_store(([(header::SET_COOKIE, self.cookie)], Json(step)))
    }

    /// What the widget shows of the session.
    pub(crate) fn info(&self) -> &SessionInfo {
        &self.info
    }
}

/// Signs `user_id` in: records the passkey's use if this is a sign-in, starts a new session and revokes
/// the one the browser came with, all in one transaction; a passkey changed by a concurrent sign-in since
/// it was read refuses the whole sign-in.
pub(crate) async fn start_session(
    app: &AppState,
    headers: &HeaderMap,
    user_id: i64,
    methods: Vec<AuthMethod>,
    passkey_use: Option<PasskeyUse>,
) -> Result<StartedSession, ApiError> {
    let https = app.config.is_https();
    let new = session::new_secret();
    let cookie = session::set_cookie(&new.secret, https, app.config.session_ttl_secs)?;
    let start = SessionStart {
        id_hash: new.id_hash,
        user_id,
        methods: session::encode_methods(&methods),
        expires_at: now() + app.config.session_ttl_secs as i64,
        replaces: session::secret_from(headers, https).map(|s| session::hash_secret(&s)),
    };
    let user = app.db.run(move |conn| db::sign_in(conn, &start, passkey_use.as_ref())).await?.map_err(|e| match e {
        SignInRefused::PasskeyChanged => {
            ApiError::with_detail(ErrorCode::CounterRegression, "a concurrent sign-in used this passkey")
        }
        SignInRefused::UserGone => ApiError::with_detail(ErrorCode::Internal, "session user vanished"),
    })?;
    let info = SessionInfo { user: UserInfo { email: user.email, display_name: user.display_name }, methods };
    Ok(StartedSession { cookie, info })
}

/// Marks an API answer as never cacheable: options carry challenges and sessions carry identities.
pub(crate) fn no_store(response: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], response).into_response()
}
