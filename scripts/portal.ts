// `npm run portal -- [merchantId]`: a sign-in link to the merchant portal (issue 18) for the account (default: the
// demo account of npm start). It works once, within PORTAL_LINK_TTL_S; run this again for another.
import { signInLink } from '../api/portal/signIn';
import { ConfigError } from '../lib/config';
import { localConfig } from './localStack';

async function main(): Promise<void> {
  const merchantId = process.argv[2] ?? 'demo';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(merchantId)) throw new ConfigError('usage: npm run portal -- [merchantId: 1–64 of A-Z a-z 0-9 _ -]');
  // After a plain `npm start`: its keys and address (scripts/localStack.ts), unless the environment sets them.
  const { config } = localConfig();
  const { url, expiresAt } = await signInLink(config, merchantId, 'api');
  process.stdout.write(`portal of account ${merchantId} (works once, until ${expiresAt}):\n  ${url}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(1);
});
