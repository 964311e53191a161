// A merchant's portal session over plain HTTP (issue 18): signs in with a link from POST …/portal-sessions, keeps
// the session cookie, and posts forms with the page's anti-CSRF token. Pages are HTML; tests read them as text.
import type { Account, DevStack } from './devStack';

export interface PortalPage {
  status: number;
  /** Where a 303 sends the browser, as a path. */
  location: string | null;
  html: string;
}

export class PortalClient {
  private constructor(private readonly base: string, readonly cookie: string) {}

  /** Signs in as the account through the API's single-use link, as a provider's dashboard would. */
  static async signIn(stack: DevStack, account: Account, page?: string): Promise<PortalClient> {
    const link = await account.call('POST', `/v1/merchants/${account.merchantId}/portal-sessions`, page ? { page } : {});
    if (link.status !== 201) throw new Error(`portal-sessions: ${link.status} ${JSON.stringify(link.body)}`);
    const token = new URL(link.body.url).searchParams.get('token')!;
    const res = await fetch(`${stack.base}/portal/acesso`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (res.status !== 303 || !cookie) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
    return new PortalClient(stack.base, cookie);
  }

  async get(path: string): Promise<PortalPage> {
    return pageOf(await fetch(`${this.base}${path}`, { headers: { cookie: this.cookie }, redirect: 'manual' }));
  }

  /**
   * Posts a form as the browser would: `csrf` true (default) adds the token of the session (read from `from`, a page
   * of the session, default /portal/integracoes); fields repeat for arrays (checkboxes).
   */
  async post(path: string, fields: Record<string, string | string[]>, { csrf = true, from = '/portal/integracoes' } = {}): Promise<PortalPage> {
    const body = new URLSearchParams();
    if (csrf) body.append('_csrf', csrfTokenIn((await this.get(from)).html));
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    return pageOf(await fetch(`${this.base}${path}`, { method: 'POST', body, headers: { cookie: this.cookie }, redirect: 'manual' }));
  }
}

/** The anti-CSRF token a page's forms carry. */
export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field on the page');
  return token;
}

async function pageOf(res: Response): Promise<PortalPage> {
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}
