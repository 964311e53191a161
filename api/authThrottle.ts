// Failed authentications are throttled (issue 16): wrong secrets, unknown or malformed credentials, tokens that are
// not ours. Two budgets per window: one per credential id from one source, one per source. A spent budget answers
// 429 before any secret is checked, the right one included, so a guesser learns nothing while throttled; another
// source, or another credential from the same source until that source's own budget is spent, keeps working.
// In memory, per API process, at most AUTH_THROTTLE_ENTRIES windows (the oldest dropped first). docs/security.md.
import ipaddr from 'ipaddr.js';
import type { Config } from '../lib/config';
import { HttpError } from './route';

interface Window {
  start: number;
  failures: number;
}

export class AuthThrottle {
  /** By start: a window restarted moves to the end, so the expired and the oldest are at the front. */
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;

  constructor(private readonly config: Pick<Config,
    'AUTH_FAILURES_PER_CREDENTIAL' | 'AUTH_FAILURES_PER_ADDRESS' | 'AUTH_FAILURE_WINDOW_S' | 'AUTH_THROTTLE_ENTRIES'>) {
    this.windowMs = config.AUTH_FAILURE_WINDOW_S * 1000;
  }

  /** A 429 with Retry-After when `address`, or `credential` from it, spent its budget. */
  guard(address: string | undefined, credential?: string): void {
    const now = performance.now();
    const ms = Math.max(0, ...this.keys(address, credential).map(([key, limit]) => {
      const w = this.windows.get(key);
      return w && w.failures >= limit ? w.start + this.windowMs - now : 0;
    }));
    if (ms <= 0) return;
    const s = Math.ceil(ms / 1000);
    throw new HttpError(429, 'too_many_attempts', `Too many failed authentications from here; retry in ${s} s.`,
      undefined, undefined, { 'retry-after': String(s) });
  }

  /** One failure more for `address`, and for `credential` from it. */
  fail(address: string | undefined, credential?: string): void {
    const now = performance.now();
    for (const [key, w] of this.windows) { // expired ones first
      if (now - w.start < this.windowMs) break;
      this.windows.delete(key);
    }
    for (const [key] of this.keys(address, credential)) {
      const w = this.windows.get(key);
      if (w) {
        w.failures++;
        continue;
      }
      if (this.windows.size >= this.config.AUTH_THROTTLE_ENTRIES) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, { start: now, failures: 1 });
    }
  }

  private keys(address: string | undefined, credential?: string): [string, number][] {
    const source = sourceOf(address);
    const keys: [string, number][] = [[`source ${source}`, this.config.AUTH_FAILURES_PER_ADDRESS]];
    if (credential) keys.push([`credential ${credential} ${source}`, this.config.AUTH_FAILURES_PER_CREDENTIAL]);
    return keys;
  }
}

/** An IPv4 address, or an IPv6 /64 (one host commonly holds a whole /64: each of its addresses is the same source). */
function sourceOf(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return address ?? '';
  const ip = ipaddr.process(address); // ::ffff:a.b.c.d is a.b.c.d
  if (ip.kind() === 'ipv4') return ip.toString();
  return `${(ip as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}
