//! The resend scenario of issue 17 (item 1), shared by the in-process
//! restart test and the `kill -9` crash test: a participant's batch of
//! commands is answered on both sides of the room's first snapshot, the
//! server restarts, and the participant resends the whole batch with the
//! same request ids, as a phone that lost the answers would. Each command
//! must be answered with its first sequence number and applied once.

use moot_shared::{Command, Seq};

use crate::{Saved, Server, TestClient, text};

/// Commands in the batch.
const BATCH: usize = 12;

/// What the participant keeps of the batch across the restart.
pub struct Batch {
    saved: Saved,
    /// The sequence number each command was first acknowledged with.
    first: Vec<Seq>,
}

fn proposal(n: usize) -> Command {
    Command::ProposeTopic {
        title: text(&format!("Topic {n}")),
        details: None,
    }
}

/// Brings the room of `code` close to its first snapshot (every
/// `SNAPSHOT_EVERY` = 256 events), then has a new participant send a batch
/// of proposals that straddles it.
///
/// # Panics
///
/// When the server refuses anything, or the batch does not straddle the
/// snapshot.
pub async fn batch_across_the_first_snapshot(server: &impl Server, code: &str) -> Batch {
    let mut ada = TestClient::join(server, code, "Ada").await;
    // Renames spread over ten people, so that no one meets the rate limit.
    let mut phones = Vec::new();
    for person in 0..10 {
        phones.push(TestClient::join(server, code, &format!("P{person}")).await);
    }
    let mut seq = Seq(0);
    let mut turn = 0;
    while seq.0 < 250 {
        let person = turn % phones.len();
        let name = format!("P{person}{}", if (turn / 10) % 2 == 0 { " x" } else { "" });
        seq = phones[person]
            .run(Command::Rename { name: text(&name) })
            .await;
        turn += 1;
    }
    for n in 0..BATCH {
        ada.command_with_id(&format!("batch-{n}"), proposal(n))
            .await;
    }
    let mut first = Vec::new();
    for n in 0..BATCH {
        first.push(ada.answer(&format!("batch-{n}")).await.expect("applied"));
    }
    assert!(
        first[0].0 < 256 && first[BATCH - 1].0 > 256,
        "the batch straddles the snapshot: {first:?}"
    );
    Batch {
        saved: ada.drop_connection().await,
        first,
    }
}

/// Resumes on the restarted `server` and resends the whole batch.
///
/// # Panics
///
/// When a command is applied again, or answered with another sequence
/// number.
pub async fn resend_after_restart(server: &impl Server, code: &str, batch: Batch) {
    let mut ada = TestClient::resume(server, code, batch.saved).await;
    for n in 0..BATCH {
        ada.command_with_id(&format!("batch-{n}"), proposal(n))
            .await;
    }
    for (n, seq) in batch.first.iter().enumerate() {
        assert_eq!(
            ada.answer(&format!("batch-{n}")).await,
            Ok(*seq),
            "batch-{n} is answered with its first sequence number"
        );
    }
    let topics = &ada.room.as_ref().expect("a room").board.topics;
    assert_eq!(topics.len(), BATCH, "each topic once");
}
