//! Latchkey's verification server: WebAuthn ceremonies with `webauthn_rp`, accounts, passkeys and
//! sessions in SQLite or PostgreSQL, an OpenID Connect provider, and the widget's files, behind one axum
//! router.
//!
//! Architecture Invariant: [`app`] builds the whole server from an [`AppState`], with no socket, so
//! tests drive it with `oneshot` exactly as the network would.

pub mod background;
pub mod ceremony;
pub mod client_ip;
pub mod commands;
pub mod config;
pub mod error;
pub mod events;
pub mod handlers;
pub mod hashing;
pub mod http;
pub mod limits;
pub mod mail;
pub mod naming;
pub mod notices;
pub mod oidc;
pub mod page;
pub mod passkey;
pub mod password;
pub mod serve;
pub mod session;
pub mod sign_up_code;
pub mod stand_in;
pub mod state;
pub mod store;
pub mod text_rules;
pub mod texts;
pub mod user_agent;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderValue, StatusCode, header},
    middleware,
    routing::{any, delete, get, post},
};
use latchkey_proto::paths;
use tower_http::{
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    timeout::{RequestBodyTimeoutLayer, TimeoutLayer},
    trace::TraceLayer,
};

use crate::handlers::{
    account, account_sessions, admin, email, email_link, passkeys, passwords, recovery, session_token, sessions,
    sign_in, sign_up,
};
use crate::http::CONTENT_SECURITY_POLICY;
pub use crate::state::AppState;

/// The largest request body the API reads. A registration response with a 1023-byte credential ID and
/// an RSA key is under 4 KiB; 64 KiB leaves room for attestation statements.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The largest form the email link page accepts: a token and an answer.
const MAX_EMAIL_FORM_BYTES: usize = 1024;

/// The whole server: the JSON API under `/api` and the built widget and demo page at `/`.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route(paths::SIGN_UP_START, post(sign_up::sign_up_start))
        .route(paths::SIGN_UP_FINISH, post(sign_up::sign_up_finish))
        .route(paths::PASSWORD_SIGN_UP, post(sign_up::password_sign_up))
        .route(paths::SIGN_UP_CODE, post(handlers::sign_up_code::enter_code))
        .route(paths::SIGN_IN_START, post(sign_in::sign_in_start))
        .route(paths::SIGN_IN_FINISH, post(sign_in::sign_in_finish))
        .route(paths::IDENTIFY, post(sign_in::identify))
        .route(paths::VERIFY_PASSKEY, post(sign_in::verify_passkey))
        .route(paths::PASSWORD_SIGN_IN, post(sign_in::password_sign_in))
        .route(paths::SESSION, get(sessions::current_session))
        .route(paths::SESSION_TOKEN, post(session_token::session_token))
        .route(paths::SIGN_OUT, post(sessions::sign_out))
        .route(paths::PASSWORD_FORGOT, post(passwords::password_forgot))
        .route(paths::PASSWORD_RESET, post(passwords::password_reset))
        .route(paths::RECOVERY_START, post(recovery::recovery_start))
        .route(paths::RECOVERY_FINISH, post(recovery::recovery_finish))
        .route(paths::PASSWORD_CHANGE, post(passwords::change_password))
        .route(paths::PASSKEY_ADD_START, post(passkeys::add_passkey_start))
        .route(paths::PASSKEY_ADD_FINISH, post(passkeys::add_passkey_finish))
        .route(paths::PASSKEY_RENAME, post(passkeys::rename_passkey))
        .route(paths::PASSKEY_DECLINE, post(passkeys::decline_passkey))
        .route(paths::PASSKEY_DELETE, post(passkeys::delete_passkey))
        .route(paths::ACCOUNT, get(account::account))
        .route(paths::SESSION_END, post(account_sessions::end_session))
        .route(paths::SESSIONS_END_OTHERS, post(account_sessions::end_other_sessions))
        .route(paths::EMAIL_CHANGE, post(email::change_email))
        .route(paths::EMAIL_VERIFY, post(email::resend_verification))
        .route(paths::ADMIN_POLICY, get(admin::policy::get_policy).put(admin::policy::put_policy))
        .route(paths::ADMIN_EVENTS, get(admin::events::list_events))
        .route(paths::ADMIN_CLIENTS, get(admin::clients::list_clients).post(admin::clients::add_client))
        .route(paths::ADMIN_CLIENT, delete(admin::clients::remove_client))
        .route(paths::ADMIN_USERS, get(admin::users::search))
        .route(paths::ADMIN_USER, get(admin::users::detail).delete(admin::users::delete))
        .route(paths::ADMIN_USER_DISABLE, post(admin::users::disable))
        .route(paths::ADMIN_USER_ENABLE, post(admin::users::enable))
        .route("/api/{*rest}", any(http::not_found))
        .method_not_allowed_fallback(http::method_not_allowed)
        .layer(middleware::from_fn(http::refuse_foreign_origins))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(http::cors());
    let files = Router::new().fallback_service(ServeDir::new(&state.config.static_dir)).layer(
        SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
    );
    let well_known = Router::new().route("/.well-known/webauthn", get(admin::policy::related_origins));
    // The page a mailed link opens: HTML and a form, outside the JSON API's layers.
    let email_link = Router::new()
        .route(paths::EMAIL_LINK, get(email_link::open_link).post(email_link::answer_link))
        .layer(DefaultBodyLimit::max(MAX_EMAIL_FORM_BYTES));
    let routes = api
        .merge(well_known)
        .merge(email_link)
        .merge(oidc::router())
        .merge(files)
        // Outside the API's layers, so CORS and the origin check see the policy the handler will.
        .layer(middleware::from_fn_with_state(state.clone(), state::take_policy))
        .layer(http::panic_boundary())
        // A request (its body included) gets a fixed time in all, and its body may pause no longer
        // than that between two parts: a client that sends slowly, or a handler stuck on the database,
        // costs at most that.
        .layer(RequestBodyTimeoutLayer::new(state.config.request_timeout()))
        // 503, not 408: browsers resend a request that got 408 on a kept-alive connection, and a write
        // whose answer timed out may have been made.
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, state.config.request_timeout()))
        // Spans name the path, never the query: an email link carries its token there.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
        }));
    http::with_security_headers(routes, state.config.is_https()).with_state(state)
}
