// The frame of every portal page: skip link, navigation, the account, sign-out and language, then the page.
import type { ComponentChildren } from 'preact';
import { wordsOf, type Language } from './language';
import type { PortalSession } from './signIn';

const words = wordsOf({
  'pt-BR': {
    skip: 'Ir para o conteúdo', portal: 'Portal do lojista', account: 'Conta', integrations: 'Integrações',
    payments: 'Pagamentos', returnFiles: 'Arquivos de retorno', signOut: 'Sair', navigation: 'Navegação principal',
    otherLanguage: 'English',
  },
  en: {
    skip: 'Skip to content', portal: 'Merchant portal', account: 'Account', integrations: 'Integrations',
    payments: 'Payments', returnFiles: 'Return files', signOut: 'Sign out', navigation: 'Main navigation',
    otherLanguage: 'Português',
  },
});

export interface PageContext {
  language: Language;
  /** Absent on the sign-in pages. */
  session?: PortalSession;
  /** This page's path and query, for the language switch to come back to. */
  path: string;
}

export function Layout({ context, title, children }: { context: PageContext; title: string; children: ComponentChildren }) {
  const w = words[context.language];
  const { session } = context;
  const other = context.language === 'pt-BR' ? 'en' : 'pt-BR';
  return (
    <html lang={context.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${w.portal} · Arauto`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/portal/assets/portal.css" />
        <script src="/portal/assets/portal.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#conteudo">{w.skip}</a>
        <header class="top">
          <p class="brand">Arauto · {w.portal}</p>
          {session && (
            <nav aria-label={w.navigation}>
              <ul>
                <li><a href="/portal/integracoes">{w.integrations}</a></li>
                <li><a href="/portal/pagamentos">{w.payments}</a></li>
                <li><a href="/portal/arquivos-de-retorno">{w.returnFiles}</a></li>
              </ul>
            </nav>
          )}
          <div class="who">
            {session && <span>{w.account}: <strong>{session.merchantId}</strong></span>}
            <a href={`/portal/idioma?lang=${other}&destino=${encodeURIComponent(context.path)}`} lang={other} hreflang={other}>{w.otherLanguage}</a>
            {session && (
              <form method="post" action="/portal/sair" class="inline">
                <input type="hidden" name="_csrf" value={session.csrfToken} />
                <button type="submit">{w.signOut}</button>
              </form>
            )}
          </div>
        </header>
        <main id="conteudo" tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}
