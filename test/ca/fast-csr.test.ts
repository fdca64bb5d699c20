import 'reflect-metadata';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Extension as X509Extension, Name as X509Name, Pkcs10CertificateRequestGenerator } from '@peculiar/x509';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/ca/der.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { acceptCsrFast, type AcceptedCsr } from '../../src/ca/fast-csr.js';
import { parseCsr } from '../../src/ca/issuer.js';
import { keyUsageFor, subscriberSubjectAttributes } from '../../src/ca/profile.js';
import { tlv } from '../../src/ca/strict-der.js';
import { keyUsageExtension, subjectAltNameExtension } from '../../src/ca/tbs-certificate.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import { generateTestKeys, hasOpenssl, makeTempDir, openssl, subscriberSubject, type TestKeyKind } from './ca-test-kit.js';
import { nameAttribute, seed } from './fast-path-kit.js';

/**
 * acceptCsrFast (src/ca/fast-csr.ts) only ever accepts, and only what parseCsr accepts,
 * with the same key and description: checked on CSRs from @peculiar/x509 and openssl, on
 * damaged ones, and on requests built by hand with odd subjects, attributes and algorithm
 * parameters and then really signed — the ones where a reader laxer than asn1js would
 * accept what the reference calls malformed. It gets DER, as parseCsr hands it on after
 * its strict input reading; so does the reference here.
 */

const hex = (value: string): Uint8Array => Uint8Array.from(Buffer.from(value.replace(/ /g, ''), 'hex'));
const accepted = (value: AcceptedCsr | undefined) => (value === undefined ? undefined : { publicKey: toHex(new Uint8Array(value.publicKey)), key: value.key });
const referenceOf = async (input: Uint8Array) => {
  const result = await parseCsr(input);
  return result.ok ? { ok: true, value: accepted(result.value) } : { ok: false, code: result.code };
};

/** Whenever the fast path accepts, parseCsr accepts the same key; returns whether it accepted. */
async function expectNoStricterThanReference(input: Uint8Array, label: string): Promise<boolean> {
  const fast = accepted(acceptCsrFast(input));
  if (fast !== undefined) expect(await referenceOf(input), label).toStrictEqual({ ok: true, value: fast });
  return fast !== undefined;
}

interface SigningKey {
  readonly kind: string;
  readonly privateKey: KeyObject;
  readonly spki: Uint8Array;
  /** AlgorithmIdentifier DER and digest of each signature algorithm that goes with this key. */
  readonly algorithms: ReadonlyArray<{ readonly der: Uint8Array; readonly digest: string | null }>;
}

const ecdsa = (hash: 2 | 3 | 4) => ({ der: hex(`300a06082a8648ce3d0403${`0${hash}`}`), digest: ['', '', 'sha256', 'sha384', 'sha512'][hash] ?? null });
const rsa = (last: number) => ({ der: hex(`300d06092a864886f70d0101${last.toString(16)}0500`), digest: ({ 11: 'sha256', 12: 'sha384', 13: 'sha512' } as Record<number, string>)[last] ?? null });

function signingKeys(): SigningKey[] {
  const make = (kind: string, pair: { privateKey: KeyObject; publicKey: KeyObject }, algorithms: SigningKey['algorithms']): SigningKey => ({
    kind,
    privateKey: pair.privateKey,
    spki: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })),
    algorithms,
  });
  return [
    make('P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }), [ecdsa(2), ecdsa(3), ecdsa(4)]),
    make('P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }), [ecdsa(2), ecdsa(3), ecdsa(4)]),
    make('RSA-2048', generateKeyPairSync('rsa', { modulusLength: 2048 }), [rsa(11), rsa(12), rsa(13)]),
    make('Ed25519', generateKeyPairSync('ed25519'), [{ der: hex('300506032b6570'), digest: null }]),
    // Refused by the profile: parseCsr says csr.keyNotAllowed, the fast path must step aside.
    make('P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' }), [ecdsa(4)]),
    make('RSA-1024', generateKeyPairSync('rsa', { modulusLength: 1024 }), [rsa(11)]),
  ];
}

/** A PKCS#10 request from its parts, signed for real (RFC 2986 4). */
function signedRequest(key: SigningKey, parts: { version?: Uint8Array; subject?: Uint8Array; attributes?: Uint8Array | null; algorithm?: Uint8Array; digest?: string | null; unusedBits?: number }): Uint8Array {
  const algorithm = key.algorithms[0];
  const info = tlv(0x30, [parts.version ?? hex('020100'), parts.subject ?? hex('3000'), key.spki, ...(parts.attributes === null ? [] : [parts.attributes ?? hex('a000')])]);
  const signature = sign(parts.digest === undefined ? (algorithm?.digest ?? null) : parts.digest, info, key.privateKey);
  return tlv(0x30, [info, parts.algorithm ?? algorithm?.der ?? new Uint8Array(), tlv(0x03, [Uint8Array.of(parts.unusedBits ?? 0), signature])]);
}

/** TLVs for attribute values and name values: what asn1js reads, and what it refuses. */
const oddValues = [
  '0400', '040141', '0101ff', '010100', '010101', '01020000', '0500', '050100', '020100', '0200', '02020001',
  '0603550403', '06028001', '0600', '0c03e6bca2', '0c01ff', '130141', '1601ff', '1e0141', '140141', '1c0141', '120131',
  '170d3236313132373030303030305a', '1703414243', '180f32303530303130313030303030305a', '03020700', '030208ff', '0301', '0300',
  '3000', '3100', '3003020100', '30020200', 'a0020500', 'a1030101ff', '800141', '9f1f00', '0d0100', '0a0100', '0900',
].map(hex);
const nested = (depth: number, leaf: Uint8Array): Uint8Array => (depth === 0 ? leaf : tlv(0x30, [nested(depth - 1, leaf)]));

const attributesArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constant(hex('a000')) },
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.constantFrom('1.2.840.113549.1.9.14', '1.2.840.113549.1.9.7', '1.3.6.1.4.1.311.13.2.3'),
          fc.array(fc.oneof(fc.constantFrom(...oddValues), fc.tuple(fc.integer({ min: 1, max: 20 }), fc.constantFrom(...oddValues)).map(([depth, leaf]) => nested(depth, leaf))), { maxLength: 3 }),
        ),
        { maxLength: 3 },
      )
      .map((attributes) => tlv(0xa0, attributes.map(([oid, values]) => tlv(0x30, [oidDer(oid), tlv(0x31, values)])))),
  },
  { weight: 1, arbitrary: fc.constantFrom<Uint8Array | null>(null, hex('a0023000'), hex('a1023000'), hex('a08000')) },
);

const subjectArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.array(nameAttribute, { maxLength: 4 }).map((attributes) => referenceName(attributes)).filter((der): der is Uint8Array => der !== undefined) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom(...oddValues), { minLength: 1, maxLength: 3 })
      .map((values) => tlv(0x30, values.map((value) => tlv(0x31, [tlv(0x30, [oidDer('2.5.4.3'), value])])))),
  },
  { weight: 1, arbitrary: fc.constantFrom(hex('3000'), hex('3002 3100'), hex('3081 00'), hex('3105 3003 060100')) },
);

/** An OBJECT IDENTIFIER TLV, written here so the odd values above stay independent of src/. */
function oidDer(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const octets = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0), ...arcs.slice(2)].flatMap((arc) => {
    const out = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) out.unshift(0x80 | high % 128);
    return out;
  });
  return tlv(0x06, [Uint8Array.from(octets)]);
}

function referenceName(attributes: Parameters<typeof encodeName>[0]): Uint8Array | undefined {
  try {
    return new Uint8Array(AsnConvert.serialize(encodeName(attributes)));
  } catch {
    // asn1js cannot write it: not a subject anyone sends.
    return undefined;
  }
}

let keys: SigningKey[];
const realCsrs: Array<{ label: string; der: Uint8Array }> = [];
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  temp = await makeTempDir();
  keys = signingKeys();
  // From @peculiar/x509 (what the tests and the bench use) with our subject and extensions.
  const kinds: Array<[TestKeyKind, Algorithm | EcdsaParams]> = [
    ['P-256', { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams],
    ['P-256', { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams],
    ['P-384', { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams],
    ['RSA-2048', { name: 'RSASSA-PKCS1-v1_5' }],
    ['Ed25519', { name: 'Ed25519' }],
    ['P-521', { name: 'ECDSA', hash: 'SHA-512' } as EcdsaParams],
  ];
  for (const [kind, signingAlgorithm] of kinds) {
    const pair = await generateTestKeys(kind);
    const csr = await Pkcs10CertificateRequestGenerator.create(
      {
        name: new X509Name(AsnConvert.serialize(encodeName(subscriberSubjectAttributes(subscriberSubject)))),
        keys: pair,
        signingAlgorithm,
        extensions: [
          new X509Extension(AsnConvert.serialize(keyUsageExtension(keyUsageFor({ kind: 'ec', curve: 'P-256' })))),
          new X509Extension(AsnConvert.serialize(subjectAltNameExtension(['taro@example.jp']))),
        ],
      },
      webCrypto,
    );
    realCsrs.push({ label: `x509 ${kind}`, der: new Uint8Array(csr.rawData) });
  }
  // From openssl req, as a subscriber's own tools make them.
  if (hasOpenssl) {
    for (const [label, keyArgs] of [
      ['openssl P-256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
      ['openssl RSA-2048', ['-newkey', 'rsa:2048']],
      ['openssl Ed25519', ['-newkey', 'ed25519']],
    ] as const) {
      const out = join(temp.dir, `${label.replace(/\W/g, '')}.csr`);
      openssl(['req', '-new', ...keyArgs, '-nodes', '-keyout', join(temp.dir, 'key.pem'), '-subj', '/C=JP/O=Example KK/CN=Taro', '-addext', 'subjectAltName=email:taro@example.jp', '-outform', 'DER', '-out', out]);
      realCsrs.push({ label, der: new Uint8Array(await readFile(out)) });
    }
  }
});
afterAll(async () => {
  await temp.remove();
});

describe(acceptCsrFast.name, () => {
  it('accepts every real request parseCsr accepts, with the same key and description', async () => {
    for (const { label, der } of realCsrs) {
      const isRefusedKey = label.endsWith('P-521');
      expect((await referenceOf(der)).ok, label).toBe(!isRefusedKey);
      expect(await expectNoStricterThanReference(der, label), `${label}: fast path taken`).toBe(!isRefusedKey);
    }
  });

  it('never accepts a damaged request that parseCsr refuses', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ csr: fc.nat(), edits: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom('set', 'insert', 'delete')), { minLength: 1, maxLength: 3 }) }),
        async ({ csr, edits }) => {
          const original = realCsrs[csr % realCsrs.length];
          if (original === undefined) return;
          const bytes = [...original.der];
          for (const [at, value, kind] of edits) {
            const index = at % bytes.length;
            if (kind === 'set') bytes[index] = value;
            else if (kind === 'insert') bytes.splice(index, 0, value);
            else bytes.splice(index, 1);
          }
          await expectNoStricterThanReference(Uint8Array.from(bytes), original.label);
        },
      ),
      { seed, numRuns: 400 },
    );
  });

  it('never accepts a hand-built, really signed request that parseCsr calls malformed or refuses', async () => {
    let fastCount = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          key: fc.nat(),
          algorithm: fc.nat(),
          subject: subjectArbitrary,
          attributes: attributesArbitrary,
          version: fc.oneof({ weight: 8, arbitrary: fc.constant(hex('020100')) }, { weight: 1, arbitrary: fc.constantFrom(hex('020101'), hex('02020000'), hex('0201ff')) }),
          parameters: fc.oneof(
            { weight: 8, arbitrary: fc.constant('as is') },
            { weight: 1, arbitrary: fc.constantFrom('NULL added', 'NULL dropped', 'other algorithm', 'unused bits') },
          ),
        }),
        async ({ key: keyIndex, algorithm: algorithmIndex, subject, attributes, version, parameters }) => {
          const key = keys[keyIndex % keys.length];
          if (key === undefined) return;
          const algorithm = key.algorithms[algorithmIndex % key.algorithms.length] ?? key.algorithms[0];
          if (algorithm === undefined) return;
          let algorithmDer = algorithm.der;
          if (parameters === 'NULL added' && algorithmDer[1] !== undefined && algorithmDer.length < 15) algorithmDer = tlv(0x30, [algorithmDer.subarray(2), hex('0500')]);
          if (parameters === 'NULL dropped' && algorithmDer.length === 15) algorithmDer = tlv(0x30, [algorithmDer.subarray(2, 13)]);
          if (parameters === 'other algorithm') algorithmDer = (keys[(keyIndex + 1) % keys.length]?.algorithms[0]?.der ?? algorithmDer);
          const der = signedRequest(key, { version, subject, attributes, algorithm: algorithmDer, digest: algorithm.digest, unusedBits: parameters === 'unused bits' ? 1 : 0 });
          if (await expectNoStricterThanReference(der, `${key.kind} ${toHex(der).slice(0, 80)}…`)) fastCount += 1;
        },
      ),
      { seed, numRuns: 500 },
    );
    // The property is only worth something if the fast path said yes often enough.
    expect(fastCount).toBeGreaterThan(50);
  });

  it('accepts a request with a deeply nested attribute only within its depth budget', async () => {
    const key = keys[0];
    if (key === undefined) throw new Error('no key');
    for (const depth of [1, 10, 13, 14, 30, 99, 120]) {
      const der = signedRequest(key, { attributes: tlv(0xa0, [tlv(0x30, [oidDer('1.2.840.113549.1.9.14'), tlv(0x31, [nested(depth, hex('0500'))])])]) });
      await expectNoStricterThanReference(der, `depth ${depth}`);
      expect(acceptCsrFast(der) !== undefined, `depth ${depth}`).toBe(depth <= 13);
    }
  });
});
