'use strict';
/**
 * The server's own figures: request counters, event-loop delay, event-loop utilization, memory.
 * Figures cover a window that starts at startup or at the last snapshot({ reset: true }), so a load
 * test can measure exactly its load phase.
 */
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

// One sample per millisecond: a block of the loop longer than ~1 ms shows up in the histogram.
const RESOLUTION_MS = 1;

function createMetrics() {
  const startedAt = Date.now();
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let window = { startedAt: performance.now(), elu: performance.eventLoopUtilization(), requests: 0, predictions: 0 };
  const totals = { requests: 0, predictions: 0, clientErrors: 0, serverErrors: 0 };

  // The histogram records the time between two firings of a repeating timer, which is the resolution
  // itself when the loop is idle; the delay is what exceeds it.
  const delayMs = (ns) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : 0);

  return {
    /** Counts one answered request; `predictions` = samples it predicted (0 for non-/predict). */
    record(status, predictions) {
      totals.requests++;
      window.requests++;
      totals.predictions += predictions;
      window.predictions += predictions;
      if (status >= 500) totals.serverErrors++;
      else if (status >= 400) totals.clientErrors++;
    },

    totals() {
      return { ...totals, uptimeSeconds: (Date.now() - startedAt) / 1000 };
    },

    /** The figures of the current window; `reset` starts a new one afterwards. */
    snapshot({ reset = false } = {}) {
      const seconds = (performance.now() - window.startedAt) / 1000;
      const memory = process.memoryUsage();
      const result = {
        windowSeconds: seconds,
        requests: window.requests,
        predictions: window.predictions,
        totals: { ...totals },
        eventLoopDelayMs: {
          p50: delayMs(delay.percentile(50)),
          p99: delayMs(delay.percentile(99)),
          max: delayMs(delay.max),
          mean: delayMs(delay.mean),
          samples: delay.count,
          resolutionMs: RESOLUTION_MS,
        },
        // The fraction of the window the main thread was busy (1 = never idle).
        eventLoopUtilization: performance.eventLoopUtilization(window.elu).utilization,
        memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, externalBytes: memory.external },
      };
      if (reset) {
        delay.reset();
        window = { startedAt: performance.now(), elu: performance.eventLoopUtilization(), requests: 0, predictions: 0 };
      }
      return result;
    },

    stop() {
      delay.disable();
    },
  };
}

module.exports = { createMetrics };
