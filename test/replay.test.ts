// Histories recorded from real runs (`temporal workflow show --output json`) replay against the
// current workflow code: a change that would break workflows already running fails here (D6).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { testDataConverter } from './support/testConfig';

const dir = path.join(__dirname, 'histories');
const workflowsPath = require.resolve('../workflows');

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  test(`replays ${file}`, async () => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    // Histories recorded with encryption used the tests' key (docs/testing.md); older ones are in clear.
    await Worker.runReplayHistory({ workflowsPath, dataConverter: testDataConverter() }, history, path.basename(file, '.json'));
  });
}
