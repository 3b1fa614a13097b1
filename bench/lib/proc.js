'use strict';
// Reads a server's CPU time and memory from /proc (Linux only).
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

function clockTicks() {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}
const CLK_TCK = clockTicks();

/**
 * Parses the text of /proc/<pid>/stat. The command name (field 2) may contain spaces and ')' so
 * fields are counted from the last ')'. Returns ppid, utime and stime (in clock ticks).
 */
function parseStat(text) {
  const end = text.lastIndexOf(')');
  if (end < 0) throw new Error('malformed stat');
  const rest = text.slice(end + 2).split(' ');
  // rest[0] is field 3 (state): ppid = field 4, utime = field 14, stime = field 15.
  return { ppid: Number(rest[1]), utime: Number(rest[11]), stime: Number(rest[12]) };
}

/**
 * Parses /proc/<pid>/status into {rssKiB (VmRSS), hwmKiB (VmHWM), anonKiB (RssAnon)}. RssAnon is the part of the
 * RSS that is the process's own memory (heaps, stacks), without the pages of the program's and libraries' files
 * it has touched (RssFile; for Tocsin, the node binary's).
 */
function parseStatus(text) {
  const get = (key) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return { rssKiB: get('VmRSS'), hwmKiB: get('VmHWM'), anonKiB: get('RssAnon') };
}

function readStat(pid) {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The pid and all its descendants (scan of /proc; called only outside timed sections). */
function processTree(pid) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(name);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(Number(name));
    children.set(st.ppid, list);
  }
  const out = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    out.push(p);
    for (const c of children.get(p) ?? []) stack.push(c);
  }
  return out;
}

/** CPU seconds (user + system) used so far by a list of pids. */
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    const st = readStat(pid);
    if (st) ticks += st.utime + st.stime;
  }
  return ticks / CLK_TCK;
}

/**
 * CPU seconds of a process's main thread (/proc/<pid>/task/<pid>/stat): for Node, the event loop, which bounds
 * its throughput while worker threads use other cores. Null when unreadable.
 */
function mainThreadCpuSeconds(pid) {
  try {
    const st = parseStat(fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    return (st.utime + st.stime) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Memory of a list of pids, summed: current RSS, peak RSS (VmHWM) and current RssAnon, in MiB. */
function memory(pids) {
  let rss = 0;
  let hwm = 0;
  let anon = 0;
  for (const pid of pids) {
    try {
      const m = parseStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      rss += m.rssKiB;
      hwm += m.hwmKiB;
      anon += m.anonKiB;
    } catch {
      // process gone
    }
  }
  return { rssMiB: rss / 1024, peakRssMiB: hwm / 1024, anonMiB: anon / 1024 };
}

module.exports = { CLK_TCK, parseStat, parseStatus, processTree, cpuSeconds, mainThreadCpuSeconds, memory };
