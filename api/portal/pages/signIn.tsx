// Signing in: the page a link opens (a button spends it, so an e-mail scanner that opens links spends nothing), and
// the page the deactivation e-mail links to, which sends a fresh link to the account's registered e-mail.
import { wordsOf } from '../language';
import { Layout, type PageContext } from '../layout';

export const signInWords = wordsOf({
  'pt-BR': {
    enterTitle: 'Entrar no portal', enterText: 'Este link de acesso é da conta', enter: 'Entrar',
    enterOnce: 'O link vale uma vez: ao entrar, ele deixa de valer.',
    requestTitle: 'Acesso ao portal', requestText: 'Enviaremos um link de acesso ao e-mail cadastrado na conta.',
    account: 'Conta', send: 'Enviar link de acesso',
    sent: 'Se a conta tiver um e-mail cadastrado, enviamos a ele um link de acesso. Ele vale por alguns minutos e uma única vez.',
    invalid: 'Este link de acesso não é válido.', expired: 'Este link de acesso expirou.',
    used: 'Este link de acesso já foi usado.', askAgain: 'Pedir um novo link de acesso',
    signedOut: 'Você saiu do portal.', sessionEnded: 'Sua sessão terminou ou não existe: entre novamente.',
    mailSubject: 'Seu link de acesso ao portal Arauto',
  },
  en: {
    enterTitle: 'Sign in to the portal', enterText: 'This sign-in link belongs to the account', enter: 'Sign in',
    enterOnce: 'The link works once: signing in spends it.',
    requestTitle: 'Portal access', requestText: "We will e-mail a sign-in link to the account's registered address.",
    account: 'Account', send: 'Send sign-in link',
    sent: 'If the account has a registered e-mail address, a sign-in link was sent to it. It works once, for a few minutes.',
    invalid: 'This sign-in link is not valid.', expired: 'This sign-in link has expired.',
    used: 'This sign-in link was already used.', askAgain: 'Ask for a new sign-in link',
    signedOut: 'You signed out of the portal.', sessionEnded: 'Your session ended or does not exist: sign in again.',
    mailSubject: 'Your Arauto portal sign-in link',
  },
});

/** GET /portal/acesso: what the link is for, and the button that signs in (auto-pressed for links from the API). */
export function EnterPage({ context, token, merchantId, automatic }: {
  context: PageContext; token: string; merchantId: string; automatic: boolean;
}) {
  const w = signInWords[context.language];
  return (
    <Layout context={context} title={w.enterTitle}>
      <p>{w.enterText} <strong>{merchantId}</strong>.</p>
      <form method="post" action="/portal/acesso" data-autosubmit={automatic ? 'true' : undefined}>
        <input type="hidden" name="token" value={token} />
        <button type="submit">{w.enter}</button>
      </form>
      <p class="hint">{w.enterOnce}</p>
    </Layout>
  );
}

/** GET /portal/entrar: the account (prefilled from the e-mail's link) and the button that e-mails a fresh link. */
export function RequestLinkPage({ context, merchantId, next, csrfToken, sent }: {
  context: PageContext; merchantId: string; next: string; csrfToken: string; sent?: boolean;
}) {
  const w = signInWords[context.language];
  return (
    <Layout context={context} title={w.requestTitle}>
      {sent ? <p role="status">{w.sent}</p> : <p>{w.requestText}</p>}
      <form method="post" action="/portal/entrar">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="destino" value={next} />
        <p class="field">
          <label for="conta">{w.account}</label>
          <input id="conta" name="conta" value={merchantId} required autocomplete="username" pattern="[A-Za-z0-9_\-]{1,64}" />
        </p>
        <button type="submit">{w.send}</button>
      </form>
    </Layout>
  );
}
