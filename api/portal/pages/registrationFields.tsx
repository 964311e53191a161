// The registration form of the integration pages: callback URLs and the G4 e-mail, each refusal beside its field.
// Plain text inputs: the server's checks (the API's schema, the SSRF floor) speak, not the browser's own bubbles.
import { wordsOf, type Language } from '../language';
import type { RegistrationAttempt } from '../registrationForm';

const words = wordsOf({
  'pt-BR': {
    email: 'E-mail para avisos de desativação (G4)', emailHint: 'Em branco: nenhum aviso por e-mail.',
    save: 'Salvar cadastro', refused: 'O cadastro não foi salvo: corrija o que está indicado abaixo.',
    invalid: 'Valor inválido', invalidUrl: 'URL inválida', invalidEmail: 'E-mail inválido',
    forbidden: 'Endereço não permitido', urlHint: 'http(s)://servidor[:porta][/caminho]',
  },
  en: {
    email: 'E-mail for deactivation notices (G4)', emailHint: 'Empty: no e-mail notice.',
    save: 'Save registration', refused: 'The registration was not saved: correct what is marked below.',
    invalid: 'Invalid value', invalidUrl: 'Invalid URL', invalidEmail: 'Invalid e-mail address',
    forbidden: 'Address not allowed', urlHint: 'http(s)://host[:port][/path]',
  },
});

export interface UrlField {
  /** The registration field, e.g. gerencianetNotificationUrl: also the input's name and id. */
  name: string;
  label: string;
}

export function RegistrationFields({ language, action, csrfToken, urls, attempt }: {
  language: Language; action: string; csrfToken: string; urls: UrlField[]; attempt: RegistrationAttempt;
}) {
  const w = words[language];
  const { values, refusals } = attempt;
  const problem = (name: string) => {
    const refusal = refusals[name];
    if (!refusal) return undefined;
    const what = refusal.kind === 'forbidden' ? w.forbidden : name === 'notificationEmail' ? w.invalidEmail
      : name === '' ? w.invalid : w.invalidUrl;
    return `${what}: ${refusal.detail}`;
  };
  const field = (name: string, label: string, type: 'url' | 'email', hint: string) => {
    const error = problem(name);
    return (
      <p class="field">
        <label for={name}>{label}</label>
        <input id={name} name={name} type="text" inputMode={type} value={values[name] ?? ''} maxLength={type === 'url' ? 2048 : 254}
          autocomplete={type === 'email' ? 'email' : 'url'} aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${name}-erro ${name}-dica` : `${name}-dica`} />
        <span class="hint" id={`${name}-dica`}>{hint}</span>
        {error && <span class="error" id={`${name}-erro`}>{error}</span>}
      </p>
    );
  };
  return (
    <form method="post" action={action}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {Object.keys(refusals).length > 0 && <p role="alert">{w.refused}{problem('') ? ` ${problem('')}` : ''}</p>}
      {urls.map((url) => field(url.name, url.label, 'url', w.urlHint))}
      {field('notificationEmail', w.email, 'email', w.emailHint)}
      <button type="submit">{w.save}</button>
    </form>
  );
}
