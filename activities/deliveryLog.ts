// What an activity's log lines say about the delivery it works for: its id (the workflow's id) and the attempt.
import { Context } from '@temporalio/activity';

/** `attempt`: the delivery's attempt number, as its attempt log numbers it (not Temporal's activity attempt). */
export function deliveryFields(attempt?: number): { deliveryId?: string; attempt?: number } {
  let deliveryId: string | undefined;
  try {
    deliveryId = Context.current().info.workflowExecution?.workflowId;
  } catch {
    // Called outside an activity (a unit test calling the function directly): no delivery to name.
  }
  return { deliveryId, attempt };
}

/** scheme://host:port of a callback URL: its path and query may carry a merchant's token, never logged. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}
