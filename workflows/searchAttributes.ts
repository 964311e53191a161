// What the logs per URL are searched by (G7): custom search attributes, registered at start-up
// (lib/namespace.ts). Set at start by the API; a delivery upserts the last two only off the first-attempt path.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const MERCHANT = defineSearchAttributeKey('ArautoMerchant', SearchAttributeType.KEYWORD);
export const ENDPOINT = defineSearchAttributeKey('ArautoEndpoint', SearchAttributeType.KEYWORD);
/** The charge (Gerencianet) or intent (ControlPay) the notification is about: what a merchant searches by. */
export const CHARGE_ID = defineSearchAttributeKey('ArautoChargeId', SearchAttributeType.KEYWORD);
/** Unset while the first attempt runs; `delivering`, `held` or `failed` afterwards (sent = ExecutionStatus Completed). */
export const DELIVERY_STATUS = defineSearchAttributeKey('ArautoDeliveryStatus', SearchAttributeType.KEYWORD);
/** Attempts made or under way; unset means one (a delivery upserts it before each later attempt). */
export const ATTEMPTS = defineSearchAttributeKey('ArautoAttempts', SearchAttributeType.INT);

export const SEARCH_ATTRIBUTES = [MERCHANT, ENDPOINT, CHARGE_ID, DELIVERY_STATUS, ATTEMPTS] as const;
