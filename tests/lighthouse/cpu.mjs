// How busy the machine is, from /proc (Linux; elsewhere every answer is null
// and nothing waits).
//
// Lighthouse's simulated throttling multiplies the main-thread time Chromium
// really took by 4, so anything else running on these 2 shared cores (another
// engineer's cargo build) inflates TBT several times over. The harness waits
// for a quiet machine before each audit and measures how much CPU *other*
// processes took during it, so noisy runs can be seen and repeated.

import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Clock ticks per second in /proc (USER_HZ; 100 on every Linux we use). */
const TICKS_PER_SECOND = 100;

/** Busy and total CPU ticks of all CPUs since boot, from /proc/stat. */
function machineTicks() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    const total = fields.reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * One process's fields from /proc/<pid>/stat, numbered as in proc(5): the
 * command name may hold spaces and parentheses, so split after its last ')'.
 */
function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (field) => Number(rest[field - 3]);
  } catch {
    return null;
  }
}

/**
 * CPU ticks of every process in a process group, including children they
 * already reaped (cutime, cstime): Chromium's renderers come and go during
 * a navigation, and their time must still count as Chromium's.
 */
function groupTicks(pgid) {
  let ticks = 0;
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const field = statFields(entry);
    if (field && field(5) === pgid) ticks += field(14) + field(15) + field(16) + field(17);
  }
  return ticks;
}

/** CPU ticks of one process (all its threads). */
function processTicks(pid) {
  const field = statFields(pid);
  return field ? field(14) + field(15) : 0;
}

function ownTicks() {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1e6) * TICKS_PER_SECOND;
}

/** How busy the CPUs are over the next `ms`, in percent of all of them. */
export async function machineBusy(ms) {
  const before = machineTicks();
  await new Promise((wake) => setTimeout(wake, ms));
  const after = machineTicks();
  if (!before || !after || after.total === before.total) return null;
  return (100 * (after.busy - before.busy)) / (after.total - before.total);
}

/**
 * Waits until the CPUs are at most `limit` percent busy over 2 s, for at most
 * `maxWaitSecs`. Returns the busy percentage last seen.
 */
export async function waitForQuiet(limit, maxWaitSecs) {
  if (limit >= 100) return null;
  const deadline = Date.now() + maxWaitSecs * 1000;
  let told = false;
  for (;;) {
    const busy = await machineBusy(2000);
    if (busy === null || busy <= limit) return busy;
    if (Date.now() > deadline) {
      console.error(`machine still ${Math.round(busy)} % busy after ${maxWaitSecs} s; auditing anyway`);
      return busy;
    }
    if (!told) {
      console.error(`waiting for the machine to be at most ${limit} % busy (now ${Math.round(busy)} %)`);
      told = true;
    }
  }
}

/**
 * Starts measuring the CPU that processes other than ours take: ours are
 * this Node process, Chromium's process group and, when given, the moot
 * server. `stop()` returns their share in percent of all CPUs, or null.
 */
export function watchOthers(chromePgid, serverPid) {
  const ours = () => ownTicks() + groupTicks(chromePgid) + (serverPid ? processTicks(serverPid) : 0);
  const machineBefore = machineTicks();
  const oursBefore = ours();
  return {
    stop() {
      const machineAfter = machineTicks();
      if (!machineBefore || !machineAfter || machineAfter.total === machineBefore.total) return null;
      const others = machineAfter.busy - machineBefore.busy - (ours() - oursBefore);
      return Math.max(0, (100 * others) / (machineAfter.total - machineBefore.total));
    },
  };
}

/** The threads of a process, by task id (empty once it ended). */
function tasks(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
}

/**
 * A process and all its descendants, with their threads, walking
 * /proc/<pid>/task/<tid>/children (much cheaper than scanning all of /proc).
 * With `mainOnly`, only each process's main thread is looked at: Chromium's
 * zygotes fork renderers from theirs, and a renderer's main thread is the one
 * whose priority Chromium resets, so that is enough to check often.
 */
function processTree(root, mainOnly) {
  const found = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift();
    const threads = mainOnly ? [pid] : tasks(pid);
    if (!threads.length) continue;
    found.push({ pid, threads });
    for (const tid of threads) {
      try {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (children) queue.push(...children.split(' ').map(Number));
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return found;
}

/**
 * Keeps every thread of a process and its descendants at `nice` (or higher
 * priority) until `stop()`. Chromium sets a renderer's priority itself when
 * it starts one (nice 0 in the foreground), whatever it inherited, so raising
 * it once at launch is not enough: this looks every 50 ms.
 */
export function keepPriority(root, nice) {
  if (nice === 0) return { stop() {} };
  let ticks = 0;
  const apply = () => {
    // Every thread once a second; main threads (and new processes) every tick.
    const mainOnly = ticks++ % 20 !== 0;
    for (const { threads } of processTree(root, mainOnly)) {
      for (const tid of threads) {
        try {
          if (getPriority(tid) > nice) setPriority(tid, nice);
        } catch {
          // The thread ended, or we may not raise it: nothing to keep.
        }
      }
    }
  };
  apply();
  const timer = setInterval(apply, 50);
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
