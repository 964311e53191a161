// The one place the services' domain errors become HTTP answers (used by api/app.ts's error handler).
import { ConflictingNotification, NotFound, NotRegistered } from '../notifications/errors';
import { HttpError } from './route';

export function httpErrorOf(err: unknown): HttpError | undefined {
  if (err instanceof NotFound) return new HttpError(404, 'not_found', err.message);
  if (err instanceof NotRegistered) {
    return new HttpError(409, 'no_callback_url', err.message, [
      { field: err.endpoint, message: 'register it with PUT /v1/merchants/{merchantId}/callback-urls' },
    ]);
  }
  if (err instanceof ConflictingNotification) return new HttpError(409, 'conflicting_notification', err.message);
  return undefined;
}
