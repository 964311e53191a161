// The payload codec (issue 5): AES-256-GCM, the key named in each payload, rotation by listing keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadConfig } from '../lib/config';
import { EncryptionCodec } from '../lib/payloadCodec';

const key = (fill: string) => Buffer.alloc(32, fill).toString('base64');
const payload = defaultPayloadConverter.toPayload({ cpfCnpj: '01001001000113', token: 'segredo' })!;

test('encrypts with the first key; the ciphertext names it and holds nothing in clear', async () => {
  const [sealed] = await EncryptionCodec.fromSpec(`k2=${key('b')},k1=${key('a')}`).encode([payload]);
  assert.equal(Buffer.from(sealed.metadata!['encryption-key-id']!).toString(), 'k2');
  assert.equal(Buffer.from(sealed.data!).indexOf('01001001000113'), -1);
  const [again] = await EncryptionCodec.fromSpec(`k2=${key('b')}`).encode([payload]);
  assert.notDeepEqual(again.data, sealed.data, 'a fresh IV each time');
});

test('rotation: payloads of an older key still decrypt while it is listed; unlisted, a clear error', async () => {
  const [old] = await EncryptionCodec.fromSpec(`k1=${key('a')}`).encode([payload]);
  const rotated = EncryptionCodec.fromSpec(`k2=${key('b')},k1=${key('a')}`);
  assert.deepEqual(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0]), { cpfCnpj: '01001001000113', token: 'segredo' });
  await assert.rejects(EncryptionCodec.fromSpec(`k2=${key('b')}`).decode([old]), /key "k1", which PAYLOAD_ENCRYPTION_KEYS does not list/);
});

test('tampering is detected; clear payloads (older histories) pass through', async () => {
  const codec = EncryptionCodec.fromSpec(`k1=${key('a')}`);
  const [sealed] = await codec.encode([payload]);
  const data = Buffer.from(sealed.data!);
  data[20] ^= 1;
  await assert.rejects(codec.decode([{ ...sealed, data }]));
  assert.deepEqual(await codec.decode([payload]), [payload]);
});

test('PAYLOAD_ENCRYPTION_KEYS is validated without echoing a key', () => {
  assert.throws(() => loadConfig({ PAYLOAD_ENCRYPTION_KEYS: 'k1=c2hvcnQ=' }), (err: Error) =>
    /PAYLOAD_ENCRYPTION_KEYS/.test(err.message) && !err.message.includes('c2hvcnQ='));
  assert.throws(() => loadConfig({ PAYLOAD_ENCRYPTION_KEYS: key('a') }), /PAYLOAD_ENCRYPTION_KEYS/);
});
