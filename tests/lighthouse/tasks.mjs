#!/usr/bin/env node
// What blocks the main thread: the long tasks of a page load, from a
// Chromium trace (`lighthouse.mjs --traces` writes one per run), each split
// into wasm compilation, other script, style and layout, paint, and the rest.
//
//   node tasks.mjs artifacts/lighthouse/<time>/facilitator-1.trace.json [more traces]
//
// Lighthouse's simulated throttling (the mobile default) scales the main
// thread's tasks by its CPU slowdown (4×); a task blocks for whatever of its
// scaled length is over 50 ms. So a task of 12.5 ms here is a long task there,
// and "blocking ≈" below is max(0, 4 × duration − 50): an estimate of what
// the task adds to total blocking time, not Lighthouse's own number (Lantern
// also counts only tasks between first contentful paint and interactive).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    slowdown: { type: 'string', default: '4' },
    min: { type: 'string', default: '12.5' },
  },
});
if (positionals.length === 0) {
  console.error('usage: node tasks.mjs [--slowdown 4] [--min 12.5] TRACE.json…');
  process.exit(2);
}
const slowdown = Number(values.slowdown);
const minMs = Number(values.min);

/** Which share of a task an event's time belongs to (outermost event wins). */
function kind(name) {
  if (name.startsWith('wasm.') || name.startsWith('v8.wasm.')) return 'wasm compile';
  if (name === 'UpdateLayoutTree' || name === 'Layout') return 'style+layout';
  if (name === 'PrePaint' || name === 'Paint' || name === 'Layerize' || name === 'Commit') return 'paint';
  if (name === 'FunctionCall' || name === 'EvaluateScript' || name === 'v8.evaluateModule' || name === 'RunMicrotasks') {
    return 'script';
  }
  if (name === 'ParseHTML' || name === 'ParseAuthorStyleSheet') return 'parse';
  return null;
}
const KINDS = ['script', 'wasm compile', 'style+layout', 'paint', 'parse', 'other'];

/** The main thread of the renderer that loaded the audited page. */
function mainThread(events) {
  const names = new Map();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name') names.set(`${event.pid}:${event.tid}`, event.args.name);
  }
  const counts = new Map();
  for (const event of events) {
    const key = `${event.pid}:${event.tid}`;
    if (names.get(key) === 'CrRendererMain' && event.ph === 'X' && event.name === 'FunctionCall') {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** What started a task: the first script entry in it, or its kind. */
function label(inside, shares, durationMs) {
  const rendering = shares['style+layout'] + shares.paint;
  if (shares.script + shares['wasm compile'] < 0.2 * durationMs && rendering > 0.5 * durationMs) return 'rendering';
  for (const event of inside) {
    const data = event.args?.data ?? {};
    if (event.name === 'EventDispatch') return `event ${data.type}`;
    if (event.name === 'TimerFire') return 'timer';
    if (event.name === 'FireAnimationFrame') return 'animation frame';
    if (event.name === 'v8.wasm.compileConsume' || event.name === 'wasm.FinishStreaming') return 'wasm streamed in';
    if (event.name === 'FunctionCall') return `call ${data.functionName || '(anonymous)'} (${String(data.url ?? '').replace(/^.*\//, '')})`;
    if (event.name === 'EvaluateScript' || event.name === 'v8.evaluateModule') return 'script evaluation';
  }
  if (inside.some((event) => event.name === 'Layout' || event.name === 'UpdateLayoutTree')) return 'rendering';
  return '';
}

function analyse(path) {
  const parsed = JSON.parse(readFileSync(path, 'utf8'));
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const thread = mainThread(events);
  if (!thread) throw new Error(`${path}: no renderer main thread with script`);
  const onThread = events
    .filter((event) => `${event.pid}:${event.tid}` === thread && event.ph === 'X' && typeof event.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const navigation = events.find((event) => event.name === 'navigationStart' && `${event.pid}:${event.tid}` === thread);
  const origin = navigation?.ts ?? onThread[0].ts;

  // Top-level tasks: RunTask events not inside another.
  const tasks = [];
  let end = -Infinity;
  for (const event of onThread) {
    if (event.name !== 'RunTask' && event.name !== 'ThreadControllerImpl::RunTask') continue;
    if (event.ts >= end) {
      tasks.push(event);
      end = event.ts + event.dur;
    }
  }

  const rows = [];
  let index = 0;
  for (const task of tasks) {
    const durationMs = task.dur / 1000;
    if (durationMs < minMs) continue;
    const taskEnd = task.ts + task.dur;
    while (index < onThread.length && onThread[index].ts < task.ts) index++;
    const inside = [];
    for (let i = index; i < onThread.length && onThread[i].ts < taskEnd; i++) {
      if (onThread[i] !== task && onThread[i].ts + onThread[i].dur <= taskEnd) inside.push(onThread[i]);
    }
    // Time by kind: each event's own time goes to the kind of its innermost
    // classified ancestor-or-self (so wasm compilation inside a script call
    // counts as compilation, layout forced by script as layout).
    const shares = Object.fromEntries(KINDS.map((name) => [name, 0]));
    const stack = [];
    const own = new Map();
    for (const event of inside) {
      while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= event.ts) stack.pop();
      const parent = stack[stack.length - 1];
      const eventKind = kind(event.name) ?? (parent ? own.get(parent).kind : null) ?? 'other';
      own.set(event, { kind: eventKind, self: event.dur });
      if (parent) own.get(parent).self -= event.dur;
      stack.push(event);
    }
    let classified = 0;
    for (const { kind: eventKind, self } of own.values()) {
      shares[eventKind] += self / 1000;
      classified += self / 1000;
    }
    shares.other += durationMs - classified;
    rows.push({
      startMs: (task.ts - origin) / 1000,
      durationMs,
      blockingMs: Math.max(0, slowdown * durationMs - 50),
      label: label(inside, shares, durationMs),
      shares,
    });
  }
  return rows;
}

const format = (value) => value.toFixed(1).padStart(6);
for (const path of positionals) {
  const rows = analyse(path);
  console.log(`${path}`);
  console.log(`  start ms  task ms  blocking≈  ${KINDS.map((name) => name.padStart(14)).join('')}  started by`);
  const totals = Object.fromEntries(KINDS.map((name) => [name, 0]));
  let blocking = 0;
  for (const row of rows) {
    blocking += row.blockingMs;
    for (const name of KINDS) totals[name] += row.shares[name];
    console.log(
      `  ${format(row.startMs).padStart(8)}  ${format(row.durationMs).padStart(7)}  ${format(row.blockingMs).padStart(9)}  ` +
        `${KINDS.map((name) => format(row.shares[name]).padStart(14)).join('')}  ${row.label}`,
    );
  }
  console.log(
    `  ${'sum'.padStart(8)}  ${format(rows.reduce((sum, row) => sum + row.durationMs, 0)).padStart(7)}  ${format(blocking).padStart(9)}  ` +
      `${KINDS.map((name) => format(totals[name]).padStart(14)).join('')}`,
  );
}
