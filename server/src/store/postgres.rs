//! The PostgreSQL engine: one database shared by several moot nodes, for a
//! company that runs moot on more than one machine (`--store postgres://…`).
//!
//! # Leases
//!
//! Each meetup is owned by one node at a time. Its row in `meetups` names
//! the owner (a random id drawn when the node starts) and a fencing number
//! that grows with every claim. The owner's lease is its row in `nodes`:
//! its address (`--node-url`) and when the lease runs out, by the
//! database's clock (so the nodes' clocks do not matter). A node renews
//! its lease every third of the lease time ([`Engine::renew`], driven by
//! [`crate::lease`]): one row, however many meetups it serves, so renewing
//! never competes with the rooms' writes. A node claims a meetup on first
//! use ([`Engine::claim`]) when it is unowned, already its own, or its
//! owner's lease has run out. A node that opens a meetup stores it
//! unowned, because the proxy may route its people to another node, which
//! then claims it.
//!
//! The proxy decides where a meetup's people go, so ownership follows it:
//! a node refused a meetup because another live node owns it marks the
//! meetup as wanted, and the owner gives it back at its next renewal
//! (telling its people to reconnect, which brings them to the node that
//! wanted it). This is how meetups move back to a node that restarted, or
//! to a node that was added, once the proxy routes them there.
//!
//! Appends are fenced: in the transaction that stores the events, the
//! batch reads each meetup's row `FOR SHARE` where this node is still the
//! owner with the fencing number of its claim, and a write whose meetup is
//! not among them fails with [`StoreError::LeaseLost`]. A claim updates the
//! same row, so PostgreSQL's row lock orders a takeover strictly after or
//! before each batch: a node that lost a meetup (it stalled, or lost the
//! database, for longer than the lease) can never append after the new
//! owner loaded the meetup, and the new owner loads every event the old
//! one committed.
//!
//! # Failures
//!
//! The connection is opened at start (an unreachable database stops moot
//! with an error that names it without its password) and again before the
//! next write whenever it broke, so service resumes by itself when the
//! database is back. A write whose commit failed may still have been
//! committed (the answer was lost with the connection); the room that made
//! it reloads from the database (see [`crate::room_task`]), so it neither
//! loses nor repeats it.
//!
//! Reaching the database (settings, the connection, the schema) is
//! [`connect`]'s.

use std::collections::HashMap;

use moot_shared::JoinCode;
use postgres::{Client, Statement};

use super::rows::{EventRow, MeetupRow, assemble, event_columns};
use super::{Claim, Engine, LoadedMeetup, StoreError, Write, Written};
use connect::{Connected, connect};

mod connect;

pub use connect::{Settings, target};

/// The PostgreSQL engine.
pub(super) struct Postgres {
    settings: Settings,
    /// This node's id in lease rows: random per process, so a restarted
    /// node does not take its predecessor's leases for its own.
    node: String,
    connected: Option<Connected>,
    /// The fencing number of each meetup this node claimed.
    fences: HashMap<JoinCode, i64>,
}

/// Connects, makes moot's tables if the database has none, and checks
/// that they are of a schema this moot reads.
///
/// # Errors
///
/// [`StoreError::Unreachable`] when the database cannot be reached,
/// [`StoreError::ForeignDatabase`] when it holds a newer schema.
pub(super) fn open(settings: &Settings) -> Result<Postgres, StoreError> {
    let mut engine = Postgres {
        settings: settings.clone(),
        node: uuid::Uuid::new_v4().simple().to_string(),
        connected: None,
        fences: HashMap::new(),
    };
    engine.connection()?;
    // The lease, before any claim; and nodes whose lease ran out a day
    // ago are forgotten (a meetup they owned is claimable either way).
    engine.renew()?;
    engine.connection()?.client.execute(
        "DELETE FROM nodes WHERE lease_until < now() - interval '1 day'",
        &[],
    )?;
    Ok(engine)
}

impl Postgres {
    /// The open connection, or a new one when there is none or it broke.
    fn connection(&mut self) -> Result<&mut Connected, StoreError> {
        if self
            .connected
            .as_ref()
            .is_some_and(|connected| connected.client.is_closed())
        {
            tracing::warn!("the connection to PostgreSQL broke; reconnecting");
            self.connected = None;
        }
        if self.connected.is_none() {
            self.connected = Some(connect(&self.settings)?);
        }
        Ok(self.connected.as_mut().expect("connected just above"))
    }

    /// Forgets a connection after an error that may have broken it: the
    /// next write opens a new one rather than find out the slow way.
    fn after_error(&mut self, error: &postgres::Error) {
        if error.is_closed() || error.as_db_error().is_none() {
            self.connected = None;
        }
    }

    fn lease_secs(&self) -> f64 {
        self.settings.lease.as_secs_f64()
    }

    /// Takes the lease of `code` if it is free, this node's, or run out.
    fn try_claim(&mut self, code: &JoinCode) -> Result<Claim, StoreError> {
        let node = self.node.clone();
        let client = &mut self.connection()?.client;
        let claimed = client.query_opt(
            "UPDATE meetups m SET owner = $2, fence = fence + 1, wanted_by = NULL
             WHERE code = $1 AND (owner IS NULL OR owner = $2 OR NOT EXISTS (
                 SELECT 1 FROM nodes n WHERE n.node = m.owner AND n.lease_until > now()))
             RETURNING fence",
            &[&code.as_str(), &node],
        )?;
        let Some(row) = claimed else {
            // Ask the owner to let go: the proxy sends this meetup's people
            // here now (a node came back or was added), and the owner hands
            // it over at its next renewal (see `renew`).
            let owner = client.query_opt(
                "UPDATE meetups m SET wanted_by = $2 WHERE code = $1
                 RETURNING (SELECT n.url FROM nodes n WHERE n.node = m.owner)",
                &[&code.as_str(), &node],
            )?;
            return Ok(match owner {
                Some(row) => Claim::Elsewhere {
                    node_url: row.get::<_, Option<String>>(0).unwrap_or_default(),
                },
                None => Claim::Unknown,
            });
        };
        let fence: i64 = row.get(0);
        // Everything the previous owner committed is in: its appends held
        // the row until they committed, and the claim waited for them.
        let meetup = load(client, code)?;
        self.fences.insert(code.clone(), fence);
        Ok(match meetup {
            Some(meetup) => Claim::Owned(Box::new(meetup)),
            None => Claim::Unknown,
        })
    }

    /// Commits a batch of appends in a handful of round trips, whatever
    /// its size: one statement checks (and holds) every meetup's fence, one
    /// inserts every event. Each round trip to the database costs the
    /// writer thread as much as the statement itself, so a write per
    /// statement (and a savepoint around each) would make the single
    /// writer the limit long before the database is. `None` when the batch
    /// holds other writes, or a statement failed (an event stored twice,
    /// say): the caller then commits it write by write.
    fn commit_appends(&mut self, batch: &[Write]) -> Result<Option<Vec<Written>>, postgres::Error> {
        if !batch
            .iter()
            .all(|write| matches!(write, Write::Append { .. }))
        {
            return Ok(None);
        }
        let node = self.node.clone();
        let connected = self
            .connected
            .as_mut()
            .expect("commit connects before it hands over the batch");
        let (codes, numbers): (Vec<&str>, Vec<i64>) = batch
            .iter()
            .filter_map(|write| match write {
                Write::Append { code, .. } => {
                    self.fences.get(code).map(|fence| (code.as_str(), *fence))
                }
                _ => None,
            })
            .unzip();
        let mut transaction = connected.client.transaction()?;
        // FOR SHARE holds each row until the commit, so a claim by another
        // node (an UPDATE of the row) waits for this batch, or this batch
        // finds the new owner.
        let held: std::collections::HashSet<String> = transaction
            .query(
                "SELECT m.code FROM meetups m
                 JOIN unnest($2::text[], $3::bigint[]) AS held(code, fence)
                   ON m.code = held.code AND m.fence = held.fence
                 WHERE m.owner = $1
                 FOR SHARE OF m",
                &[&node, &codes, &numbers],
            )?
            .iter()
            .map(|row| row.get(0))
            .collect();
        let mut columns = EventColumns::default();
        let mut results = Vec::with_capacity(batch.len());
        for write in batch {
            let Write::Append {
                code,
                events,
                snapshot,
                ended_at,
                ..
            } = write
            else {
                continue;
            };
            if !held.contains(code.as_str()) {
                self.fences.remove(code);
                results.push(Err(StoreError::LeaseLost(code.to_string())));
                continue;
            }
            for stored in events {
                if let Err(error) = columns.push(code, stored) {
                    results.push(Err(error));
                    continue;
                }
            }
            if let Some(snapshot) = snapshot {
                let updated = transaction.execute(
                    &connected.snapshot,
                    &[
                        &code.as_str(),
                        &i64::try_from(snapshot.seq.0).unwrap_or(i64::MAX),
                        &snapshot.room_json,
                    ],
                );
                if updated.is_err() {
                    return Ok(None);
                }
            }
            if let Some(ended_at) = ended_at {
                let updated = transaction.execute(
                    &connected.ended,
                    &[
                        &code.as_str(),
                        &i64::try_from(ended_at.0).unwrap_or(i64::MAX),
                    ],
                );
                if updated.is_err() {
                    return Ok(None);
                }
            }
            results.push(Ok(None));
        }
        if results.len() != batch.len() {
            // An event that does not serialise: let the slow path say which.
            return Ok(None);
        }
        let inserted = transaction.execute(
            "INSERT INTO events (code, seq, at, participant, request_id, event)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[])",
            &[
                &columns.code,
                &columns.seq,
                &columns.at,
                &columns.participant,
                &columns.request_id,
                &columns.event,
            ],
        );
        match inserted {
            Ok(_) => {}
            Err(error) if error.as_db_error().is_some() => return Ok(None),
            Err(error) => return Err(error),
        }
        transaction.commit()?;
        Ok(Some(results))
    }

    fn commit_batch(&mut self, batch: &[Write]) -> Result<Vec<Written>, postgres::Error> {
        if let Some(results) = self.commit_appends(batch)? {
            return Ok(results);
        }
        let node = self.node.clone();
        let fences = &mut self.fences;
        let connected = self
            .connected
            .as_mut()
            .expect("commit connects before it hands over the batch");
        let statements = (
            connected.insert_event.clone(),
            connected.fence.clone(),
            connected.snapshot.clone(),
            connected.ended.clone(),
        );
        let mut transaction = connected.client.transaction()?;
        let mut results = Vec::with_capacity(batch.len());
        for write in batch {
            let mut savepoint = transaction.savepoint("one_write")?;
            let result = apply_write(&mut savepoint, &statements, write, &node, fences);
            match result {
                Ok(outcome) => {
                    savepoint.commit()?;
                    results.push(Ok(outcome));
                }
                Err(WriteError::Store(error)) => {
                    savepoint.rollback()?;
                    results.push(Err(error));
                }
                Err(WriteError::Database(error)) if error.as_db_error().is_some() => {
                    savepoint.rollback()?;
                    results.push(Err(StoreError::from(error)));
                }
                // The connection itself failed: the whole batch fails.
                Err(WriteError::Database(error)) => return Err(error),
            }
        }
        transaction.commit()?;
        Ok(results)
    }
}

/// The events of a batch, column by column, for one multi-row insert.
#[derive(Default)]
struct EventColumns {
    code: Vec<String>,
    seq: Vec<i64>,
    at: Vec<i64>,
    participant: Vec<Option<String>>,
    request_id: Vec<Option<String>>,
    event: Vec<String>,
}

impl EventColumns {
    fn push(&mut self, code: &JoinCode, stored: &super::StoredEvent) -> Result<(), StoreError> {
        let (json, participant, request_id) = event_columns(stored)?;
        self.code.push(code.as_str().to_owned());
        self.seq
            .push(i64::try_from(stored.seq.0).unwrap_or(i64::MAX));
        self.at.push(i64::try_from(stored.at.0).unwrap_or(i64::MAX));
        self.participant.push(participant);
        self.request_id.push(request_id);
        self.event.push(json);
        Ok(())
    }
}

/// Why one write failed: the database said no, or moot did (a lost lease).
enum WriteError {
    Store(StoreError),
    Database(postgres::Error),
}

impl From<postgres::Error> for WriteError {
    fn from(error: postgres::Error) -> WriteError {
        WriteError::Database(error)
    }
}

impl From<StoreError> for WriteError {
    fn from(error: StoreError) -> WriteError {
        WriteError::Store(error)
    }
}

/// Applies one write inside the batch's transaction.
fn apply_write(
    transaction: &mut postgres::Transaction<'_>,
    (insert_event, fence, snapshot_statement, ended): &(Statement, Statement, Statement, Statement),
    write: &Write,
    node: &str,
    fences: &mut HashMap<JoinCode, i64>,
) -> Result<Option<Vec<JoinCode>>, WriteError> {
    let insert = |transaction: &mut postgres::Transaction<'_>,
                  code: &JoinCode,
                  events: &[super::StoredEvent]|
     -> Result<(), WriteError> {
        for stored in events {
            let (json, participant, request_id) = event_columns(stored)?;
            transaction.execute(
                insert_event,
                &[
                    &code.as_str(),
                    &i64::try_from(stored.seq.0).unwrap_or(i64::MAX),
                    &i64::try_from(stored.at.0).unwrap_or(i64::MAX),
                    &participant,
                    &request_id,
                    &json,
                ],
            )?;
        }
        Ok(())
    };
    match write {
        Write::Create {
            code,
            opened_at,
            first,
            ..
        } => {
            // Unowned: the node its people are routed to claims it.
            transaction.execute(
                "INSERT INTO meetups (code, opened_at) VALUES ($1, $2)",
                &[
                    &code.as_str(),
                    &i64::try_from(opened_at.0).unwrap_or(i64::MAX),
                ],
            )?;
            insert(transaction, code, std::slice::from_ref(first))?;
        }
        Write::Append {
            code,
            events,
            snapshot,
            ended_at,
            ..
        } => {
            // The fence: only the owner of the current claim appends, and
            // the row stays locked until this transaction ends.
            let held = match fences.get(code) {
                Some(number) => transaction
                    .query(fence, &[&code.as_str(), &node, number])?
                    .len(),
                None => 0,
            };
            if held != 1 {
                fences.remove(code);
                return Err(StoreError::LeaseLost(code.to_string()).into());
            }
            insert(transaction, code, events)?;
            if let Some(snapshot) = snapshot {
                transaction.execute(
                    snapshot_statement,
                    &[
                        &code.as_str(),
                        &i64::try_from(snapshot.seq.0).unwrap_or(i64::MAX),
                        &snapshot.room_json,
                    ],
                )?;
            }
            if let Some(ended_at) = ended_at {
                transaction.execute(
                    ended,
                    &[
                        &code.as_str(),
                        &i64::try_from(ended_at.0).unwrap_or(i64::MAX),
                    ],
                )?;
            }
        }
        Write::Delete { code, .. } => {
            transaction.execute("DELETE FROM events WHERE code = $1", &[&code.as_str()])?;
            transaction.execute("DELETE FROM meetups WHERE code = $1", &[&code.as_str()])?;
            fences.remove(code);
        }
        Write::Purge { ended_before, .. } => {
            let rows = transaction.query(
                "DELETE FROM meetups WHERE ended_at IS NOT NULL AND ended_at < $1 RETURNING code",
                &[&i64::try_from(ended_before.0).unwrap_or(i64::MAX)],
            )?;
            let codes: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
            transaction.execute("DELETE FROM events WHERE code = ANY($1)", &[&codes])?;
            let codes: Vec<JoinCode> = codes
                .iter()
                .filter_map(|code| JoinCode::parse(code).ok())
                .collect();
            for code in &codes {
                fences.remove(code);
            }
            return Ok(Some(codes));
        }
        Write::Claim { .. } | Write::Renew { .. } | Write::Shutdown { .. } => {}
    }
    Ok(None)
}

impl Engine for Postgres {
    fn commit(&mut self, batch: &[Write]) -> Vec<Written> {
        if let Err(error) = self.connection() {
            return batch.iter().map(|_| Err(error.clone())).collect();
        }
        match self.commit_batch(batch) {
            Ok(results) => results,
            Err(error) => {
                // Nothing of the batch may be acknowledged; whether the
                // commit went through is unknown, so the rooms reload.
                self.after_error(&error);
                let error = StoreError::from(error);
                batch.iter().map(|_| Err(error.clone())).collect()
            }
        }
    }

    fn claim(&mut self, code: &JoinCode) -> Result<Claim, StoreError> {
        self.try_claim(code).inspect_err(|_| {
            // A failed claim may have broken the connection; check it next time.
            if let Some(connected) = &self.connected
                && connected.client.is_closed()
            {
                self.connected = None;
            }
        })
    }

    fn renew(&mut self) -> Result<Vec<JoinCode>, StoreError> {
        let node = self.node.clone();
        let lease = self.lease_secs();
        let node_url = self.settings.node_url.clone();
        let client = &mut self.connection()?.client;
        // The lease itself: one row. Made again if it was forgotten while
        // this node could not reach the database.
        client.execute(
            "INSERT INTO nodes (node, url, lease_until)
             VALUES ($1, $2, now() + make_interval(secs => $3))
             ON CONFLICT (node) DO UPDATE SET lease_until = excluded.lease_until",
            &[&node, &node_url, &lease],
        )?;
        if self.fences.is_empty() {
            return Ok(Vec::new());
        }
        let (codes, numbers): (Vec<String>, Vec<i64>) = self
            .fences
            .iter()
            .map(|(code, fence)| (code.as_str().to_owned(), *fence))
            .unzip();
        let client = &mut self.connection()?.client;
        // Meetups another node claimed meanwhile (only possible after this
        // node's lease ran out), and meetups another live node asked for
        // because the proxy routes their people there: those are given
        // back, so that node claims them and their people follow.
        let mut transaction = client.transaction()?;
        transaction.execute(
            "UPDATE meetups SET owner = NULL, wanted_by = NULL
             WHERE owner = $1 AND wanted_by IS NOT NULL AND wanted_by <> $1
               AND EXISTS (SELECT 1 FROM nodes n
                   WHERE n.node = meetups.wanted_by AND n.lease_until > now())",
            &[&node],
        )?;
        let lost: Vec<JoinCode> = transaction
            .query(
                "SELECT held.code FROM unnest($2::text[], $3::bigint[]) AS held(code, fence)
                 WHERE NOT EXISTS (SELECT 1 FROM meetups m
                     WHERE m.code = held.code AND m.owner = $1 AND m.fence = held.fence)",
                &[&node, &codes, &numbers],
            )?
            .iter()
            .filter_map(|row| JoinCode::parse(row.get::<_, &str>(0)).ok())
            .collect();
        transaction.commit()?;
        for code in &lost {
            self.fences.remove(code);
        }
        Ok(lost)
    }

    fn close(mut self: Box<Self>) {
        // Give the leases back, so other nodes take these meetups over at
        // once instead of after the lease runs out.
        let node = self.node.clone();
        if let Some(connected) = self.connected.as_mut()
            && let Err(error) = connected.client.batch_execute(&format!(
                "UPDATE meetups SET owner = NULL WHERE owner = '{node}';
                 DELETE FROM nodes WHERE node = '{node}';"
            ))
        {
            tracing::warn!(%error, "giving the leases back failed; they run out by themselves");
        }
    }
}

/// Reads one meetup: its snapshot, the events after it, and the commands
/// answered before it.
fn load(client: &mut Client, code: &JoinCode) -> Result<Option<LoadedMeetup>, StoreError> {
    let Some(row) = client.query_opt(
        "SELECT code, ended_at, snapshot_seq, snapshot FROM meetups WHERE code = $1",
        &[&code.as_str()],
    )?
    else {
        return Ok(None);
    };
    let row = MeetupRow {
        code: row.get(0),
        ended_at: row.get(1),
        snapshot_seq: row.get(2),
        snapshot: row.get(3),
    };
    let snapshot_seq = row.snapshot_seq;
    let events = client
        .query(
            "SELECT seq, at, participant, request_id, event FROM events
             WHERE code = $1 AND seq > $2 ORDER BY seq",
            &[&code.as_str(), &snapshot_seq],
        )?
        .iter()
        .map(|row| EventRow {
            seq: row.get(0),
            at: row.get(1),
            participant: row.get(2),
            request_id: row.get(3),
            event: row.get(4),
        })
        .collect();
    let meetup = assemble(row, events, |window| {
        Ok(client
            .query(
                "SELECT seq, participant, request_id FROM events
                 WHERE code = $1 AND seq <= $2 AND request_id IS NOT NULL
                 ORDER BY seq DESC LIMIT $3",
                &[&code.as_str(), &snapshot_seq, &window],
            )?
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect())
    })?;
    Ok(Some(meetup))
}
