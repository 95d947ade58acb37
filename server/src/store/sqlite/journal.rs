//! The journal: appended events in arrival order, and the writer's
//! account of which of them are not yet copied into `events`.
//!
//! Why: `events` is kept in order of meetup and sequence number, so every
//! append wrote a page of its own room (and a 4 KiB page to the log), and
//! every checkpoint wrote one page per room that acted, scattered over the
//! file. The journal is in arrival order: a commit writes the last page or
//! two, however many rooms it serves. Copying a meetup's rows [`COPY_AT`] at
//! a time writes its page of `events` once for that many events (issue 19).

use std::collections::{BTreeSet, HashMap};

use moot_shared::JoinCode;
use rusqlite::Connection;

use crate::store::rows::EventRow;
use crate::store::{LoadedMeetup, StoreError};

/// Whether the file has the journal (schema 2 on); a backup being checked
/// may be older.
pub(super) fn has_journal(connection: &Connection) -> Result<bool, StoreError> {
    Ok(connection.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'journal'",
        [],
        |row| row.get::<_, i64>(0),
    )? > 0)
}

/// Reads the journal's rows (of every meetup, or the one with `only` this
/// code), by meetup, oldest first.
pub(super) fn journal_rows(
    connection: &Connection,
    only: Option<&JoinCode>,
) -> Result<HashMap<String, Vec<EventRow>>, StoreError> {
    if !has_journal(connection)? {
        return Ok(HashMap::new());
    }
    let mut select = connection.prepare(
        "SELECT code, seq, at, participant, request_id, event FROM journal
         WHERE ?1 IS NULL OR code = ?1 ORDER BY id",
    )?;
    let mut by_code: HashMap<String, Vec<EventRow>> = HashMap::new();
    let rows = select.query_map([only.map(JoinCode::as_str)], |row| {
        Ok((
            row.get::<_, String>(0)?,
            EventRow {
                seq: row.get(1)?,
                at: row.get(2)?,
                participant: row.get(3)?,
                request_id: row.get(4)?,
                event: row.get(5)?,
            },
        ))
    })?;
    for row in rows {
        let (code, event) = row?;
        by_code.entry(code).or_default().push(event);
    }
    Ok(by_code)
}

/// Adds journal rows to those read from `events`: sorted by sequence
/// number, each once (a row may be in both until the journal's copied head
/// is deleted).
pub(super) fn merge_journaled(stored: &mut Vec<EventRow>, journaled: Vec<EventRow>) {
    if journaled.is_empty() {
        return;
    }
    stored.extend(journaled);
    stored.sort_by_key(|row| row.seq);
    stored.dedup_by_key(|row| row.seq);
}

/// Copies every journal row of a stored meetup into `events` and empties
/// the journal, in one transaction.
pub(super) fn copy_whole_journal(connection: &Connection) -> Result<(), StoreError> {
    connection.execute_batch(
        "BEGIN;
         INSERT OR IGNORE INTO events (code, seq, at, participant, request_id, event)
             SELECT code, seq, at, participant, request_id, event FROM journal
             WHERE code IN (SELECT code FROM meetups) ORDER BY id;
         DELETE FROM journal;
         COMMIT;",
    )?;
    Ok(())
}

/// A write's effect on the writer's account of the journal.
pub(super) enum JournalChange {
    /// A new meetup, at its first event.
    Created(JoinCode),
    /// These rows of this meetup were added, up to this sequence number.
    Appended(JoinCode, Vec<i64>, i64),
    /// These meetups and their rows are gone.
    Deleted(Vec<JoinCode>),
}

/// A meetup's journal rows are copied into `events` once this many wait.
const COPY_AT: usize = 32;
/// A meetup whose oldest uncopied row is this many rows behind the newest
/// is copied however few rows it has, so the journal's head can go.
const HEAD_LAG: i64 = 65_536;
/// The most meetups copied in one commit.
const COPIES_PER_COMMIT: usize = 64;
/// The most of them copied for holding the head back. Meetups that started
/// together (a wave of joins) fall behind together: copying 64 of them in
/// each commit, up to 1,800 rows and 64 scattered pages a commit, stalled
/// every room for 100 ms or more; a few a commit keep up just as well
/// (hundreds of commits a second under load) and no commit grows.
const LAGGING_PER_COMMIT: usize = 4;
/// The journal's copied head is deleted once it is this many rows long.
const TRIM_EVERY: i64 = 4_096;

/// The writer's account of the journal: which rows are not yet copied into
/// `events`, by meetup.
#[derive(Default)]
pub(super) struct Journal {
    /// Each meetup's rows not yet copied, oldest first.
    pending: HashMap<JoinCode, Vec<i64>>,
    /// `(first uncopied id, meetup)` of each meetup in `pending`: the first
    /// holds the journal's head back.
    heads: BTreeSet<(i64, JoinCode)>,
    /// Meetups that reached [`COPY_AT`] rows (some may be copied or deleted since).
    full: Vec<JoinCode>,
    /// The newest row's id.
    newest: i64,
    /// Every row below this id is copied and deleted.
    trimmed_below: i64,
    /// Each meetup's last stored sequence number (the journal has no key
    /// on it, so the writer refuses a repeat or a gap itself).
    last_seq: HashMap<JoinCode, i64>,
    /// A commit failed after this account was updated: it may name rows
    /// that were never written, or miss some that were.
    lost_track: bool,
}

impl Journal {
    /// An account of an empty journal, for these meetups at these sequence numbers.
    pub(super) fn new(meetups: &[LoadedMeetup]) -> Journal {
        Journal {
            last_seq: meetups
                .iter()
                .map(|meetup| (meetup.code.clone(), meetup.seq.0 as i64))
                .collect(),
            ..Journal::default()
        }
    }

    /// The last sequence number stored for `code`: known, or read (a
    /// meetup this writer has not seen, or after a failed commit).
    pub(super) fn last_seq(
        &mut self,
        connection: &Connection,
        code: &JoinCode,
    ) -> Result<i64, StoreError> {
        if let Some(&seq) = self.last_seq.get(code) {
            return Ok(seq);
        }
        let seq: i64 = connection.query_row(
            "SELECT coalesce(max(seq), 0) FROM stored_events WHERE code = ?1",
            [code.as_str()],
            |row| row.get(0),
        )?;
        self.last_seq.insert(code.clone(), seq);
        Ok(seq)
    }

    /// Takes in a write's effect, once its savepoint is released.
    pub(super) fn record(&mut self, change: JournalChange) {
        match change {
            JournalChange::Created(code) => {
                self.last_seq.insert(code, 1);
            }
            JournalChange::Appended(code, ids, seq) => {
                self.appended(&code, &ids);
                self.last_seq.insert(code, seq);
            }
            JournalChange::Deleted(codes) => {
                for code in &codes {
                    self.forget(code);
                    self.last_seq.remove(code);
                }
            }
        }
    }

    /// A commit failed after this account was updated.
    pub(super) fn lose_track(&mut self) {
        self.lost_track = true;
    }

    /// After a failed commit, starts over from a journal with nothing in
    /// it: copies the whole journal, and reads sequence numbers again as
    /// meetups write. While that fails, nothing is copied or trimmed.
    pub(super) fn recover(&mut self, connection: &Connection) {
        if !self.lost_track {
            return;
        }
        match copy_whole_journal(connection) {
            Ok(()) => *self = Journal::default(),
            Err(error) => {
                tracing::warn!(%error, "copying the journal failed; retrying with the next commit");
            }
        }
    }

    fn appended(&mut self, code: &JoinCode, ids: &[i64]) {
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
            return;
        };
        let pending = self.pending.entry(code.clone()).or_default();
        if pending.is_empty() {
            self.heads.insert((first, code.clone()));
        }
        let before = pending.len();
        pending.extend_from_slice(ids);
        if before < COPY_AT && pending.len() >= COPY_AT {
            self.full.push(code.clone());
        }
        self.newest = self.newest.max(last);
    }

    /// Forgets a meetup's rows (copied, or deleted with it); returns them.
    fn forget(&mut self, code: &JoinCode) -> Vec<i64> {
        let pending = self.pending.remove(code).unwrap_or_default();
        if let Some(&first) = pending.first() {
            self.heads.remove(&(first, code.clone()));
        }
        pending
    }

    /// Meetups due to be copied: those holding the head back too long,
    /// then those with enough rows.
    fn due(&mut self) -> Vec<JoinCode> {
        let behind = self.newest - HEAD_LAG;
        let mut due: Vec<JoinCode> = self
            .heads
            .iter()
            .take_while(|(first, _)| *first < behind)
            .take(LAGGING_PER_COMMIT)
            .map(|(_, code)| code.clone())
            .collect();
        while due.len() < COPIES_PER_COMMIT {
            let Some(code) = self.full.pop() else { break };
            let waiting = self.pending.get(&code).map_or(0, Vec::len);
            if waiting >= COPY_AT && !due.contains(&code) {
                due.push(code);
            }
        }
        due
    }

    /// Copies what is due into `events`, and deletes the journal's copied
    /// head, inside the open transaction. A copy that fails is left for
    /// later (its rows stay pending; nothing is lost).
    pub(super) fn copy_due(&mut self, connection: &Connection) {
        // Not while the account may be wrong: a trim could drop rows it missed.
        if self.lost_track {
            return;
        }
        for code in self.due() {
            let ids = self.forget(&code);
            if let Err(error) = copy_rows(connection, &ids) {
                tracing::warn!(%code, %error, "copying from the journal failed; retrying later");
                self.appended(&code, &ids);
            }
        }
        let head = self
            .heads
            .first()
            .map_or(self.newest + 1, |(first, _)| *first);
        if head - self.trimmed_below >= TRIM_EVERY {
            match connection.execute("DELETE FROM journal WHERE id < ?1", [head]) {
                Ok(_) => self.trimmed_below = head,
                Err(error) => tracing::warn!(%error, "trimming the journal failed; retrying later"),
            }
        }
    }
}

/// Copies journal rows into `events`, in a savepoint of their own.
fn copy_rows(connection: &Connection, ids: &[i64]) -> Result<(), StoreError> {
    connection.execute_batch("SAVEPOINT copy")?;
    let copied = (|| {
        let mut copy = connection.prepare_cached(
            "INSERT OR IGNORE INTO events (code, seq, at, participant, request_id, event)
                 SELECT code, seq, at, participant, request_id, event FROM journal WHERE id = ?1",
        )?;
        for id in ids {
            copy.execute([id])?;
        }
        Ok::<(), StoreError>(())
    })();
    match copied {
        Ok(()) => {
            connection.execute_batch("RELEASE copy")?;
            Ok(())
        }
        Err(error) => {
            let _ = connection.execute_batch("ROLLBACK TO copy; RELEASE copy");
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Meetups that fell behind together are copied a few per commit,
    /// oldest first, beside those with enough rows, until none is left.
    #[test]
    fn meetups_behind_the_head_are_copied_a_few_per_commit() {
        let mut journal = Journal::default();
        let behind: Vec<JoinCode> = (0..100).map(|_| crate::secrets::new_join_code()).collect();
        for (index, code) in behind.iter().enumerate() {
            let id = index as i64 + 1;
            journal.record(JournalChange::Appended(code.clone(), vec![id], 2));
        }
        let busy = crate::secrets::new_join_code();
        let rows: Vec<i64> = (0..COPY_AT as i64).map(|n| HEAD_LAG + 1_000 + n).collect();
        journal.record(JournalChange::Appended(busy.clone(), rows, 40));

        let first = journal.due();
        assert_eq!(first[..LAGGING_PER_COMMIT], behind[..LAGGING_PER_COMMIT]);
        assert_eq!(first[LAGGING_PER_COMMIT..], [busy]);
        let mut copied = Vec::new();
        let mut commits = 0;
        let mut due = first;
        while !due.is_empty() {
            commits += 1;
            for code in &due {
                journal.forget(code);
            }
            copied.extend(due.into_iter().filter(|code| behind.contains(code)));
            due = journal.due();
            assert!(
                due.len() <= LAGGING_PER_COMMIT,
                "{} copied in one commit",
                due.len()
            );
        }
        assert_eq!(copied, behind, "every one, oldest first");
        assert_eq!(commits, behind.len().div_ceil(LAGGING_PER_COMMIT));
    }
}
