//! The writer thread: the one place the database is written from. It
//! commits whatever writes are waiting, from any number of rooms, in one
//! transaction, and answers them (or, where the log is synced beside the
//! commits, hands the answers to the thread that syncs it: [`super::sync`]).

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{Engine, Write, sync};
use crate::metrics::Metrics;

/// The most appends committed in one transaction.
const MAX_BATCH: usize = 1024;

/// The writer thread: commits whatever is waiting in one transaction, until
/// every handle is dropped or a shutdown is asked for. Claims and renewals
/// run between batches, each on its own. Where the engine leaves its log to
/// be synced beside the commits, the answers go to the thread that syncs it
/// ([`sync::Syncer`]) and the writer goes on with the next batch.
pub(super) fn write_loop(
    mut engine: Box<dyn Engine>,
    mut inbox: mpsc::Receiver<Write>,
    metrics: &Arc<Metrics>,
) {
    let syncer = engine.log_to_sync().and_then(|log| {
        sync::Syncer::start(log, Arc::clone(metrics))
            .map_err(|error| tracing::error!(%error, "cannot start the thread that syncs the log"))
            .ok()
    });
    let mut shutdown = None;
    while shutdown.is_none() {
        let Some(first) = inbox.blocking_recv() else {
            break;
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH && !matches!(batch.last(), Some(Write::Shutdown { .. })) {
            match inbox.try_recv() {
                Ok(write) => batch.push(write),
                Err(_) => break,
            }
        }
        shutdown = match batch.last() {
            Some(Write::Shutdown { .. }) => batch.pop(),
            _ => None,
        };
        let (batch, others): (Vec<Write>, Vec<Write>) = batch
            .into_iter()
            .partition(|write| !matches!(write, Write::Claim { .. } | Write::Renew { .. }));
        // After a failed sync nothing more is stored (see `sync`).
        let failed = syncer.as_ref().and_then(sync::Syncer::failure);
        let mut answers = Vec::with_capacity(batch.len() + others.len());
        if !batch.is_empty() {
            let results = match &failed {
                Some(error) => vec![Err(error.clone()); batch.len()],
                None => {
                    let started = std::time::Instant::now();
                    let results = engine.commit(&batch);
                    metrics.store_committed(started.elapsed());
                    results
                }
            };
            answers.extend(
                batch
                    .into_iter()
                    .zip(results)
                    .map(|(write, result)| sync::Answer::Written { write, result }),
            );
        }
        for other in others {
            match other {
                Write::Claim { code, reply } => answers.push(sync::Answer::Claimed {
                    reply,
                    claim: failed.clone().map_or_else(|| engine.claim(&code), Err),
                }),
                Write::Renew { reply } => answers.push(sync::Answer::Renewed {
                    reply,
                    lost: failed.clone().map_or_else(|| engine.renew(), Err),
                }),
                _ => {}
            }
        }
        match &syncer {
            Some(syncer) => syncer.after_sync(answers),
            None => answers.into_iter().for_each(|answer| answer.send(Ok(()))),
        }
        // After the answers, so that no room waits for a checkpoint.
        engine.committed(!inbox.is_empty());
    }
    // Writes still queued after a shutdown are refused (their senders see
    // the channel close) and so never acknowledged. Everything committed is
    // answered before the database closes, and the database is closed
    // before the caller hears of it, so a restart right away finds it free.
    if let Some(syncer) = syncer {
        syncer.stop();
    }
    engine.close();
    if let Some(Write::Shutdown { reply }) = shutdown {
        let _ = reply.send(());
    }
}
