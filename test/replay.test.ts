// Histories recorded from real runs (`temporal workflow show --output json`, one by `tctl workflow show --output_filename`) replay against the
// current workflow code: a change that would break workflows already running fails here (D6).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundle } from '@temporalio/worker';
import { startTracing, tracingWorkerOptions } from '../lib/tracing';
import { testConfig, testDataConverter } from './support/testConfig';

const dir = path.join(__dirname, 'histories');
const workflowsPath = require.resolve('../workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const historyOf = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));

for (const file of files) {
  test(`replays ${file}`, async () => {
    // Histories recorded with encryption used the tests' key (docs/testing.md); older ones are in clear.
    await Worker.runReplayHistory({ workflowsPath, dataConverter: testDataConverter() }, historyOf(file), path.basename(file, '.json'));
  });
}

// Issue 19: the same histories with tracing on (OTEL_EXPORTER_OTLP_ENDPOINT set) replay unchanged, the OpenTelemetry
// workflow interceptors in the bundle; and replaying exports nothing (the span sink is not called on replay).
describe('with tracing on', () => {
  const exported = new InMemorySpanExporter();
  let workflowBundle: WorkflowBundle;
  before(async () => {
    assert.equal(startTracing(testConfig(), 'arauto-replay', new SimpleSpanProcessor(exported)), true);
    const workflowInterceptorModules = tracingWorkerOptions().interceptors!.workflowModules!;
    // Bundled once for every history (the pass above bundles per history).
    workflowBundle = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: new DefaultLogger('WARN') });
  });
  after(() => assert.equal(exported.getFinishedSpans().length, 0, 'a replay exported spans'));
  for (const file of files) {
    test(`replays ${file} with tracing on`, async () => {
      await Worker.runReplayHistory(
        { workflowBundle, dataConverter: testDataConverter(), sinks: tracingWorkerOptions().sinks },
        historyOf(file), path.basename(file, '.json'),
      );
    });
  }
});
