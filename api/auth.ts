// Authentication (issue 5, I4): OAuth 2.0 client credentials issue short-lived bearer tokens (JWT, HS256);
// scripts use long-lived API keys. Every credential belongs to one account (merchant) and is checked against the
// digests its entity workflow publishes in its memo, so a revocation takes effect within CACHE_MS everywhere.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Deps } from '../lib/deps';
import type { Credential, CredentialKind } from '../workflows/credentials';
import { CREDENTIALS_MEMO, merchantMemoOf, merchantWorkflowId } from '../workflows/contracts/merchant';
import { AuthThrottle } from './authThrottle';
import { HttpError } from './route';

const CACHE_MS = 2_000;
const API_KEY = /^ak\.([A-Za-z0-9_-]{1,64})\.([a-z0-9]{1,16})\.([A-Za-z0-9_-]{43})$/;
const CLIENT_ID = /^([A-Za-z0-9_-]{1,64})\.([a-z0-9]{1,16})$/;

/** Equal strings compare in time independent of where they differ (digests first: lengths leak nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export const digestOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');

const unauthorized = (code: string, message: string) => new HttpError(401, code, message);

export class Authenticator {
  private readonly cache = new Map<string, { at: number; credentials: Credential[] }>();
  private readonly key?: Uint8Array;
  private readonly throttle: AuthThrottle;

  constructor(private readonly deps: Deps) {
    this.throttle = new AuthThrottle(deps.config);
    if (deps.config.ACCESS_TOKEN_KEY) this.key = Buffer.from(deps.config.ACCESS_TOKEN_KEY, 'base64');
  }

  private get tokenKey(): Uint8Array {
    if (!this.key) throw new HttpError(503, 'unavailable', 'Access tokens are not configured (ACCESS_TOKEN_KEY).');
    return this.key;
  }

  /**
   * The account the `Authorization` header authenticates; a 401 saying what is wrong otherwise, a 429 when
   * `address` (the request's source) failed too often.
   */
  async authenticate(header: string | undefined, address?: string): Promise<string> {
    if (!header) {
      throw unauthorized('missing_credentials',
        'Send Authorization: Bearer <an access token from POST /oauth/token, or an API key>.');
    }
    const bearer = /^Bearer +(\S+)$/i.exec(header)?.[1]; // the scheme is case-insensitive (RFC 7235 §2.1)
    if (!bearer) throw unauthorized('invalid_credentials', 'Expected Authorization: Bearer <token>.');
    const apiKey = API_KEY.exec(bearer);
    if (apiKey) {
      const [, merchantId, id, secret] = apiKey;
      await this.check(address, merchantId, id, 'apiKey', secret);
      return merchantId;
    }
    this.throttle.guard(address);
    if (bearer.startsWith('ak.')) {
      this.throttle.fail(address);
      throw unauthorized('invalid_credentials', 'The API key is malformed.');
    }
    return this.verifyAccessToken(bearer, address);
  }

  /** RFC 6749 §4.4: a client's id and secret for a bearer token of ACCESS_TOKEN_TTL_S seconds. */
  async issueAccessToken(clientId: string, clientSecret: string, address?: string) {
    const parsed = CLIENT_ID.exec(clientId);
    if (!parsed) {
      this.throttle.guard(address);
      this.throttle.fail(address);
      throw unauthorized('invalid_client', 'Unknown client or wrong secret.');
    }
    const [, merchantId, id] = parsed;
    await this.check(address, merchantId, id, 'client', clientSecret, 'invalid_client');
    const ttl = this.deps.config.ACCESS_TOKEN_TTL_S;
    const token = await new SignJWT({ cid: id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(merchantId)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(this.tokenKey);
    return { access_token: token, token_type: 'Bearer' as const, expires_in: ttl };
  }

  /** Drops what is cached of an account (after a change through this process). */
  forget(merchantId: string): void {
    this.cache.delete(merchantId);
  }

  private async verifyAccessToken(token: string, address?: string): Promise<string> {
    let payload;
    try {
      // Ours all expire: one without exp is not ours (or was forged with a leaked key to last forever).
      ({ payload } = await jwtVerify(token, this.tokenKey, { algorithms: ['HS256'], requiredClaims: ['exp', 'sub', 'cid'] }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw unauthorized('expired_token', 'The access token expired; get a new one from POST /oauth/token.');
      }
      this.throttle.fail(address); // a forgery, or garbage: a guess at the signing key
      throw unauthorized('invalid_credentials', 'The access token is malformed or not ours.');
    }
    const merchantId = payload.sub ?? '';
    const credential = await this.find(merchantId, String(payload.cid), 'client');
    if (!credential) throw unauthorized('invalid_credentials', 'The access token is malformed or not ours.');
    if (credential.revokedAt) throw unauthorized('revoked_credentials', 'The client of this token was revoked.');
    return merchantId;
  }

  private async check(
    address: string | undefined, merchantId: string, id: string, kind: CredentialKind, secret: string, code = 'invalid_credentials',
  ) {
    const throttled = `${kind}:${merchantId}.${id}`;
    this.throttle.guard(address, throttled); // before the secret is looked at: no answer tells a right guess
    const credential = await this.find(merchantId, id, kind);
    // Compared even when unknown, against a digest of nothing: the time says nothing about which part was wrong.
    const matches = sameSecret(digestOf(secret), credential?.digest ?? digestOf(''));
    if (!credential || !matches) {
      this.throttle.fail(address, throttled);
      throw unauthorized(code, 'Unknown credentials or wrong secret.');
    }
    if (credential.revokedAt) throw unauthorized('revoked_credentials', 'These credentials were revoked.');
  }

  /** A credential issued since the cache was filled (by any API process) is found by reading again. */
  private async find(merchantId: string, id: string, kind: CredentialKind): Promise<Credential | undefined> {
    const match = (list: Credential[]) => list.find((c) => c.id === id && c.kind === kind);
    return match(await this.credentialsOf(merchantId)) ?? match(await this.credentialsOf(merchantId, true));
  }

  private async credentialsOf(merchantId: string, fresh = false): Promise<Credential[]> {
    const cached = this.cache.get(merchantId);
    if (!fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.credentials;
    let credentials: Credential[] = [];
    try {
      const { memo } = await this.deps.client.workflow.getHandle(merchantWorkflowId(merchantId)).describe();
      credentials = merchantMemoOf(memo)[CREDENTIALS_MEMO] ?? [];
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    this.cache.set(merchantId, { at: Date.now(), credentials });
    return credentials;
  }
}
