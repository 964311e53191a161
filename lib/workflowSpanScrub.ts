// The SDK's workflow span sink copies the whole WorkflowInfo into each span's attributes: its memo, search
// attributes (merchant, charge), last failure… Only these identifying fields leave the process.
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

const KEPT = new Set([
  // WorkflowInfo's
  'workflowId', 'runId', 'workflowType', 'taskQueue', 'namespace', 'attempt', 'historyLength',
  // the interceptors' own (@temporalio/interceptors-opentelemetry's instrumentation)
  'temporalWorkflowId', 'run_id', 'temporalActivityId', 'temporalUpdateId',
]);

export function scrubWorkflowSpan(span: ReadableSpan): ReadableSpan {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    if (KEPT.has(key) && ['string', 'number', 'boolean'].includes(typeof value)) attributes[key] = value;
  }
  return { ...span, spanContext: span.spanContext, attributes };
}
