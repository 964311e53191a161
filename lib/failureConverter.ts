// Failure messages and stack traces go through the payload codec too (lib/payloadCodec.ts): an error message may
// quote what it failed on. Loaded by path, inside the workflow sandbox as well.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
