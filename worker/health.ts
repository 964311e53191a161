// The worker's health for a container orchestrator (docker-compose.yml, Kubernetes probes): `GET /healthz` answers
// 200 while the worker polls its task queue, 503 while it starts or drains, with the SDK's state either way.
import { once } from 'node:events';
import http from 'node:http';
import type { Worker } from '@temporalio/worker';

/** Resolves once it listens. */
export async function serveHealth(worker: Worker, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const state = worker.getState();
    const status = req.url !== '/healthz' ? 404 : state === 'RUNNING' ? 200 : 503;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ state }));
  }).listen(port);
  await once(server, 'listening');
  return server;
}
