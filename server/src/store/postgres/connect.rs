//! Reaching the shared database: the connection settings (named in
//! messages without their password), the connection itself with moot's
//! tables made or checked, and the statements every append uses.

use std::fmt;
use std::time::Duration;

use postgres::{Client, NoTls, Statement};

use crate::store::StoreError;

/// The schema version this code writes (in `moot_schema`).
const SCHEMA_VERSION: i32 = 1;
/// The key of the advisory lock that nodes starting at once take while
/// they make the tables, so only one of them does.
const SCHEMA_LOCK: i64 = 0x6d6f_6f74;

/// How to reach the database, and this node's part in sharing it.
#[derive(Clone)]
pub struct Settings {
    /// `postgres://user:password@host:port/database` (or the key=value form).
    pub url: String,
    /// Where this node serves, told to nodes that find a meetup it owns.
    pub node_url: String,
    /// How long a lease lasts without renewal.
    pub lease: Duration,
}

impl fmt::Debug for Settings {
    // The URL may hold a password, and settings end up in logs.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Settings")
            .field("database", &target(&self.url))
            .field("node_url", &self.node_url)
            .field("lease", &self.lease)
            .finish()
    }
}

/// The database a URL names, for messages: `user@host:port/database`,
/// never the password.
pub fn target(url: &str) -> String {
    let Ok(config) = url.parse::<postgres::Config>() else {
        return "(a connection string that does not parse)".to_owned();
    };
    let host = config
        .get_hosts()
        .first()
        .map_or_else(String::new, |host| match host {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        });
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("");
    let database = config.get_dbname().unwrap_or(user);
    format!("{user}@{host}:{port}/{database}")
}

/// A connection and its prepared statements.
pub(super) struct Connected {
    pub(super) client: Client,
    pub(super) insert_event: Statement,
    pub(super) fence: Statement,
    pub(super) snapshot: Statement,
    pub(super) ended: Statement,
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> StoreError {
        StoreError::Postgres(with_causes(&error))
    }
}

/// An error with its causes ("error connecting to server: Connection
/// refused"): the client's own message alone does not say why.
pub(super) fn with_causes(error: &postgres::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// Opens a connection, makes the tables if there are none, checks the
/// schema, and prepares the statements every append uses.
pub(super) fn connect(settings: &Settings) -> Result<Connected, StoreError> {
    let unreachable = |error: postgres::Error| StoreError::Unreachable {
        target: target(&settings.url),
        detail: with_causes(&error),
    };
    let mut config: postgres::Config =
        settings
            .url
            .parse()
            .map_err(|error: postgres::Error| StoreError::Unreachable {
                target: target(&settings.url),
                detail: error.to_string(),
            })?;
    if config.get_connect_timeout().is_none() {
        // A database that does not answer fails commands soon, rather than
        // leaving every room waiting on the connect.
        config.connect_timeout(Duration::from_secs(3));
    }
    config.application_name("moot");
    let mut client = config.connect(NoTls).map_err(unreachable)?;
    let mut transaction = client.transaction()?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
    transaction.batch_execute(
        "CREATE TABLE IF NOT EXISTS moot_schema (version integer NOT NULL);
         CREATE TABLE IF NOT EXISTS meetups (
             code text PRIMARY KEY,
             opened_at bigint NOT NULL,
             ended_at bigint,
             snapshot_seq bigint NOT NULL DEFAULT 0,
             snapshot text,
             owner text,
             fence bigint NOT NULL DEFAULT 0,
             wanted_by text
         );
         CREATE TABLE IF NOT EXISTS nodes (
             node text PRIMARY KEY,
             url text NOT NULL,
             lease_until timestamptz NOT NULL
         );
         CREATE TABLE IF NOT EXISTS events (
             code text NOT NULL,
             seq bigint NOT NULL,
             at bigint NOT NULL,
             participant text,
             request_id text,
             event text NOT NULL,
             PRIMARY KEY (code, seq)
         );
         CREATE INDEX IF NOT EXISTS meetups_owner ON meetups (owner) WHERE owner IS NOT NULL;",
    )?;
    let version: Option<i32> = transaction
        .query_one("SELECT max(version) FROM moot_schema", &[])?
        .get(0);
    match version {
        None => {
            transaction.execute(
                "INSERT INTO moot_schema (version) VALUES ($1)",
                &[&SCHEMA_VERSION],
            )?;
        }
        Some(found) if found > SCHEMA_VERSION => {
            return Err(StoreError::ForeignDatabase {
                target: target(&settings.url),
                detail: format!(
                    "was written by a newer moot (schema {found}); this moot reads schema {SCHEMA_VERSION}"
                ),
            });
        }
        Some(_) => {}
    }
    transaction.commit()?;
    let insert_event = client.prepare(
        "INSERT INTO events (code, seq, at, participant, request_id, event)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )?;
    let fence = client
        .prepare("SELECT 1 FROM meetups WHERE code = $1 AND owner = $2 AND fence = $3 FOR SHARE")?;
    let snapshot =
        client.prepare("UPDATE meetups SET snapshot_seq = $2, snapshot = $3 WHERE code = $1")?;
    let ended = client.prepare("UPDATE meetups SET ended_at = $2 WHERE code = $1")?;
    Ok(Connected {
        client,
        insert_event,
        fence,
        snapshot,
        ended,
    })
}
