//! The rooms this server holds, by join code. Each entry is a handle to the
//! room's task; the handle is cloned out of the map so no map guard is held
//! while a caller awaits the room.

use std::sync::Arc;

use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use moot_shared::room::OpenMeetup;
use moot_shared::room::lifecycle::CarriedOver;
use moot_shared::{Credential, DisplayName, JoinCode, MeetupTitle, Rejection, Room};
use tokio::sync::mpsc;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::room_task::{ROOM_INBOX, RoomTask, ToRoom};
use crate::secrets;
use crate::shutdown::Tracker;
use crate::store::{Claim, LoadedMeetup, Store, StoredEvent};

/// A way to reach one room's task.
#[derive(Clone)]
pub struct RoomHandle {
    inbox: mpsc::Sender<ToRoom>,
}

impl RoomHandle {
    /// Hands a message to the room's task.
    ///
    /// # Errors
    ///
    /// When the room's task has ended (the message is returned).
    pub async fn send(&self, message: ToRoom) -> Result<(), mpsc::error::SendError<ToRoom>> {
        self.inbox.send(message).await
    }

    /// Hands a message to the room's task if its inbox has room, without waiting.
    ///
    /// # Errors
    ///
    /// When the inbox is full or the room's task has ended (the message is returned).
    pub fn try_send(&self, message: ToRoom) -> Result<(), mpsc::error::TrySendError<ToRoom>> {
        self.inbox.try_send(message)
    }
}

/// A meetup just opened: its code and the facilitator's credential.
pub struct OpenedMeetup {
    /// The join code.
    pub code: JoinCode,
    /// The facilitator's credential (the token goes into the facilitator link).
    pub facilitator: Credential,
    /// The shared screen's first link key.
    pub screen_key: moot_shared::room::ScreenKey,
}

/// All rooms of this server.
pub struct Registry {
    rooms: DashMap<JoinCode, RoomHandle>,
    /// Meetups being claimed from a shared store right now, so that
    /// connections arriving together claim and load a meetup once.
    claiming: DashMap<JoinCode, Arc<tokio::sync::Mutex<()>>>,
    max_rooms: usize,
    /// Handed to every room's task.
    metrics: Arc<Metrics>,
    /// Room tasks still running, removed ones included.
    running: Tracker,
}

impl Registry {
    /// An empty registry that will hold at most `max_rooms` rooms, whose
    /// rooms count into `metrics`.
    pub fn new(max_rooms: usize, metrics: Arc<Metrics>) -> Registry {
        Registry {
            rooms: DashMap::new(),
            claiming: DashMap::new(),
            max_rooms,
            metrics,
            running: Tracker::default(),
        }
    }

    /// Starts a room's task, counted as running until it ends.
    fn spawn(&self, task: RoomTask, inbox: mpsc::Receiver<ToRoom>) {
        let running = self.running.enter();
        let task = Box::new(task);
        tokio::spawn(async move {
            task.run(inbox).await;
            drop(running);
        });
    }

    /// Tells every room to stop (see [`crate::shutdown`]) and waits until
    /// every room task has ended, those of removed rooms included. Each
    /// room finishes the message it is handling first, so everything it
    /// acknowledged is stored, and it stores nothing afterwards.
    pub async fn stop_all(&self) {
        let rooms: Vec<RoomHandle> = self
            .rooms
            .iter()
            .map(|entry| entry.value().clone())
            .collect();
        for room in rooms {
            // A room whose task already ended has nothing left to do.
            let _ = room.send(ToRoom::Stop).await;
        }
        self.running.all_ended().await;
    }

    /// The room with this code, if this server runs it now. A room whose
    /// task ended by itself (a shared store failed under it) is forgotten.
    pub fn get(&self, code: &JoinCode) -> Option<RoomHandle> {
        let handle = self.rooms.get(code).map(|entry| entry.value().clone())?;
        if handle.inbox.is_closed() {
            self.rooms
                .remove_if(code, |_, held| held.inbox.same_channel(&handle.inbox));
            return None;
        }
        Some(handle)
    }

    /// The room with this code: the one this server runs, or, on a shared
    /// store, the meetup claimed from the database and brought online here.
    /// When another node holds the meetup's lease, waits up to one lease
    /// time for it to run out (its owner may have just died) before saying
    /// where the meetup lives.
    ///
    /// # Errors
    ///
    /// [`Rejection::UnknownJoinCode`] for a meetup that does not exist,
    /// [`Rejection::MeetupElsewhere`] for one another live node serves,
    /// [`Rejection::StorageFailed`] when the database cannot be read,
    /// [`Rejection::ServerFull`] when this node holds `max_rooms` rooms.
    pub async fn find(
        &self,
        code: &JoinCode,
        config: &Config,
        store: &Store,
    ) -> Result<RoomHandle, Rejection> {
        if let Some(handle) = self.get(code) {
            return Ok(handle);
        }
        let Some(settings) = config.shared_store.as_ref().filter(|_| store.is_shared()) else {
            return Err(Rejection::UnknownJoinCode);
        };
        // One claim per meetup at a time on this node; whoever waited finds
        // the room the first one brought online.
        let turn = Arc::clone(self.claiming.entry(code.clone()).or_default().value());
        let result = async {
            let _turn = turn.lock().await;
            if let Some(handle) = self.get(code) {
                return Ok(handle);
            }
            if self.rooms.len() >= self.max_rooms {
                return Err(Rejection::ServerFull);
            }
            // A little over one lease: the owner may have renewed just
            // before it died.
            let patience = tokio::time::Instant::now() + settings.lease + settings.lease / 4;
            loop {
                match store.claim(code).await {
                    Ok(Claim::Owned(loaded)) => return Ok(self.restore(*loaded, config, store)),
                    Ok(Claim::Unknown) => return Err(Rejection::UnknownJoinCode),
                    Ok(Claim::Elsewhere { node_url }) => {
                        if tokio::time::Instant::now() >= patience {
                            return Err(Rejection::MeetupElsewhere { node_url });
                        }
                        tokio::time::sleep(settings.lease / 8).await;
                    }
                    Err(error) => {
                        tracing::error!(%code, %error, "claiming a meetup failed");
                        return Err(Rejection::StorageFailed);
                    }
                }
            }
        }
        .await;
        drop(turn);
        // Forget the turn once nobody waits for it (codes that were guessed
        // must not pile up here).
        self.claiming
            .remove_if(code, |_, turn| Arc::strong_count(turn) == 1);
        result
    }

    /// Forgets a room (its task stops once told to, or once unused).
    pub fn remove(&self, code: &JoinCode) -> Option<RoomHandle> {
        self.rooms.remove(code).map(|(_, handle)| handle)
    }

    /// How many rooms are open.
    pub fn len(&self) -> usize {
        self.rooms.len()
    }

    /// Whether no room is open.
    pub fn is_empty(&self) -> bool {
        self.rooms.is_empty()
    }

    /// Starts the task of a meetup read back from storage.
    pub fn restore(&self, loaded: LoadedMeetup, config: &Config, store: &Store) -> RoomHandle {
        let code = loaded.code.clone();
        let (inbox, receiver) = mpsc::channel(ROOM_INBOX);
        let task = RoomTask::restored(
            loaded,
            config.clone(),
            store.clone(),
            Arc::clone(&self.metrics),
        );
        self.spawn(task, receiver);
        let handle = RoomHandle { inbox };
        self.rooms.insert(code, handle.clone());
        handle
    }

    /// Opens a meetup: draws an unused join code, makes the facilitator's
    /// credential, stores the opening, and starts the room's task.
    ///
    /// # Errors
    ///
    /// [`Rejection::ServerFull`] when the server holds `max_rooms` rooms,
    /// [`Rejection::StorageFailed`] when the opening cannot be stored.
    pub async fn open(
        &self,
        config: &Config,
        store: &Store,
        title: MeetupTitle,
        facilitator_name: DisplayName,
        follows: Option<CarriedOver>,
    ) -> Result<OpenedMeetup, Rejection> {
        if self.rooms.len() >= self.max_rooms {
            return Err(Rejection::ServerFull);
        }
        let facilitator = secrets::new_credential();
        let screen_key = secrets::new_screen_key();
        // 40-bit codes rarely collide, but a collision must never hand out an
        // existing meetup, so draw again until the code is free. The code is
        // reserved in the map (with a task that is not running yet) while the
        // opening is stored, so no one else can draw it meanwhile.
        loop {
            let code = secrets::new_join_code();
            let (inbox, receiver) = mpsc::channel(ROOM_INBOX);
            match self.rooms.entry(code.clone()) {
                Entry::Occupied(_) => continue,
                Entry::Vacant(vacant) => {
                    vacant.insert(RoomHandle { inbox });
                }
            }
            let opening = OpenMeetup {
                code: code.clone(),
                title: title.clone(),
                facilitator: facilitator.participant,
                facilitator_name: facilitator_name.clone(),
                credential: secrets::digest(&facilitator),
                screen_key: screen_key.clone(),
            };
            let opening = match &follows {
                Some(carried) => opening.into_event_following(carried.clone()),
                None => opening.into_event(),
            };
            let now = config.clock.now();
            let room = Room::opened(&opening, now).expect("a meetup_opened event opens a room");
            let first = StoredEvent {
                seq: moot_shared::Seq(1),
                at: now,
                event: opening.clone(),
                request: None,
            };
            if let Err(error) = store.create(&code, first).await {
                tracing::error!(%code, %error, "storing a new meetup failed");
                self.rooms.remove(&code);
                return Err(Rejection::StorageFailed);
            }
            if store.is_shared() {
                // Stored unowned: the node the proxy routes its people to
                // claims it on their first connection (see `find`).
                self.rooms.remove(&code);
                return Ok(OpenedMeetup {
                    code,
                    facilitator,
                    screen_key,
                });
            }
            let task = RoomTask::opened(
                code.clone(),
                room,
                now,
                &opening,
                config.clone(),
                store.clone(),
                Arc::clone(&self.metrics),
            );
            self.spawn(task, receiver);
            return Ok(OpenedMeetup {
                code,
                facilitator,
                screen_key,
            });
        }
    }
}
