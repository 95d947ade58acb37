//! The store handle's own tests: how a write is queued and answered.

use futures_util::FutureExt as _;

use super::*;

fn appended(seq: u64) -> Vec<StoredEvent> {
    vec![StoredEvent {
        seq: Seq(seq),
        at: Timestamp(0),
        event: Event::MeetupEnded {
            ended_at: Timestamp(0),
        },
        request: None,
    }]
}

/// A store whose writer's inbox holds one write, the inbox (the writer
/// is the test), and a meetup's code.
fn store_with_room_for_one() -> (Store, mpsc::Receiver<Write>, JoinCode) {
    let (writes, inbox) = mpsc::channel(1);
    let store = Store {
        writes,
        shared: false,
    };
    (store, inbox, crate::secrets::new_join_code())
}

/// Answers the next write in `inbox` with success, returning its sequence number.
async fn answer_next(inbox: &mut mpsc::Receiver<Write>) -> u64 {
    match inbox.recv().await {
        Some(Write::Append { events, reply, .. }) => {
            let _ = reply.send(Ok(()));
            events[0].seq.0
        }
        _ => panic!("an append was expected"),
    }
}

/// A write that finds the writer's inbox full waits for room in it,
/// behind the write already queued, and is answered like any other.
#[tokio::test]
async fn a_write_that_finds_the_inbox_full_waits_its_turn() {
    let (store, mut inbox, code) = store_with_room_for_one();
    let first = store.append_then(&code, appended(1), None, None, None);
    let second = store.append_then(&code, appended(2), None, None, None);
    let mut second = std::pin::pin!(second);
    // The inbox holds the first; the second has nowhere to go yet.
    assert!(second.as_mut().now_or_never().is_none());
    assert_eq!(answer_next(&mut inbox).await, 1);
    assert!(first.await.is_ok());
    // Its turn: queued now, and answered.
    assert!(second.as_mut().now_or_never().is_none());
    assert_eq!(answer_next(&mut inbox).await, 2);
    assert!(second.await.is_ok());
}

/// A write to a store whose writer has stopped is an error, whether or
/// not it had to wait.
#[tokio::test]
async fn a_write_after_the_writer_stopped_fails() {
    let (store, inbox, code) = store_with_room_for_one();
    let queued = store.append_then(&code, appended(1), None, None, None);
    let waiting = store.append_then(&code, appended(2), None, None, None);
    drop(inbox);
    assert!(matches!(queued.await, Err(StoreError::Closed)));
    assert!(matches!(waiting.await, Err(StoreError::Closed)));
    let after = store.append_then(&code, appended(3), None, None, None);
    assert!(matches!(after.await, Err(StoreError::Closed)));
}
