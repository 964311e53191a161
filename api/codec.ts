// The codec endpoint (Temporal's remote codec protocol): the Web UI and the CLI send it the encrypted payloads they
// show, and it answers them decrypted, for an operator holding CODEC_AUTH_TOKEN. The CLI sends the token as a
// bearer; a browser gets a session cookie from the form at /codec/session (the Web UI then calls with credentials).
import { createHmac } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import { temporalUiOrigins, type Config } from '../lib/config';
import { EncryptionCodec } from '../lib/payloadCodec';
import { sameSecret } from './auth';

const COOKIE = 'arauto_codec';
const SESSION_S = 8 * 3600;

// Proto JSON omits an empty list: the CLI sends `{}` for a signal without arguments.
const wirePayloads = z.object({
  payloads: z.array(z.object({
    metadata: z.record(z.string(), z.string()).default({}),
    data: z.string().default(''),
  })).max(1000).default([]),
});


export function codecRouter(config: Config): express.Router {
  const router = express.Router();
  const token = config.CODEC_AUTH_TOKEN;
  const keys = config.PAYLOAD_ENCRYPTION_KEYS;
  const uiOrigins = temporalUiOrigins(config);

  router.use((req, res, next) => {
    res.set({ 'cache-control': 'no-store', pragma: 'no-cache' }); // decrypted payloads, a session cookie
    const origin = req.headers.origin;
    if (origin !== undefined && uiOrigins.includes(origin)) {
      res.set({
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': 'content-type,x-namespace,authorization',
        'access-control-allow-methods': 'POST,OPTIONS',
        vary: 'origin',
      });
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    if (!token || !keys) {
      return void res.status(503).json({ error: 'codec_disabled', message: 'Set CODEC_AUTH_TOKEN and PAYLOAD_ENCRYPTION_KEYS.' });
    }
    next();
  });
  if (!token || !keys) return router;

  const codec = EncryptionCodec.fromSpec(keys);
  const session = createHmac('sha256', token).update('codec-session').digest('base64url');
  const authorized = (req: Request) => {
    const bearer = /^Bearer +(.+)$/i.exec(req.headers.authorization ?? '')?.[1]; // case-insensitive (RFC 7235)
    if (bearer !== undefined) return sameSecret(bearer, token);
    const cookie = (req.headers.cookie ?? '').split(/; */).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
    return cookie !== undefined && sameSecret(cookie, session);
  };

  router.get('/session', (_req, res) => {
    res.type('html').send(`<!doctype html><title>Arauto codec</title><form method="post">
<p>Codec token (CODEC_AUTH_TOKEN): <input type="password" name="token" autofocus> <button>Decode in the Web UI</button></p></form>`);
  });
  router.post('/session', express.urlencoded({ extended: false, limit: '1kb' }), (req, res) => {
    if (typeof req.body?.token !== 'string' || !sameSecret(req.body.token, token)) {
      return void res.status(401).type('html').send('<p>Wrong token.</p>');
    }
    // Secure over HTTPS: req.secure is the connection's, or X-Forwarded-Proto from a proxy express trusts.
    res.cookie(COOKIE, session, { httpOnly: true, secure: req.secure, sameSite: 'lax', maxAge: SESSION_S * 1000, path: '/codec' });
    res.type('html').send(`<p>This browser decodes payloads in the Web UI for ${SESSION_S / 3600} hours.</p>`);
  });

  const convert = (direction: 'encode' | 'decode') => async (req: Request, res: Response, next: NextFunction) => {
    if (!authorized(req)) {
      return void res.status(401).json({ error: 'unauthorized', message: 'Send Authorization: Bearer <CODEC_AUTH_TOKEN>, or open /codec/session.' });
    }
    const parsed = wirePayloads.safeParse(req.body);
    if (!parsed.success) {
      return void res.status(400).json({
        error: 'invalid_request', message: 'Expected {"payloads":[{"metadata":{…base64},"data":base64}]}.',
        fields: parsed.error.issues.map((i) => ({ field: ['body', ...i.path].join('.'), message: i.message })),
      });
    }
    try {
      const payloads = await codec[direction](parsed.data.payloads.map(fromWire));
      res.json({ payloads: payloads.map(toWire) });
    } catch (err) {
      next(err);
    }
  };
  router.post('/decode', express.json({ limit: '4mb' }), convert('decode'));
  router.post('/encode', express.json({ limit: '4mb' }), convert('encode'));
  return router;
}

const fromWire = (p: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});

const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
