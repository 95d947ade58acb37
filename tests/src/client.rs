//! [`TestClient`]: one WebSocket participant (or shared screen) speaking
//! moot's protocol through the browser's own session and decoder.

use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use futures_util::{SinkExt, StreamExt};
use moot_shared::protocol::{ClientMessage, HelloAuth, PROTOCOL_VERSION, ServerMessage};
use moot_shared::session::{self, Auth, Session, Step};
use moot_shared::{Command, JoinCode, ParticipantId, Rejection, Room, Seq};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::{PATIENCE, Server, screen_key_in};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed {
    /// The close code, if a close frame came.
    pub code: Option<u16>,
    /// The `refused` reason that came before it, if any.
    pub refused: Option<Rejection>,
}

/// One WebSocket client speaking moot's protocol through the same
/// [`Session`] the browser uses: frames are decoded with the browser's
/// decoder and folded into its own copy of the room exactly as the browser
/// does. It records every sequence number it received so tests can check
/// for gaps and repeats, and every raw frame so tests can check what a
/// client was (never) sent.
pub struct TestClient {
    socket: Socket,
    session: Session,
    /// The room as this client sees it.
    pub room: Option<Room>,
    /// Who this client is (`None` for the shared screen).
    pub me: Option<ParticipantId>,
    /// The token from `welcome` (for new joins).
    pub token: Option<String>,
    /// The last sequence number folded.
    pub seq: Seq,
    /// Every event sequence number received, in order, duplicates included.
    pub received: Vec<u64>,
    /// Every text frame received, raw.
    pub frames: Vec<String>,
    /// Answers received but not yet claimed by [`TestClient::answer`].
    answers: std::collections::HashMap<String, Result<Seq, Rejection>>,
    next_request: u64,
}

/// What a client keeps across a lost connection, as the browser does.
pub struct Saved {
    /// The session (its last sequence number, whom it speaks for).
    session: Option<Session>,
    /// The room as last seen.
    pub room: Option<Room>,
    /// The last sequence number folded.
    pub seq: Seq,
    /// Who the client is.
    pub me: Option<ParticipantId>,
    /// The rejoin token.
    pub token: Option<String>,
    /// The request counter, so ids stay unique for this participant.
    pub next_request: u64,
}

impl TestClient {
    /// Opens a WebSocket with optional extra headers (e.g. `Origin`).
    ///
    /// # Errors
    ///
    /// When the HTTP upgrade fails (e.g. 403).
    pub async fn open(
        server: &impl Server,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<TestClient> {
        TestClient::open_at(&server.ws_url(), headers).await
    }

    /// Opens a WebSocket at `url` with optional extra headers.
    ///
    /// # Errors
    ///
    /// When the HTTP upgrade fails (e.g. 403).
    pub async fn open_at(url: &str, headers: &[(&str, &str)]) -> anyhow::Result<TestClient> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = url.into_client_request()?;
        for (name, value) in headers {
            request.headers_mut().insert(
                tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes())?,
                value.parse()?,
            );
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await?;
        let code = JoinCode::parse("00000000").expect("a join code");
        Ok(TestClient {
            socket,
            // Replaced by `hello`, which knows whom the client speaks for.
            session: Session::new(code, Auth::Join(String::new()), Vec::new()),
            room: None,
            me: None,
            token: None,
            seq: Seq(0),
            received: Vec::new(),
            frames: Vec::new(),
            answers: std::collections::HashMap::new(),
            next_request: 0,
        })
    }

    /// Connects and sends `hello` with these credentials.
    ///
    /// # Errors
    ///
    /// When the connection fails.
    pub async fn hello(
        server: &impl Server,
        join_code: &str,
        auth: HelloAuth,
        last_seq: Option<Seq>,
    ) -> anyhow::Result<TestClient> {
        // The code goes into the URL too, as the web app puts it, for a
        // proxy that routes by join code.
        let url = match JoinCode::parse(join_code) {
            Ok(code) => format!("{}?code={code}", server.ws_url()),
            Err(_) => server.ws_url(),
        };
        let mut client = TestClient::open_at(&url, &[]).await?;
        // A code that does not parse is sent as typed, to see it refused.
        let Ok(code) = JoinCode::parse(join_code) else {
            client
                .send(&ClientMessage::Hello {
                    protocol: PROTOCOL_VERSION,
                    join_code: join_code.to_owned(),
                    auth,
                    last_seq,
                })
                .await?;
            return Ok(client);
        };
        let session_auth = match auth {
            HelloAuth::Join { name } => Auth::Join(name),
            HelloAuth::Rejoin {
                token,
                name: Some(name),
            } => Auth::RejoinAs(token, name),
            HelloAuth::Rejoin { token, name: None } => Auth::Rejoin(token),
            HelloAuth::Screen { token } => Auth::Screen(token),
        };
        client.session = Session::new(code, session_auth, Vec::new());
        // The session sends `last_seq` only with a room to replay into; a
        // test may ask for a replay without one, so it writes its own.
        let hello = match last_seq {
            Some(seq) => {
                let mut hello: serde_json::Value =
                    serde_json::from_str(&client.session.hello(false))?;
                hello["last_seq"] = seq.0.into();
                hello.to_string()
            }
            None => client.session.hello(false),
        };
        client.send_raw(&hello).await?;
        Ok(client)
    }

    /// Joins as a new participant and waits for `welcome`.
    ///
    /// # Panics
    ///
    /// When the server does not welcome them.
    pub async fn join(server: &impl Server, join_code: &str, name: &str) -> TestClient {
        let auth = HelloAuth::Join {
            name: name.to_owned(),
        };
        let mut client = TestClient::hello(server, join_code, auth, None)
            .await
            .expect("connects");
        client.expect_welcome().await;
        client
    }

    /// Rejoins with a token, resuming after `last_seq`, and waits for `welcome`.
    ///
    /// # Panics
    ///
    /// When the server does not welcome them.
    pub async fn rejoin(
        server: &impl Server,
        join_code: &str,
        token: &str,
        last_seq: Option<Seq>,
    ) -> TestClient {
        let auth = rejoin_with(token);
        let mut client = TestClient::hello(server, join_code, auth, last_seq)
            .await
            .expect("connects");
        client.token = Some(token.to_owned());
        client.expect_welcome().await;
        client
    }

    /// Tries to rejoin with a token that the server is expected to refuse,
    /// and returns why it did (`None`: closed without a reason).
    ///
    /// # Panics
    ///
    /// When the server cannot be reached.
    pub async fn rejoin_refused(
        server: &impl Server,
        join_code: &str,
        token: &str,
    ) -> Option<Rejection> {
        let auth = rejoin_with(token);
        let mut client = TestClient::hello(server, join_code, auth, None)
            .await
            .expect("connects");
        client.closed().await.refused
    }

    /// Sends a message.
    ///
    /// # Errors
    ///
    /// When the socket is closed.
    pub async fn send(&mut self, message: &ClientMessage) -> anyhow::Result<()> {
        self.send_raw(&moot_shared::json::to_string(message)).await
    }

    /// Sends a raw text frame.
    ///
    /// # Errors
    ///
    /// When the socket is closed.
    pub async fn send_raw(&mut self, text: &str) -> anyhow::Result<()> {
        self.socket.send(Message::text(text)).await?;
        Ok(())
    }

    /// Sends a command with a fresh request id and returns the id.
    ///
    /// # Panics
    ///
    /// When the socket is closed.
    pub async fn command(&mut self, command: Command) -> String {
        self.next_request += 1;
        let request_id = format!("r{}", self.next_request);
        self.command_with_id(&request_id, command).await;
        request_id
    }

    /// Sends a command with the given request id.
    ///
    /// # Panics
    ///
    /// When the socket is closed.
    pub async fn command_with_id(&mut self, request_id: &str, command: Command) {
        let message = ClientMessage::Command {
            request_id: request_id.to_owned(),
            command,
        };
        self.send(&message).await.expect("the socket is open");
    }

    /// The next message from the server (events are folded into the room,
    /// pings answered), or how the connection closed.
    ///
    /// # Errors
    ///
    /// `Err(Closed)` when the connection ends; an error on timeout.
    pub async fn next(&mut self) -> anyhow::Result<Result<ServerMessage, Closed>> {
        self.next_within(PATIENCE).await
    }

    /// Like [`TestClient::next`], waiting up to `patience` for a frame.
    ///
    /// # Errors
    ///
    /// `Err(Closed)` when the connection ends; an error on timeout.
    pub async fn next_within(
        &mut self,
        patience: Duration,
    ) -> anyhow::Result<Result<ServerMessage, Closed>> {
        let mut refused = None;
        loop {
            let frame = tokio::time::timeout(patience, self.socket.next())
                .await
                .context("no message from the server in time")?;
            let text = match frame {
                Some(Ok(Message::Text(text))) => text.to_string(),
                Some(Ok(Message::Close(close))) => {
                    return Ok(Err(Closed {
                        code: close.map(|frame| u16::from(frame.code)),
                        refused,
                    }));
                }
                Some(Ok(_)) => continue,
                None | Some(Err(_)) => {
                    return Ok(Err(Closed {
                        code: None,
                        refused,
                    }));
                }
            };
            self.frames.push(text.clone());
            let message = session::decode(&text)
                .with_context(|| format!("a frame the browser could not read: {text}"))?;
            if let ServerMessage::Event { seq, .. } = &message {
                self.received.push(seq.0);
            }
            if let ServerMessage::Refused { reason, .. } = &message {
                refused = Some(reason.clone());
            }
            let is_ping = matches!(message, ServerMessage::Ping { .. });
            let steps = self.session.handle(&mut self.room, message.clone(), 0);
            self.follow(steps).await?;
            if is_ping || matches!(message, ServerMessage::Refused { .. }) {
                continue;
            }
            return Ok(Ok(message));
        }
    }

    /// Does what the session says, as the browser does; a lost event fails
    /// the test (the server must never leave a gap).
    async fn follow(&mut self, steps: Vec<Step>) -> anyhow::Result<()> {
        for step in steps {
            match step {
                // The browser resends its outbox on welcome; this client
                // keeps none (tests resend by hand), so only pongs and time
                // syncs come here, and tests do not need the time syncs.
                Step::Send(text) if text == r#"{"type":"pong"}"# => self.send_raw(&text).await?,
                Step::Send(_) => {}
                Step::Welcomed { token, .. } => {
                    self.me = self.session.me();
                    if token.is_some() {
                        self.token = token;
                    }
                }
                Step::Folded { seq, .. } => self.seq = seq,
                Step::Answered {
                    request_id: Some(request_id),
                    outcome,
                } => {
                    self.answers
                        .insert(request_id, outcome.map_err(|(reason, _)| reason));
                }
                Step::Answered { .. } | Step::Ended(_) => {}
                Step::Resync => bail!(
                    "gap: after seq {} came an event that does not follow",
                    self.seq.0
                ),
                Step::Incompatible => bail!("a frame the browser could not read"),
            }
        }
        // The session's view of the last folded event (a snapshot sets it too).
        if let Some(seq) = self.session.last_seq() {
            self.seq = seq;
        }
        Ok(())
    }

    /// Waits for `welcome`.
    ///
    /// # Panics
    ///
    /// When something else comes first or the connection closes.
    pub async fn expect_welcome(&mut self) {
        match self.next().await.expect("the server answers") {
            Ok(ServerMessage::Welcome { .. }) => {}
            other => panic!("expected welcome, got {other:?}"),
        }
    }

    /// Reads until the answer to `request_id`: `Ok(seq)` for an ack.
    ///
    /// # Panics
    ///
    /// When the connection closes first.
    pub async fn answer(&mut self, request_id: &str) -> Result<Seq, Rejection> {
        loop {
            if let Some(answer) = self.answers.remove(request_id) {
                return answer;
            }
            if let Err(closed) = self.next().await.expect("the server answers") {
                panic!("closed while waiting for the answer to {request_id}: {closed:?}");
            }
        }
    }

    /// Like [`TestClient::answer`], but `None` when the connection ends first
    /// (the server went away).
    pub async fn try_answer(&mut self, request_id: &str) -> Option<Result<Seq, Rejection>> {
        loop {
            if let Some(answer) = self.answers.remove(request_id) {
                return Some(answer);
            }
            match self.next().await {
                Ok(Ok(_)) => {}
                Ok(Err(_)) | Err(_) => return None,
            }
        }
    }

    /// What the browser keeps when its connection is already gone.
    pub fn forget_connection(self) -> Saved {
        self.saved()
    }

    /// Reads until a `rejected` without a request id (a bad message).
    ///
    /// # Panics
    ///
    /// When the connection closes first.
    pub async fn anonymous_rejection(&mut self) -> Rejection {
        loop {
            match self.next().await.expect("the server answers") {
                Ok(ServerMessage::Rejected {
                    request_id: None,
                    reason,
                    ..
                }) => return reason,
                Ok(_) => {}
                Err(closed) => panic!("closed while waiting for a rejection: {closed:?}"),
            }
        }
    }

    /// The id of the person in the meetup called `name`, as this client's
    /// room has them.
    ///
    /// # Panics
    ///
    /// When nobody active has that name.
    pub fn participant_named(&self, name: &str) -> ParticipantId {
        self.room
            .as_ref()
            .and_then(|room| {
                room.active_participants()
                    .find(|person| person.name.as_str() == name)
            })
            .map(|person| person.id)
            .unwrap_or_else(|| panic!("{name} is not in the meetup"))
    }

    /// Sends a command and waits for its ack.
    ///
    /// # Panics
    ///
    /// When it is rejected.
    pub async fn run(&mut self, command: Command) -> Seq {
        let request_id = self.command(command).await;
        self.answer(&request_id)
            .await
            .unwrap_or_else(|reason| panic!("rejected: {reason:?}"))
    }

    /// Reads until the room satisfies `condition`.
    ///
    /// # Errors
    ///
    /// When the connection closes or nothing changes for too long.
    pub async fn wait_for(
        &mut self,
        what: &str,
        condition: impl Fn(&Room) -> bool,
    ) -> anyhow::Result<()> {
        self.wait_for_within(what, PATIENCE, condition).await
    }

    /// Like [`TestClient::wait_for`], for something the server does at a
    /// known time (a timer running out): waits up to `patience`.
    ///
    /// # Errors
    ///
    /// When the connection closes or nothing happens in time.
    pub async fn wait_for_within(
        &mut self,
        what: &str,
        patience: Duration,
        condition: impl Fn(&Room) -> bool,
    ) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + patience;
        while !self.room.as_ref().is_some_and(&condition) {
            if tokio::time::Instant::now() > deadline {
                bail!("timed out waiting for {what}");
            }
            if let Err(closed) = self.next_within(patience).await? {
                return Err(anyhow!("closed while waiting for {what}: {closed:?}"));
            }
        }
        Ok(())
    }

    /// Reads until the connection closes.
    ///
    /// # Panics
    ///
    /// When it stays open.
    pub async fn closed(&mut self) -> Closed {
        loop {
            match self.next().await.expect("the server closes the connection") {
                Ok(_) => {}
                Err(closed) => return closed,
            }
        }
    }

    /// Closes the connection from this side, as a phone losing signal
    /// would, and keeps what the browser keeps.
    pub async fn drop_connection(mut self) -> Saved {
        let _ = self
            .socket
            .close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
                code: CloseCode::Away,
                reason: "gone".into(),
            }))
            .await;
        self.saved()
    }

    /// Drops the TCP connection without a WebSocket close frame, as a
    /// laptop whose browser crashed would, and keeps what the browser kept.
    pub fn kill_connection(self) -> Saved {
        self.saved()
    }

    /// What a browser keeps across connections; the socket is dropped.
    fn saved(self) -> Saved {
        Saved {
            session: Some(self.session),
            room: self.room,
            seq: self.seq,
            me: self.me,
            token: self.token,
            next_request: self.next_request,
        }
    }

    /// Reconnects with what was saved, sending its last sequence number,
    /// and waits for `welcome`. Replayed events fold into the saved room.
    ///
    /// # Panics
    ///
    /// When the server does not welcome the client.
    pub async fn resume(server: &impl Server, join_code: &str, saved: Saved) -> TestClient {
        let token = saved.token.clone().expect("a saved client has a token");
        let url = format!("{}?code={join_code}", server.ws_url());
        let mut client = TestClient::open_at(&url, &[]).await.expect("connects");
        let code = JoinCode::parse(join_code).expect("a join code");
        client.session = saved
            .session
            .unwrap_or_else(|| Session::new(code, Auth::Rejoin(token), Vec::new()));
        client.room = saved.room;
        client.seq = saved.seq;
        client.me = saved.me;
        client.token = saved.token;
        client.next_request = saved.next_request;
        // As the browser does: resume after the last event folded.
        let hello = client.session.hello(client.room.is_some());
        client.send_raw(&hello).await.expect("the socket is open");
        client.expect_welcome().await;
        client
    }

    /// The shared screen of `join_code`, opened with the key in
    /// `screen_url` (`…/screen#k=<key>`), once welcomed.
    ///
    /// # Panics
    ///
    /// When the server does not welcome it.
    pub async fn screen(server: &impl Server, join_code: &str, screen_url: &str) -> TestClient {
        let token = screen_key_in(screen_url);
        let mut screen = TestClient::hello(server, join_code, HelloAuth::Screen { token }, None)
            .await
            .expect("the screen connects");
        screen.expect_welcome().await;
        screen
    }

    /// Names of everyone in the meetup, in joining order.
    pub fn names(&self) -> Vec<String> {
        self.room
            .as_ref()
            .map(|room| {
                room.active_participants()
                    .map(|participant| participant.name.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The `hello` of someone coming back with `token` under their old name.
fn rejoin_with(token: &str) -> HelloAuth {
    HelloAuth::Rejoin {
        token: token.to_owned(),
        name: None,
    }
}
