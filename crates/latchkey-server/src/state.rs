//! What every request shares ([`AppState`]) and the policy a request runs under ([`Live`]), taken once
//! when the request arrives and handed to every step by the [`InForce`] extractor.

use std::sync::{Arc, RwLock};

use axum::{
    extract::{FromRequestParts, Request, State},
    http::request::Parts,
    middleware::Next,
    response::Response,
};
use latchkey_proto::Policy;
use tokio::sync::Notify;

use crate::{background, ceremony::RelyingParty, config::Config, mail::Mailer, oidc, store::Store};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The configuration the server started with.
    pub config: Arc<Config>,
    /// The database.
    pub store: Store,
    /// The policy in force and the relying party built with it; the console swaps both at once.
    live: Arc<RwLock<Arc<Live>>>,
    /// Taken by each policy change, so concurrent changes apply in the order they are stored.
    pub policy_changes: Arc<tokio::sync::Mutex<()>>,
    /// Wakes the outbox worker when a request has queued work for it.
    pub outbox_ready: Arc<Notify>,
    /// The secret the stand-in credentials of unknown emails derive from (kept in the database).
    pub stand_in_key: Arc<[u8]>,
    /// The secret the OpenID provider's login page signs its return to the authorization endpoint with.
    pub provider_key: Arc<[u8]>,
}

/// What the policy decides, as one value: a request takes it once and sees one policy throughout.
pub struct Live {
    /// The policy in force.
    pub policy: Policy,
    /// The relying party for that policy (origins, user verification, attachment).
    pub rp: RelyingParty,
    /// The stored version of the policy, which tells a node that another has changed it.
    pub version: i64,
}

impl AppState {
    /// Opens the database the configuration names, loads the policy (seeding it from the configuration
    /// on first start) and builds the relying party. Inside a Tokio runtime it also starts the
    /// background workers (`background.rs`): the outbox and the sweeper.
    pub fn new(config: Config) -> Result<Self, String> {
        let state = Self::without_workers(config)?;
        if tokio::runtime::Handle::try_current().is_ok() {
            let mailer = Mailer::new(&state.config)?;
            background::start(state.clone(), mailer);
        }
        Ok(state)
    }

    /// The state alone, for tools that read the database (`latchkey-server events`) and must not
    /// deliver mail or sweep.
    pub fn without_workers(config: Config) -> Result<Self, String> {
        let store = Store::open(&config.database_url).map_err(|e| e.to_string())?;
        let (policy, version) = store.load_policy(&config.seed_policy()).map_err(|e| e.to_string())?;
        let policy = config.checked_policy(policy).map_err(|e| e.to_string())?;
        let rp = RelyingParty::new(&config, &policy)?;
        let stand_in_key = store.secret("stand_in").map_err(|e| e.to_string())?;
        let provider_key = store.secret("provider").map_err(|e| e.to_string())?;
        oidc::keys::ensure_key(&store).map_err(|e| e.to_string())?;
        Ok(Self {
            config: Arc::new(config),
            store,
            live: Arc::new(RwLock::new(Arc::new(Live { policy, rp, version }))),
            policy_changes: Arc::new(tokio::sync::Mutex::new(())),
            outbox_ready: Arc::new(Notify::new()),
            stand_in_key: stand_in_key.into(),
            provider_key: provider_key.into(),
        })
    }

    /// The policy and relying party in force now. Requests do not call this: they get the value taken
    /// when they arrived, through [`InForce`].
    pub fn live(&self) -> Arc<Live> {
        match self.live.read() {
            Ok(live) => Arc::clone(&live),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Applies a checked policy of `version` from now on (requests already running finish with the
    /// old one). An older version than the one in force is ignored: two nodes' changes, or a change and
    /// the watcher's reading of it, may arrive in either order.
    pub fn apply_policy(&self, policy: Policy, version: i64) -> Result<(), String> {
        let rp = RelyingParty::new(&self.config, &policy)?;
        let next = Arc::new(Live { policy, rp, version });
        let mut live = self.live.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if live.version < version {
            *live = next;
        }
        Ok(())
    }
}

/// The policy a request runs under: taken once when it arrived (by [`take_policy`]), so the origin
/// check, CORS, the ceremony and the answer all see the same one.
pub struct InForce(pub Arc<Live>);

impl FromRequestParts<AppState> for InForce {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(pinned(parts).unwrap_or_else(|| app.live())))
    }
}

/// The policy [`take_policy`] pinned to this request, if it ran.
pub fn pinned(parts: &Parts) -> Option<Arc<Live>> {
    parts.extensions.get::<Arc<Live>>().cloned()
}

/// Middleware that takes the policy in force once, when the request arrives.
pub async fn take_policy(State(app): State<AppState>, mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(app.live());
    next.run(request).await
}
