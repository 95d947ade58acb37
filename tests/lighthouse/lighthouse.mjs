#!/usr/bin/env node
// Lighthouse (mobile, default config: Moto G Power emulation, simulated
// throttling) on moot's views in a mid-meetup state. See README.md here.
//
// For every run of every view: a fresh meetup in the same mid-meetup state
// (so each audit sees the same room, timer and turn clock near their start),
// a fresh Chromium with a fresh profile, one Lighthouse navigation, then the
// meetup is deleted. The medians of N runs are printed and written, with
// every run's numbers and full Lighthouse report, to artifacts/lighthouse/.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

import { keepPriority, waitForQuiet, watchOthers } from './cpu.mjs';
import { deleteMeetup, midMeetup } from './meetup.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The flags this closed-network machine needs (see TOOLCHAIN.md). */
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The views, in the order they are audited. */
const VIEWS = {
  landing: { needsMeetup: false, url: (base) => `${base}/` },
  join: { needsMeetup: true, url: (base, m) => `${base}/j/${m.code}` },
  // Bo's phone: his rejoin token is put where the app keeps it
  // (`moot.token.{CODE}` in localStorage, web/src/storage.rs) before
  // its scripts run (see audit()).
  participant: {
    needsMeetup: true,
    url: (base, m) => `${base}/m/${m.code}`,
    localStorage: (m) => ({ [`moot.token.${m.code}`]: m.people.bo.token }),
  },
  // The facilitator and screen links carry the token in the URL fragment.
  facilitator: { needsMeetup: true, url: (_base, m) => m.created.facilitator_url },
  screen: { needsMeetup: true, url: (_base, m) => m.created.screen_url },
};

const USAGE = `usage: node lighthouse.mjs [options]

  --url URL        audit a running moot server (default: start one)
  --moot PATH      the moot binary to start (default: target/release/moot,
                   else target/debug/moot; build with \`cargo xtask build-web\`
                   then \`cargo build --release -p moot-server\`)
  --runs N         audits per view (default 3)
  --views a,b,…    among ${Object.keys(VIEWS).join(', ')} (default: all)
  --chrome PATH    Chromium (default /usr/bin/chromium)
  --out DIR        where results go (default artifacts/lighthouse/<time>)
  --no-reports     do not keep each run's full Lighthouse report
  --traces         also keep each run's trace, with V8's wasm compilation
                   events added (read it with tasks.mjs)
  --quiet PERCENT  before each audit, wait until the machine's CPUs are at
                   most this busy (default 25; 100 = never wait)
  --max-wait SECS  give up waiting for a quiet machine after this (default 30)
  --max-others PERCENT
                   a run during which other processes took more than this
                   share of all CPUs is noisy and done again (default 10)
  --retries N      how often a noisy run is done again; the least noisy
                   attempt is kept (default 2)
  --nice=N         run the server and Chromium at this nice value (default
                   -20, needs root; 0 = as started)
`;

function options() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      moot: { type: 'string' },
      runs: { type: 'string', default: '3' },
      views: { type: 'string', default: Object.keys(VIEWS).join(',') },
      chrome: { type: 'string', default: '/usr/bin/chromium' },
      out: { type: 'string' },
      'no-reports': { type: 'boolean', default: false },
      traces: { type: 'boolean', default: false },
      quiet: { type: 'string', default: '25' },
      'max-wait': { type: 'string', default: '30' },
      'max-others': { type: 'string', default: '10' },
      retries: { type: 'string', default: '2' },
      nice: { type: 'string', default: '-20' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer\n${USAGE}`);
  const views = values.views.split(',').map((view) => view.trim()).filter(Boolean);
  for (const view of views) {
    if (!VIEWS[view]) throw new Error(`unknown view ${view}\n${USAGE}`);
  }
  const quiet = Number(values.quiet);
  const maxWait = Number(values['max-wait']);
  const nice = Number(values.nice);
  if (!Number.isInteger(nice) || nice < -20 || nice > 19) throw new Error(`--nice must be an integer from -20 to 19\n${USAGE}`);
  const maxOthers = Number(values['max-others']);
  const retries = Number(values.retries);
  if (!(quiet > 0 && quiet <= 100) || !(maxWait >= 0) || !(maxOthers > 0) || !(Number.isInteger(retries) && retries >= 0)) {
    throw new Error(`bad --quiet, --max-wait, --max-others or --retries\n${USAGE}`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    url: values.url?.replace(/\/+$/, ''),
    moot: values.moot,
    runs,
    views,
    chrome: values.chrome,
    out: resolve(values.out ?? join(ROOT, 'artifacts', 'lighthouse', stamp)),
    keepReports: !values['no-reports'],
    traces: values.traces,
    quiet,
    maxWait,
    maxOthers,
    retries,
    nice,
  };
}

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts moot on a free port with a temporary data directory. */
async function startServer(binary, logPath) {
  const candidates = binary ? [binary] : ['release', 'debug'].map((profile) => join(ROOT, 'target', profile, 'moot'));
  const path = candidates.find((candidate) => existsSync(candidate));
  if (!path) throw new Error(`no moot binary at ${candidates.join(' or ')}\n${USAGE}`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'moot-lighthouse-'));
  const child = spawn(
    path,
    ['--bind', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--log', 'warn'],
    // Its banner and QR code would drown the results; keep them in a file.
    { stdio: ['ignore', openSync(logPath, 'w'), openSync(logPath, 'a')] },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${path} exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`${path} did not answer /healthz within 20 s`);
    }
    await new Promise((wake) => setTimeout(wake, 100));
  }
  console.error(`moot: ${path} on ${base}`);
  return { base, stop, pid: child.pid };
}

/** Whether the served index.html is the real app, not the "not built" page. */
async function checkAppBuilt(base) {
  const html = await (await fetch(`${base}/`)).text();
  if (!html.includes('type="module"')) {
    throw new Error(`${base}/ does not serve the web app; build it with \`cargo xtask build-web\` before the server`);
  }
}

/**
 * Trace categories added with `--traces`: V8's wasm compilation events
 * (lazy compilation of each function on its first call runs on the main
 * thread, inside the script task that calls it). Lighthouse's own categories
 * do not include them, so without them that time is just script.
 */
const WASM_TRACE_CATEGORIES = ['v8.wasm', 'disabled-by-default-v8.wasm.detailed'];

/**
 * One Lighthouse navigation in a fresh Chromium; with `screenshot`, a PNG of
 * the page as Lighthouse left it (to check the state the audit saw). Returns
 * the Lighthouse result, the share of all CPUs that processes other than
 * ours (this script, Chromium, the moot server we started) took during it,
 * and with `traces` the trace.
 */
async function audit(chromePath, url, storage, screenshot, serverPid, nice, traces) {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS });
  // chrome-launcher starts Chromium in a process group of its own.
  const priority = keepPriority(chrome.pid, nice);
  let browser;
  try {
    browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
    const page = await browser.newPage();
    if (storage) {
      // Written as each document of the app's origin starts, before its
      // scripts: after Lighthouse's storage reset, and without loading a
      // page of the origin first (that would make Chromium ask for
      // /favicon.ico before the audit and not again during it).
      await page.evaluateOnNewDocument(
        (origin, items) => {
          if (location.origin !== origin) return;
          for (const [key, value] of Object.entries(items)) {
            if (localStorage.getItem(key) === null) localStorage.setItem(key, value);
          }
        },
        new URL(url).origin,
        storage,
      );
    }
    const watch = watchOthers(chrome.pid, serverPid);
    const result = await lighthouse(
      url,
      {
        logLevel: 'error',
        output: 'json',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        ...(traces ? { additionalTraceCategories: WASM_TRACE_CATEGORIES } : {}),
      },
      undefined,
      page,
    );
    const others = watch.stop();
    if (!result) throw new Error('lighthouse returned nothing');
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    return { lhr: result.lhr, others, trace: traces ? result.artifacts.Trace : null };
  } finally {
    priority.stop();
    await browser?.disconnect().catch(() => {});
    chrome.kill();
  }
}

/**
 * The audits of a category that did not pass (score below 1): those that
 * count towards its score, or (`weighted` false) those with weight 0, which
 * Lighthouse lists but does not score (e.g. `valid-source-maps`).
 */
function failing(lhr, category, weighted = true) {
  return lhr.categories[category].auditRefs
    .filter((ref) => (ref.weight > 0) === weighted)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit.score !== null && audit.score < 1)
    .map((audit) => audit.id);
}

/** The numbers kept from one run. */
function summarize(lhr) {
  const numeric = (id) => lhr.audits[id]?.numericValue ?? null;
  const score = (id) => (lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100));
  const items = (id) => lhr.audits[id]?.details?.items ?? [];
  return {
    tbt_ms: numeric('total-blocking-time'),
    performance: score('performance'),
    accessibility: score('accessibility'),
    best_practices: score('best-practices'),
    cls: numeric('cumulative-layout-shift'),
    fcp_ms: numeric('first-contentful-paint'),
    lcp_ms: numeric('largest-contentful-paint'),
    speed_index_ms: numeric('speed-index'),
    tti_ms: numeric('interactive'),
    max_potential_fid_ms: numeric('max-potential-fid'),
    failing_accessibility: failing(lhr, 'accessibility'),
    failing_best_practices: failing(lhr, 'best-practices'),
    failing_unscored: [...failing(lhr, 'accessibility', false), ...failing(lhr, 'best-practices', false)],
    // Audits Lighthouse could not run (12.2.3's trace parser and Chromium 156
    // disagree on screenshot events, which takes out layout-shifts and the
    // audits built on it; the metrics and scores are unaffected).
    errored_audits: Object.values(lhr.audits)
      .filter((audit) => audit.scoreDisplayMode === 'error')
      .map((audit) => audit.id),
    console_errors: items('errors-in-console').map(
      (item) => `${item.source}: ${item.description}${item.sourceLocation?.url ? ` (${item.sourceLocation.url})` : ''}`,
    ),
    csp: items('csp-xss').map((item) => `${item.severity ?? ''} ${item.description ?? ''}`.trim()),
    long_tasks: items('long-tasks')
      .slice(0, 5)
      .map((item) => ({ url: item.url, start_ms: Math.round(item.startTime), duration_ms: Math.round(item.duration) })),
    // Lighthouse's measure of this machine's speed: it shifts with load.
    benchmark_index: lhr.environment?.benchmarkIndex ?? null,
    final_url: lhr.finalDisplayedUrl,
    warnings: lhr.runWarnings,
    runtime_error: lhr.runtimeError?.message ?? null,
  };
}

function median(values) {
  const sorted = values.filter((value) => value !== null && value !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Medians over the runs, the spread of TBT, and every failing audit seen. */
function aggregate(runs) {
  const pick = (key) => runs.map((run) => run[key]);
  const union = (key) => [...new Set(runs.flatMap((run) => run[key]))].sort();
  const tbt = pick('tbt_ms').filter((value) => value !== null);
  return {
    runs: runs.length,
    tbt_ms: median(pick('tbt_ms')),
    tbt_min_ms: tbt.length ? Math.min(...tbt) : null,
    tbt_max_ms: tbt.length ? Math.max(...tbt) : null,
    performance: median(pick('performance')),
    accessibility: median(pick('accessibility')),
    best_practices: median(pick('best_practices')),
    cls: median(pick('cls')),
    fcp_ms: median(pick('fcp_ms')),
    lcp_ms: median(pick('lcp_ms')),
    failing_accessibility: union('failing_accessibility'),
    failing_best_practices: union('failing_best_practices'),
    failing_unscored: union('failing_unscored'),
    errored_audits: union('errored_audits'),
    console_errors: union('console_errors'),
    benchmark_index: median(pick('benchmark_index')),
    others_cpu: median(pick('others_cpu')),
    noisy_runs_kept: runs.filter((run) => run.noisy).length,
  };
}

function table(results) {
  const header = ['view', 'TBT ms (min-max)', 'perf', 'a11y', 'b-p', 'CLS', 'LCP ms', 'bench', 'others', 'failing a11y / best-practices'];
  const rows = Object.entries(results).map(([view, { median: m }]) => [
    view,
    `${Math.round(m.tbt_ms)} (${Math.round(m.tbt_min_ms)}-${Math.round(m.tbt_max_ms)})`,
    String(m.performance),
    String(m.accessibility),
    String(m.best_practices),
    m.cls.toFixed(3),
    String(Math.round(m.lcp_ms)),
    String(Math.round(m.benchmark_index)),
    m.others_cpu === null ? '?' : `${m.others_cpu} %${m.noisy_runs_kept ? ` (${m.noisy_runs_kept} noisy)` : ''}`,
    [...m.failing_accessibility, ...m.failing_best_practices].join(', ') || '-',
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const notes = Object.entries(results).flatMap(([view, { median: m }]) => [
    ...m.console_errors.map((error) => `${view}: console: ${error}`),
    ...(m.failing_unscored.length ? [`${view}: failing, weight 0: ${m.failing_unscored.join(', ')}`] : []),
  ]);
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    'medians; bench = Lighthouse benchmark index of this machine (lower = busier or slower CPU);',
    'others = share of all CPUs that other processes took during the audit',
    ...notes,
  ].join('\n');
}

/** One audit of one view in a fresh meetup, after waiting for a quiet machine. */
async function auditOnce(opts, server, viewName, run) {
  const view = VIEWS[viewName];
  const busyBefore = await waitForQuiet(opts.quiet, opts.maxWait);
  const meetup = view.needsMeetup ? await midMeetup(server.base) : null;
  try {
    const url = view.url(server.base, meetup);
    const screenshot = run === 1 ? join(opts.out, `${viewName}.png`) : null;
    const { lhr, others, trace } = await audit(
      opts.chrome,
      url,
      view.localStorage?.(meetup),
      screenshot,
      server.pid,
      opts.nice,
      opts.traces,
    );
    const round = (value) => (value === null ? null : Math.round(value));
    return { lhr, trace, summary: { ...summarize(lhr), cpu_busy_before: round(busyBefore), others_cpu: round(others) } };
  } finally {
    if (meetup) {
      for (const member of Object.values(meetup.people)) member.close();
      await deleteMeetup(server.base, meetup.created);
    }
  }
}

/**
 * Raises this process's priority, so the server and every Chromium process
 * it starts inherit it: on a machine shared with running builds and tests,
 * the audited page then gets the CPU time a quiet machine would give it.
 */
function raisePriority(nice) {
  if (nice === 0) return 0;
  try {
    // The calling thread's priority; children forked from it inherit it.
    setPriority(nice);
    return nice;
  } catch (error) {
    console.error(`could not set nice ${nice} (${error.code ?? error.message}); running at normal priority`);
    return 0;
  }
}

async function main() {
  const opts = options();
  // From here on, the nice value actually in force.
  opts.nice = raisePriority(opts.nice);
  mkdirSync(opts.out, { recursive: true });
  const server = opts.url
    ? { base: opts.url, stop: () => {}, pid: null }
    : await startServer(opts.moot, join(opts.out, 'moot.log'));
  const stopAndExit = () => {
    server.stop();
    process.exit(130);
  };
  process.on('SIGINT', stopAndExit);
  process.on('SIGTERM', stopAndExit);
  const results = {};
  // Attempts not kept (a quieter attempt of the same run was), for the record.
  const setAside = [];
  try {
    await checkAppBuilt(server.base);
    for (const viewName of opts.views) {
      const runs = [];
      for (let run = 1; run <= opts.runs; run++) {
        // Up to 1 + retries attempts: the first quiet one is kept, else the
        // least noisy; the others are kept in the summary for the record.
        let best = null;
        for (let attempt = 0; attempt <= opts.retries; attempt++) {
          const { summary, lhr, trace } = await auditOnce(opts, server, viewName, run);
          const noisy = summary.others_cpu !== null && summary.others_cpu > opts.maxOthers;
          console.error(
            `${viewName} ${run}/${opts.runs}: TBT ${Math.round(summary.tbt_ms)} ms, perf ${summary.performance}, ` +
              `a11y ${summary.accessibility}, best-practices ${summary.best_practices}, CLS ${summary.cls?.toFixed(3)}, ` +
              `bench ${Math.round(summary.benchmark_index)}, others ${summary.others_cpu ?? '?'} % CPU` +
              (noisy ? ' (noisy)' : '') +
              (summary.runtime_error ? `, error: ${summary.runtime_error}` : ''),
          );
          const candidate = { summary: { ...summary, noisy }, lhr, trace };
          if (!best || (summary.others_cpu ?? 0) < (best.summary.others_cpu ?? 0)) {
            if (best) setAside.push({ view: viewName, run, ...best.summary });
            best = candidate;
          } else {
            setAside.push({ view: viewName, run, ...candidate.summary });
          }
          if (!noisy) break;
        }
        runs.push(best.summary);
        if (opts.keepReports) {
          writeFileSync(join(opts.out, `${viewName}-${run}.report.json`), JSON.stringify(best.lhr));
        }
        if (best.trace) writeFileSync(join(opts.out, `${viewName}-${run}.trace.json`), JSON.stringify(best.trace));
      }
      results[viewName] = { median: aggregate(runs), runs };
    }
  } finally {
    server.stop();
  }

  const chromeVersion = await new Promise((done) => {
    const child = spawn(opts.chrome, ['--version']);
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('close', () => done(text.trim()));
    child.on('error', () => done(null));
  });
  const summaryPath = join(opts.out, 'summary.json');
  writeFileSync(
    summaryPath,
    JSON.stringify(
      {
        when: new Date().toISOString(),
        server: opts.url ?? 'started by the harness',
        lighthouse: JSON.parse(readFileSync(join(ROOT, 'tests', 'lighthouse', 'node_modules', 'lighthouse', 'package.json'), 'utf8')).version,
        chrome: chromeVersion,
        settings: 'Lighthouse default config: mobile, simulated throttling',
        traces: opts.traces ? `kept, with trace categories ${WASM_TRACE_CATEGORIES.join(', ')} added` : false,
        runs_per_view: opts.runs,
        max_others_cpu_percent: opts.maxOthers,
        nice: opts.nice,
        results,
        runs_set_aside: setAside,
      },
      null,
      2,
    ),
  );
  console.log(table(results));
  console.log(`\nresults: ${summaryPath}`);
}

main().catch((error) => {
  console.error(error.stack ?? error);
  process.exit(1);
});
