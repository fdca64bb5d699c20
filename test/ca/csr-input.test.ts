import 'reflect-metadata';
import { Pkcs10CertificateRequestGenerator } from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { csrDerOf } from '../../src/ca/csr-input.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { csrSigningAlgorithm, generateTestKeys } from './ca-test-kit.js';

let der: Uint8Array;
let base64: string;
const pem = (label: string, body = base64) => `-----BEGIN ${label}-----\n${body.replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;

beforeAll(async () => {
  const keys = await generateTestKeys('P-256');
  const csr = await Pkcs10CertificateRequestGenerator.create({ name: 'CN=test', keys, signingAlgorithm: csrSigningAlgorithm(keys) }, webCrypto);
  der = new Uint8Array(csr.rawData);
  base64 = Buffer.from(der).toString('base64');
});

describe(csrDerOf.name, () => {
  it('reads DER, PEM text and PEM bytes to the same DER', () => {
    for (const input of [der, pem('CERTIFICATE REQUEST'), new TextEncoder().encode(pem('CERTIFICATE REQUEST')), pem('NEW CERTIFICATE REQUEST')]) {
      expect(csrDerOf(input)).toEqual({ ok: true, value: der });
    }
  });

  it('allows explanatory text around the one block (openssl req -text)', () => {
    expect(csrDerOf(`Certificate Request:\n    Data:\n        Version: 1 (0x0)\n${pem('CERTIFICATE REQUEST')}`).ok).toBe(true);
  });

  it('refuses a second block, another label, unclean base64, and bytes after the request', () => {
    const withTrailer = new Uint8Array([...der, 0x00]);
    for (const input of [
      pem('CERTIFICATE REQUEST') + pem('CERTIFICATE REQUEST'),
      pem('CERTIFICATE'),
      pem('CERTIFICATE REQUEST', `${base64.slice(0, 20)}*${base64.slice(21)}`),
      pem('CERTIFICATE REQUEST', Buffer.from(withTrailer).toString('base64')),
      withTrailer,
      der.subarray(0, der.length - 1),
      new Uint8Array([0xff, 0xfe, 0x00]),
      '',
    ]) {
      expect(csrDerOf(input)).toEqual({ ok: false, code: 'csr.malformed' });
    }
  });

  it('names a private key sent along, in any PEM flavour', () => {
    for (const label of ['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']) {
      expect(csrDerOf(pem('CERTIFICATE REQUEST') + pem(label, 'MIGH'))).toEqual({ ok: false, code: 'csr.containsPrivateKey' });
    }
  });
});
