// Payloads encrypted before they reach Temporal (AES-256-GCM): workflow inputs and results, signals, updates, memos
// and failure messages carry notification tokens, CPF/CNPJ and e-mail addresses, so the server, its histories and
// the Web UI only ever hold ciphertext. Each payload names its key, so keys rotate: the first key of
// PAYLOAD_ENCRYPTION_KEYS encrypts, every listed one decrypts. Payloads without the encoding pass through (histories
// from before encryption).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { parseKeys, required, type Config } from './config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the key a payload was encrypted with. */
export const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : undefined);

export class EncryptionCodec implements PayloadCodec {
  private constructor(private readonly keys: ReadonlyMap<string, Buffer>, private readonly currentKeyId: string) {}

  /** `spec`: `keyId=base64key,…` (PAYLOAD_ENCRYPTION_KEYS), the first one encrypting. */
  static fromSpec(spec: string): EncryptionCodec {
    const keys = new Map(parseKeys(spec));
    return new EncryptionCodec(keys, [...keys.keys()][0]);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(this.currentKeyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: text(ENCRYPTED_ENCODING), [KEY_ID]: text(this.currentKeyId) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (str(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = str(payload.metadata?.[KEY_ID]) ?? '';
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with key "${keyId}", which PAYLOAD_ENCRYPTION_KEYS does not list`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** What the API, the worker and every client share: the codec, and failure messages and stacks encrypted too. */
export function encryptingDataConverter(codec: EncryptionCodec): DataConverter {
  return {
    payloadCodecs: [codec],
    failureConverterPath: require.resolve('./failureConverter'),
  };
}

/** The data converter of every Temporal client and worker of Arauto (PAYLOAD_ENCRYPTION_KEYS). */
export function dataConverterOf(config: Config): DataConverter {
  return encryptingDataConverter(EncryptionCodec.fromSpec(required(config, 'PAYLOAD_ENCRYPTION_KEYS')));
}
