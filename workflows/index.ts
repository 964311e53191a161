export { deliverCallback } from './deliverCallback';
export { merchant } from './merchant';
export { returnProtocolPoll } from './returnProtocolPoll';
export { debtQuery } from './debtQuery';
export { idempotentPayment } from './idempotentPayment';
export { portalSession } from './portalSession';
