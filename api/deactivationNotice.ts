// G4 without an e-mail address: a URL of a deactivating profile dies silently unless the merchant is told so when
// registering it and whenever it reads its endpoints (issue 16).
import { ENDPOINT_NAMES, profileOfEndpoint, type EndpointName } from '../providers/registry';

/** Whether a deactivation of this endpoint is e-mailed (G4); `not_applicable`: its profile never deactivates. */
export type DeactivationEmail = 'sent' | 'not_sent' | 'not_applicable';

export function deactivationEmailOf(endpoint: EndpointName, notificationEmail: string | null): DeactivationEmail {
  if (!profileOfEndpoint(endpoint).deactivateOnExhaustion) return 'not_applicable';
  return notificationEmail ? 'sent' : 'not_sent';
}

/** One warning per registered URL whose deactivation nobody would be told of. */
export function deactivationWarnings(
  urls: Partial<Record<EndpointName, string | null>>, notificationEmail: string | null,
): string[] {
  return ENDPOINT_NAMES
    .filter((name) => urls[name] && deactivationEmailOf(name, notificationEmail) === 'not_sent')
    .map((name) =>
      `${name} is deactivated automatically when a notification fails every attempt (G4), and no notificationEmail ` +
      'is registered: the deactivation will not be e-mailed. Register one with PUT …/callback-urls, or watch GET …/endpoints.');
}
