'use strict';
// Helpers shared by the scenarios: the "not available" marker and response checks.

/** A value that a target cannot produce (feature missing); shown as "n/a (<target>: reason)". */
function na(reason) {
  return { na: reason };
}

/** True for statuses meaning "this endpoint/feature does not exist here". */
function isMissingFeature(status) {
  return status === 404 || status === 405 || status === 501;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns true or `timeoutMs` passes; returns the last value of fn. */
async function waitFor(fn, timeoutMs, intervalMs = 100) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ok = await fn();
    if (ok || performance.now() > deadline) return ok;
    await sleep(intervalMs);
  }
}

/** why a Node.js floor row (bench/floor-server.js) is empty in Alertmanager's column: it is measured once, in Tocsin's */
const FLOOR_ELSEWHERE = "the Node.js floor is measured once per run, in Tocsin's column";

module.exports = { na, isMissingFeature, sleep, waitFor, FLOOR_ELSEWHERE };
