//! Latchkey's verification server: WebAuthn ceremonies with `webauthn_rp`, accounts, passkeys and
//! sessions in SQLite, and the widget's files, behind one axum router.
//!
//! Architecture Invariant: [`app`] builds the whole server from an [`AppState`], with no socket, so
//! tests drive it with `oneshot` exactly as the network would.

pub mod account;
pub mod admin;
pub mod api;
pub mod ceremony;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod journeys;
pub mod mail;
pub mod naming;
pub mod password;
pub mod session;
pub mod stand_in;

use std::sync::{Arc, RwLock};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    http::{HeaderName, HeaderValue, Method, header},
    middleware::{self, Next},
    response::Response,
    routing::{get, post},
};
use latchkey_proto::{ErrorCode, Policy, paths};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

use crate::{ceremony::RelyingParty, config::Config, db::Db, error::ApiError, mail::Mailer};

/// The largest request body the API reads. A registration response with a 1023-byte credential ID and
/// an RSA key is under 4 KiB; 64 KiB leaves room for attestation statements.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The policy for every page the server serves: our scripts only, WASM allowed, nothing framed.
const CONTENT_SECURITY_POLICY: &str =
    "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The configuration the server started with.
    pub config: Arc<Config>,
    /// The database.
    pub db: Db,
    /// The policy in force and the relying party built with it; the console swaps both at once.
    live: Arc<RwLock<Arc<Live>>>,
    /// Taken by each policy change, so concurrent changes apply in the order they are stored.
    pub policy_changes: Arc<tokio::sync::Mutex<()>>,
    /// Where reset links are sent.
    pub mailer: Mailer,
    /// The secret the stand-in credentials of unknown emails derive from (kept in the database).
    pub stand_in_key: Arc<[u8]>,
}

/// What the policy decides, as one value: a request reads it once and sees one policy throughout.
pub struct Live {
    /// The policy in force.
    pub policy: Policy,
    /// The relying party for that policy (origins, user verification, attachment).
    pub rp: RelyingParty,
}

impl AppState {
    /// Opens the database the configuration names, loads the policy (seeding it from the configuration
    /// on first start) and builds the relying party.
    pub fn new(config: Config) -> Result<Self, String> {
        let db = Db::open(config.sqlite_path()).map_err(|e| e.to_string())?;
        let seed = config.seed_policy();
        let policy = db.blocking(|conn| db::load_policy(conn, &seed)).map_err(|e| e.to_string())?;
        let policy = config.checked_policy(policy).map_err(|e| e.to_string())?;
        let rp = RelyingParty::new(&config, &policy)?;
        let mailer = Mailer::new(&config)?;
        let stand_in_key = db.blocking(|conn| db::secret(conn, "stand_in")).map_err(|e| e.to_string())?;
        let live = Arc::new(RwLock::new(Arc::new(Live { policy, rp })));
        let policy_changes = Arc::new(tokio::sync::Mutex::new(()));
        Ok(Self { config: Arc::new(config), db, mailer, stand_in_key: stand_in_key.into(), live, policy_changes })
    }

    /// The policy and relying party in force now.
    pub fn live(&self) -> Arc<Live> {
        match self.live.read() {
            Ok(live) => Arc::clone(&live),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Applies a checked policy from now on (requests already running finish with the old one).
    pub fn apply_policy(&self, policy: Policy) -> Result<(), String> {
        let rp = RelyingParty::new(&self.config, &policy)?;
        let next = Arc::new(Live { policy, rp });
        match self.live.write() {
            Ok(mut live) => *live = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        Ok(())
    }
}

/// The whole server: the JSON API under `/api` and the built widget and demo page at `/`.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route(paths::SIGN_UP_START, post(api::sign_up_start))
        .route(paths::SIGN_UP_FINISH, post(api::sign_up_finish))
        .route(paths::SIGN_IN_START, post(api::sign_in_start))
        .route(paths::SIGN_IN_FINISH, post(api::sign_in_finish))
        .route(paths::SESSION, get(api::current_session))
        .route(paths::SIGN_OUT, post(api::sign_out))
        .route(paths::IDENTIFY, post(journeys::identify))
        .route(paths::VERIFY_PASSKEY, post(journeys::verify_passkey))
        .route(paths::PASSWORD_SIGN_IN, post(journeys::password_sign_in))
        .route(paths::PASSWORD_SIGN_UP, post(journeys::password_sign_up))
        .route(paths::PASSWORD_FORGOT, post(journeys::password_forgot))
        .route(paths::PASSWORD_RESET, post(journeys::password_reset))
        .route(paths::PASSKEY_ADD_START, post(journeys::add_passkey_start))
        .route(paths::PASSKEY_ADD_FINISH, post(journeys::add_passkey_finish))
        .route(paths::PASSKEY_RENAME, post(journeys::rename_passkey))
        .route(paths::PASSKEY_DECLINE, post(journeys::decline_passkey))
        .route(paths::ACCOUNT, get(account::account))
        .route(paths::PASSKEY_DELETE, post(account::delete_passkey))
        .route(paths::PASSWORD_CHANGE, post(account::change_password))
        .route(paths::ADMIN_POLICY, get(admin::get_policy).put(admin::put_policy))
        .route(paths::ADMIN_EVENTS, get(admin::list_events))
        .route("/api/{*rest}", axum::routing::any(api::not_found))
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), refuse_foreign_origins))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors(state.clone()));
    let files = Router::new().fallback_service(ServeDir::new(&state.config.static_dir)).layer(
        SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
    );
    let well_known = Router::new().route("/.well-known/webauthn", get(admin::related_origins));
    api.merge(well_known)
        .merge(files)
        .layer(TraceLayer::new_for_http())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .with_state(state)
}

/// Lets the configured origins call the API with the session cookie, so a login page on
/// `https://www.example.com` can use a server on `https://login.example.com` (the element's `api`
/// attribute). The cookie stays `SameSite=Lax`, so this works within one site, never across sites.
fn cors(app: AppState) -> CorsLayer {
    let allowed = move |origin: &HeaderValue, _: &axum::http::request::Parts| {
        origin.to_str().is_ok_and(|o| app.live().policy.allows_origin(o))
    };
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(allowed))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([HeaderName::from_static(api::CHALLENGE_UI_HEADER)])
}

/// Refuses API calls a browser made from a page we do not serve. Browsers always send `Origin` on
/// cross-origin requests and on POSTs, so this stops cross-site request forgery (sign-out included);
/// requests without the header (curl, server-to-server) are left to the other checks.
async fn refuse_foreign_origins(
    State(app): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        let allowed = origin.to_str().is_ok_and(|o| app.live().policy.allows_origin(o));
        if !allowed {
            return Err(ApiError::with_detail(ErrorCode::OriginNotAllowed, format!("Origin {origin:?}")));
        }
    }
    Ok(next.run(request).await)
}
