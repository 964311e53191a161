// The Temporal SDK's own metrics (Core's runtime telemetry: task slots, schedule-to-start latencies, polls, the
// sticky cache), exported by Core's Prometheus exporter on a loopback port nobody scrapes directly: the process's
// /metrics (lib/metricsServer.ts) appends its text to Arauto's, so one port serves both.
import type { TelemetryOptions } from '@temporalio/worker';
import { freePort } from '../lib/freePort';

export interface SdkMetrics {
  /** For Runtime.install. */
  telemetryOptions: TelemetryOptions;
  /** Where lib/metricsServer.ts reads Core's text. */
  url: string;
}

/** A loopback port for Core's exporter (picked free just before Core binds it). */
export async function sdkMetrics(): Promise<SdkMetrics> {
  const bindAddress = `127.0.0.1:${await freePort()}`;
  return {
    telemetryOptions: {
      metrics: {
        // Prometheus' conventions: seconds, unit suffixes, counters ending in _total.
        prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true },
      },
    },
    url: `http://${bindAddress}/metrics`,
  };
}
