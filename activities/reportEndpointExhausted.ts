// G4 hook: a delivery used every attempt of its schedule.
import { log } from '../lib/log';

export interface EndpointExhausted {
  deliveryId: string;
  merchantId: string;
  endpointUrl: string;
  deactivateOnExhaustion: boolean;
  lastErrors: string[];
}

/**
 * Raised once per exhausted delivery. The endpoint lifecycle (issue 4) turns this into URL
 * deactivation and the "Falha na URL de callback" e-mail when the profile says so; until
 * then it is recorded as a warning for operators.
 */
export async function reportEndpointExhausted(event: EndpointExhausted): Promise<void> {
  log.warn('callback endpoint exhausted', { ...event });
}
