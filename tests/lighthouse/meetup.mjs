// Brings a moot meetup to a realistic mid-meetup state over the public
// protocol (docs/PROTOCOL.md): the facilitator and five participants, each a
// raw WebSocket from Node, so the browser under audit is the only browser.
//
// The sockets stay open (answering pings) while the views are audited: a
// participant whose last connection drops turns `away`, which would change
// what every view shows and could complete the open poll by itself.

import WebSocket from 'ws';

const PROTOCOL = 1;
/** How long to wait for `welcome` or for a command's answer. */
const ANSWER_TIMEOUT_MS = 10_000;

/** One participant connection: sends commands, waits for their answers. */
export class Member {
  /**
   * @param {string} base  the server's http(s) origin
   * @param {string} code  the canonical join code
   * @param {object} auth  `hello`'s auth: {mode: 'join', name} or {mode: 'rejoin', token}
   * @param {string} prefix  request id prefix, unique per member
   */
  constructor(base, code, auth, prefix) {
    this.url = base.replace(/^http/, 'ws') + '/ws';
    this.code = code;
    this.auth = auth;
    this.prefix = prefix;
    this.next = 0;
    this.pending = new Map();
    /** Events seen since the last command was sent (the command's own events). */
    this.recent = [];
    this.id = null;
    this.token = auth.token ?? null;
  }

  /** Opens the socket and completes the handshake. */
  connect() {
    return new Promise((resolve, reject) => {
      // No Origin header: the server lets non-browser clients in without one.
      const socket = new WebSocket(this.url);
      this.socket = socket;
      const timer = setTimeout(
        () => reject(new Error(`${this.prefix}: no welcome within ${ANSWER_TIMEOUT_MS} ms`)),
        ANSWER_TIMEOUT_MS,
      );
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL, join_code: this.code, auth: this.auth }));
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString());
        switch (message.type) {
          case 'welcome':
            clearTimeout(timer);
            this.id = message.participant;
            this.token = message.token ?? this.token;
            resolve(this);
            break;
          case 'refused':
            clearTimeout(timer);
            reject(new Error(`${this.prefix}: refused: ${message.message}`));
            break;
          case 'ping':
            socket.send(JSON.stringify({ type: 'pong' }));
            break;
          case 'event':
            this.recent.push(message.event);
            break;
          case 'ack':
          case 'rejected': {
            const waiter = this.pending.get(message.request_id);
            if (waiter) {
              this.pending.delete(message.request_id);
              waiter(message);
            }
            break;
          }
          default:
            break;
        }
      });
    });
  }

  /**
   * Sends one command and waits for its answer; throws on `rejected`.
   * Returns the events this connection received between sending and the
   * `ack` (the command's own events, as long as commands are sent one at a
   * time across all members, which the scenario does).
   */
  async command(command) {
    const requestId = `${this.prefix}-${++this.next}`;
    this.recent = [];
    const answer = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.prefix}: no answer to ${command.type} within ${ANSWER_TIMEOUT_MS} ms`)),
        ANSWER_TIMEOUT_MS,
      );
      this.pending.set(requestId, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.socket.send(JSON.stringify({ type: 'command', request_id: requestId, command }));
    });
    if (answer.type === 'rejected') {
      throw new Error(`${this.prefix}: ${command.type} rejected: ${answer.message} (${JSON.stringify(answer.reason)})`);
    }
    return this.recent;
  }

  /** The first event of this type among a command's events. */
  static find(events, type) {
    const event = events.find((candidate) => candidate.type === type);
    if (!event) throw new Error(`expected a ${type} event, got ${events.map((e) => e.type).join(', ')}`);
    return event;
  }

  close() {
    this.socket?.close();
  }
}

/** Opens a meetup with `POST /api/meetups`; returns the server's answer. */
export async function openMeetup(base, title, facilitatorName) {
  const response = await fetch(`${base}/api/meetups`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title, facilitator_name: facilitatorName }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /api/meetups answered ${response.status}: ${await response.text()}`);
  }
  return response.json();
}

/** Deletes a meetup (the facilitator's token); errors are only reported. */
export async function deleteMeetup(base, created) {
  try {
    const response = await fetch(`${base}/api/meetups/${created.join_code}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${created.token}` },
    });
    if (response.status !== 204) console.warn(`DELETE meetup answered ${response.status}`);
  } catch (error) {
    console.warn(`DELETE meetup failed: ${error.message}`);
  }
}

/** The five participants; `Bo` is the one whose phone is audited. */
const PARTICIPANTS = ['Bo', 'Chen', 'Dana', 'Emil', 'Fay'];

/**
 * Opens a meetup and plays the first half of a Lean Coffee through it:
 *
 * - six people: Ada (facilitator), Bo, Chen, Dana, Emil, Fay, all `here`;
 * - six topics proposed, 18 dots placed (stacked), votes revealed and sorted;
 * - the top topic discussed and finished, with notes, a takeaway and an
 *   action item, and a Roman "continue?"-style poll on it revealed and closed;
 * - the second topic being discussed, its timebox running;
 * - speaking queue: two earlier turns ended (airtime), Dana speaking, three
 *   hands up (Bo's build-on among them, so Bo's phone shows his entry);
 * - an open, secret consent poll with three of five votes in (Bo and Fay
 *   have not voted, so it stays open and Bo's phone shows the choices).
 *
 * Returns the meetup (links, code, tokens) and the open members.
 */
export async function midMeetup(base) {
  const created = await openMeetup(base, 'Platform guild, March', 'Ada');
  const code = created.join_code;
  const ada = await new Member(base, code, { mode: 'rejoin', token: created.token }, 'ada').connect();
  const people = { ada };
  for (const name of PARTICIPANTS) {
    people[name.toLowerCase()] = await new Member(base, code, { mode: 'join', name }, name.toLowerCase()).connect();
  }
  const { bo, chen, dana, emil, fay } = people;

  // Topics: everyone brings something, one with details.
  const proposals = [
    [chen, 'Flaky tests in CI', 'Reruns hide real failures; who owns the quarantine?'],
    [dana, 'On-call rota for the holidays'],
    [bo, 'Onboarding docs are out of date', 'New joiners spend two days on setup'],
    [emil, 'Should we adopt OpenTelemetry?'],
    [fay, 'Pairing across teams'],
    [ada, 'Retro on the last incident'],
  ];
  const topics = [];
  for (const [member, title, details] of proposals) {
    const events = await member.command({ type: 'propose_topic', title, ...(details ? { details } : {}) });
    topics.push(Member.find(events, 'topic_proposed').topic);
  }
  const [flaky, oncall, onboarding, otel, pairing, retro] = topics;

  // Dots: three each, some stacked.
  const dots = [
    [ada, [flaky, retro, oncall]],
    [bo, [onboarding, onboarding, flaky]],
    [chen, [flaky, flaky, otel]],
    [dana, [oncall, oncall, flaky]],
    [emil, [otel, otel, pairing]],
    [fay, [pairing, flaky, onboarding]],
  ];
  for (const [member, on] of dots) {
    for (const topic of on) await member.command({ type: 'place_dot', topic });
  }
  await ada.command({ type: 'reveal_votes' });
  await ada.command({ type: 'sort_topics' });
  await ada.command({ type: 'close_voting' });

  // The first topic: discussed, with outcomes and a finished poll.
  await ada.command({ type: 'start_topic', topic: flaky });
  await chen.command({ type: 'raise_hand', kind: 'new_point' });
  let events = await ada.command({ type: 'next_speaker' });
  let turn = Member.find(events, 'floor_given').turn;
  await emil.command({ type: 'raise_hand', kind: 'clarifying', note: 'which pipelines?' });
  events = await chen.command({ type: 'finish_turn', turn });
  turn = Member.find(events, 'floor_given').turn;
  await emil.command({ type: 'finish_turn', turn });
  await chen.command({ type: 'add_note', topic: flaky, text: 'About 4 % of CI runs fail on a rerun-green test' });
  await dana.command({ type: 'add_note', topic: flaky, kind: 'takeaway', text: 'Quarantine a flaky test within a day, fix it within a week' });
  await ada.command({ type: 'add_action_item', topic: flaky, text: 'Write the quarantine script', owner: chen.id, due: '2026-04-03' });
  events = await ada.command({ type: 'open_poll', question: 'Do we try the quarantine for a month?', kind: 'roman' });
  const roman = Member.find(events, 'poll_opened').poll;
  for (const [member, choice] of [[bo, 0], [chen, 0], [dana, 1], [emil, 0], [fay, 0]]) {
    await member.command({ type: 'cast_vote', poll: roman, choice });
  }
  await ada.command({ type: 'close_poll', poll: roman });

  // The second topic: under discussion, its timebox running.
  await ada.command({ type: 'start_topic', topic: oncall });
  await fay.command({ type: 'add_note', topic: oncall, text: 'Two people are away over the holidays' });

  // The queue: Dana speaks, three hands wait.
  await dana.command({ type: 'raise_hand', kind: 'new_point', note: 'swap weeks' });
  events = await ada.command({ type: 'next_speaker' });
  turn = Member.find(events, 'floor_given').turn;
  await bo.command({ type: 'raise_hand', kind: 'build_on', note: 'we did this last year' });
  await emil.command({ type: 'raise_hand', kind: 'new_point' });
  await chen.command({ type: 'raise_hand', kind: 'clarifying', note: 'paid or not?' });

  // The consensus poll, open with some votes in.
  events = await ada.command({ type: 'open_poll', question: 'Can everyone live with a swap-week rota?', kind: 'consent' });
  const consent = Member.find(events, 'poll_opened').poll;
  await chen.command({ type: 'cast_vote', poll: consent, choice: 0 });
  await dana.command({ type: 'cast_vote', poll: consent, choice: 0 });
  await emil.command({ type: 'cast_vote', poll: consent, choice: 1, reason: 'Only if swaps are agreed a week ahead' });

  return { created, code, people, state: { topics, speakingTurn: turn, poll: consent } };
}
