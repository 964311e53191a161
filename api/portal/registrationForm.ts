// The registration form (URLs and the G4 e-mail) read as the API's PUT …/callback-urls body: the same schema, the
// same service, its refusals kept per field so the page can show each beside its input.
import { HttpError } from '../route';
import { registerCallbackUrls } from '../merchants';
import { callbackUrlsChangeSchema } from '../schemas';
import type { Deps } from '../../lib/deps';
import type { EndpointName } from '../../providers/registry';
import type { Registration } from '../../workflows/contracts/merchant';

/** `invalid`: the schema refused it; `forbidden`: an address callbacks may not reach (SSRF). */
export interface FieldRefusal {
  kind: 'invalid' | 'forbidden';
  /** The API's own words for it (English). */
  detail: string;
}

/** What the form said, to show again, and each refused field's reason (`''`: the form as a whole). */
export interface RegistrationAttempt {
  values: Record<string, string>;
  refusals: Record<string, FieldRefusal>;
}

/**
 * Registers what the form says for `endpoints`. An empty URL keeps the registered one (the PUT's absent key); an
 * empty e-mail clears the address (null). Nothing changes unless every field is accepted.
 */
export async function registerFromForm(
  deps: Deps, merchantId: string, endpoints: readonly EndpointName[], form: Record<string, string | string[]>,
): Promise<RegistrationAttempt> {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const values = Object.fromEntries([...endpoints, 'notificationEmail'].map((name) => [name, text(name)]));
  const body: Record<string, string | null> = { notificationEmail: values.notificationEmail || null };
  for (const name of endpoints) if (values[name]) body[name] = values[name];

  const parsed = callbackUrlsChangeSchema.safeParse(body);
  if (!parsed.success) {
    const refusals: Record<string, FieldRefusal> = {};
    for (const issue of parsed.error.issues) refusals[String(issue.path[0] ?? '')] ??= { kind: 'invalid', detail: issue.message };
    return { values, refusals };
  }
  try {
    await registerCallbackUrls(deps, merchantId, parsed.data as Registration);
    return { values, refusals: {} };
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 400 && err.fields)) throw err;
    // The service names the field as the API's body does: `body.<endpoint>`.
    return {
      values,
      refusals: Object.fromEntries(err.fields.map((f) => [f.field.replace(/^body\./, ''), { kind: 'forbidden' as const, detail: f.message }])),
    };
  }
}
