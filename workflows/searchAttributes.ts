// What operators and the logs per URL (G7) search by: custom search attributes, registered at start-up
// (lib/namespace.ts), set at start by the API. A delivery upserts its status and attempts only off the
// first-attempt path. Never secrets: search attributes are not encrypted.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const MERCHANT = defineSearchAttributeKey('ArautoMerchant', SearchAttributeType.KEYWORD);
export const ENDPOINT = defineSearchAttributeKey('ArautoEndpoint', SearchAttributeType.KEYWORD);
/** The charge (Gerencianet), intent (ControlPay) or paymentId (payments and their receipts): what a merchant searches by. */
export const CHARGE_ID = defineSearchAttributeKey('ArautoChargeId', SearchAttributeType.KEYWORD);
/** Unset while the first attempt runs; `delivering`, `held` or `failed` afterwards (sent = ExecutionStatus Completed). */
export const DELIVERY_STATUS = defineSearchAttributeKey('ArautoDeliveryStatus', SearchAttributeType.KEYWORD);
/** Attempts made or under way; unset means one (a delivery upserts it before each later attempt). */
export const ATTEMPTS = defineSearchAttributeKey('ArautoAttempts', SearchAttributeType.INT);

/** A PlugBoleto return protocol (P1–P6); a file uploaded by Arauto gets it once PlugBoleto answers. */
export const PROTOCOL = defineSearchAttributeKey('ArautoProtocol', SearchAttributeType.KEYWORD);
/** The account's idempotency key of a payment or debt query (I1–I3). */
export const CLIENT_REQUEST_ID = defineSearchAttributeKey('ArautoClientRequestId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [MERCHANT, ENDPOINT, CHARGE_ID, DELIVERY_STATUS, ATTEMPTS, PROTOCOL, CLIENT_REQUEST_ID] as const;
