// OpenTelemetry traces (docs/observability.md, Traces), on only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Off, nothing is
// installed: no tracer provider, no client or worker interceptors, and the workflow bundle is the one without
// tracing. On, one trace runs from the API's request through StartWorkflow, the workflow and each attempt to its POST.
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { Config } from './config';
import { scrubWorkflowSpan } from './workflowSpanScrub';

interface Installed {
  provider: NodeTracerProvider;
  processor: SpanProcessor;
  resource: Resource;
}

let installed: Installed | undefined;

/** The workflow interceptors' module: in the bundle only when tracing is on (a worker option, not an import). */
const WORKFLOW_INTERCEPTORS = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * Once per process, before its clients and workers are made: installs the global tracer provider exporting over
 * OTLP/HTTP when the endpoint is set; does nothing otherwise. `processor` is a test's seam (an in-memory exporter).
 */
export function startTracing(config: Config, defaultServiceName: string, processor?: SpanProcessor): boolean {
  if (installed) return true;
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT && !processor) return false;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME ?? defaultServiceName });
  const url = `${config.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '')}/v1/traces`;
  processor ??= new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register(); // global tracer, AsyncLocalStorage context, W3C trace context propagation
  installed = { provider, processor, resource };
  return true;
}

export function tracingOn(): boolean {
  return installed !== undefined;
}

/** Exports what is buffered (tests; a process that stops). */
export async function flushTracing(): Promise<void> {
  await installed?.provider.forceFlush();
}

export async function stopTracing(): Promise<void> {
  await installed?.provider.shutdown();
}

/** A Client's interceptors: StartWorkflow, SignalWorkflow, DescribeWorkflow… spans carrying the context in headers. */
export function tracingClientInterceptors(): ClientInterceptors | undefined {
  return installed ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/** A worker's interceptors and the sink that carries workflow spans out of the sandbox; nothing when off. */
export function tracingWorkerOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!installed) return {};
  const { processor, resource } = installed;
  // Workflow spans reach the process through a sink, which is not called on replay: a span is exported once.
  const scrubbing: Pick<SpanProcessor, 'onEnd'> = { onEnd: (span: ReadableSpan) => processor.onEnd(scrubWorkflowSpan(span)) };
  return {
    interceptors: {
      workflowModules: [WORKFLOW_INTERCEPTORS],
      activity: [(ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      })],
    },
    sinks: { exporter: makeWorkflowExporter(scrubbing as SpanProcessor, resource) },
  };
}
