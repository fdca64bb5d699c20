import 'reflect-metadata'; // @peculiar/x509 resolves its algorithms through tsyringe
import { X509Certificate, X509CertificateGenerator } from '@peculiar/x509';
import { build } from 'esbuild';
import forge from 'node-forge';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openssl, opensslOk } from '../../support/interop.js';
import {
  buildPkcs12,
  filePasswordAlphabet,
  generateFilePassword,
  isAcceptableFilePassword,
  pkcs12Kdf,
  type Pkcs12Format,
  type Pkcs12Input,
} from '../../../src/web/client/pkcs12.js';

// SPEC 1.4: the files must open in OpenSSL 3 without -legacy, so the reader is the openssl CLI.
const opensslVersion = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = opensslVersion.status === 0;

const password = 'pickup-Pass 2026~';
const friendlyName = 'certdesk subscriber 0A1B';
const quickIterations = 2_048;

type KeyKind = 'P-256' | 'RSA-2048';

interface Fixture {
  kind: KeyKind;
  privateKeyPkcs8: ArrayBuffer;
  leaf: X509Certificate;
  ca: X509Certificate;
}

const signingAlgorithm = {
  'P-256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  'RSA-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const;

async function makeFixture(kind: KeyKind): Promise<Fixture> {
  const algorithm = signingAlgorithm[kind];
  const subscriberKeys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const caKeys = await crypto.subtle.generateKey(signingAlgorithm['P-256'], true, ['sign', 'verify']);
  // Fixed instants and serials (STYLE §5): the library's defaults read the clock.
  const leaf = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: kind === 'P-256' ? '0a1b2c3d01' : '0a1b2c3d02',
      name: `CN=Subscriber ${kind}, O=certdesk test`,
      notBefore: new Date('2026-11-27T00:00:00Z'),
      notAfter: new Date('2027-11-27T00:00:00Z'),
      keys: subscriberKeys,
      signingAlgorithm: algorithm,
    },
    crypto,
  );
  const ca = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '7f01',
      name: 'CN=certdesk Test CA G1, O=certdesk test',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2036-01-01T00:00:00Z'),
      keys: caKeys,
      signingAlgorithm: signingAlgorithm['P-256'],
    },
    crypto,
  );
  return { kind, privateKeyPkcs8: await crypto.subtle.exportKey('pkcs8', subscriberKeys.privateKey), leaf, ca };
}

function inputFor(fixture: Fixture, format: Pkcs12Format, overrides: Partial<Pkcs12Input> = {}): Pkcs12Input {
  return {
    privateKeyPkcs8: fixture.privateKeyPkcs8,
    certificateDer: fixture.leaf.rawData,
    chainDer: [fixture.ca.rawData],
    password,
    friendlyName,
    format,
    iterations: quickIterations,
    ...overrides,
  };
}

let workDir = '';
let passwordFile = '';
let wrongPasswordFile = '';
const fixtures: Fixture[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'certdesk-pkcs12-'));
  passwordFile = join(workDir, 'password');
  wrongPasswordFile = join(workDir, 'wrong-password');
  await writeFile(passwordFile, `${password}\n`);
  await writeFile(wrongPasswordFile, 'pickup-Pass 2027~\n');
  fixtures.push(await makeFixture('P-256'), await makeFixture('RSA-2048'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const fixtureOf = (kind: KeyKind): Fixture => {
  const found = fixtures.find((fixture) => fixture.kind === kind);
  if (found === undefined) {
    throw new Error(`no fixture for ${kind}`);
  }
  return found;
};


let fileCount = 0;
async function writePfx(der: Uint8Array): Promise<string> {
  fileCount += 1;
  const path = join(workDir, `subscriber-${fileCount}.p12`);
  await writeFile(path, der);
  return path;
}

const pemBlocks = (text: string, label: string): string[] =>
  text.match(new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`, 'g')) ?? [];

const derOfPem = (pem: string): Uint8Array =>
  Uint8Array.from(atob(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '')), (char) => char.charCodeAt(0));

const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');

async function sha1Hex(bytes: ArrayBuffer): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-1', bytes));
}

/** What openssl prints for each format (OpenSSL 3.0.x `pkcs12 -info`), iteration count filled in. */
const expectedInfo: Record<Pkcs12Format, (iterations: number) => string[]> = {
  standard: (n) => [
    `MAC: sha256, Iteration ${n}`,
    'MAC length: 32, salt length: 8',
    `PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration ${n}, PRF hmacWithSHA256`,
    `Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration ${n}, PRF hmacWithSHA256`,
  ],
  compatible: (n) => [
    `MAC: sha1, Iteration ${n}`,
    'MAC length: 20, salt length: 8',
    `PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration ${n}`,
    `Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration ${n}`,
  ],
};

/** Everything one file must show to openssl: algorithms, both certificates, the attributes, the key. */
async function expectOpensslReads(path: string, fixture: Fixture, format: Pkcs12Format, iterations: number): Promise<void> {
  // No -legacy: OpenSSL 3 must read both formats with its default provider (SPEC 1.4).
  const info = await opensslOk(['pkcs12', '-info', '-in', path, '-passin', `file:${passwordFile}`, '-nodes']);
  for (const line of expectedInfo[format](iterations)) {
    expect(info).toContain(line);
  }
  // The algorithm lines only: base64 inside the PEM blocks can spell "RC4" by chance.
  const outsidePem = info.replace(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g, '');
  expect(outsidePem).not.toMatch(/RC2|RC4|40-bit/i);
  expect(info.match(/^Certificate bag$/gm)).toHaveLength(2);
  expect(info.match(/^Shrouded Keybag: /gm)).toHaveLength(1);

  // The leaf bag and the key bag carry friendlyName and the same localKeyID (SHA-1 of the leaf).
  const localKeyId = (await sha1Hex(fixture.leaf.rawData)).toUpperCase().match(/../g)?.join(' ') ?? '';
  expect(info.match(new RegExp(`^ {4}friendlyName: ${friendlyName}$`, 'gm'))).toHaveLength(2);
  expect(info.match(new RegExp(`^ {4}localKeyID: ${localKeyId} ?$`, 'gm'))).toHaveLength(2);
  expect(info).toContain('Bag Attributes: <No Attributes>'); // the CA certificate's bag

  // Leaf first, then the chain, byte for byte.
  const certificates = pemBlocks(info, 'CERTIFICATE').map((pem) => new X509Certificate(pem));
  expect(certificates.map((certificate) => hex(certificate.rawData))).toEqual([hex(fixture.leaf.rawData), hex(fixture.ca.rawData)]);
  expect(info).toContain(`subject=CN = certdesk Test CA G1, O = certdesk test`);

  // The key openssl decrypts is the subscriber's, and it matches the certificate.
  const [keyPem] = pemBlocks(info, 'PRIVATE KEY');
  expect(keyPem).toBeDefined();
  const keyPath = join(workDir, `key-${fileCount}.pem`);
  const certPath = join(workDir, `cert-${fileCount}.pem`);
  await writeFile(keyPath, `${keyPem}\n`);
  await writeFile(certPath, fixture.leaf.toString('pem'));
  const publicOfKey = await opensslOk(['pkey', '-in', keyPath, '-pubout']);
  const publicOfCert = await opensslOk(['x509', '-in', certPath, '-noout', '-pubkey']);
  expect(publicOfKey).toContain('-----BEGIN PUBLIC KEY-----');
  expect(publicOfKey).toBe(publicOfCert);
  // "PRIVATE KEY" is PKCS#8: the PrivateKeyInfo we put in, byte for byte.
  expect(hex(derOfPem(keyPem ?? ''))).toBe(hex(fixture.privateKeyPkcs8));
}

const keyBagOid = '1.2.840.113549.1.12.10.1.2'; // pkcs8ShroudedKeyBag (RFC 7292 4.2.2)
const certBagOid = '1.2.840.113549.1.12.10.1.3'; // certBag (RFC 7292 4.2.3)

/** The node at `path` (child indexes) below `node`. */
function childAt(node: forge.asn1.Asn1, path: readonly number[]): forge.asn1.Asn1 {
  let current = node;
  for (const index of path) {
    const child = Array.isArray(current.value) ? current.value[index] : undefined;
    if (child === undefined) {
      throw new Error(`no child ${index} on the way to ${path.join('.')}`);
    }
    current = child;
  }
  return current;
}

/** The content bytes of the OCTET STRING at `path`, as a forge binary string. */
function contentOctets(node: forge.asn1.Asn1, path: readonly number[]): string {
  const octets = childAt(node, path);
  if (octets.type !== forge.asn1.Type.OCTETSTRING || typeof octets.value !== 'string') {
    throw new Error(`no OCTET STRING at ${path.join('.')}`);
  }
  return octets.value;
}

/** node-forge, a second and independent reader: decrypts, checks the MAC, returns the bags. */
function readWithForge(der: Uint8Array, withPassword: string): forge.pkcs12.Pkcs12Pfx {
  const asn1 = forge.asn1.fromDer(forge.util.binary.raw.encode(der), true);
  return forge.pkcs12.pkcs12FromAsn1(asn1, true, withPassword);
}

/** The DER of a bag's payload: forge parses RSA keys and certificates, and leaves others as ASN.1. */
function keyDerOfBag(bag: forge.pkcs12.Bag): string {
  const asn1 = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
  return forge.util.bytesToHex(forge.asn1.toDer(asn1).getBytes());
}

function certificateDerOfBag(bag: forge.pkcs12.Bag): string {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  return forge.util.bytesToHex(forge.asn1.toDer(asn1).getBytes());
}

describe.skipIf(!hasOpenssl)(buildPkcs12.name, () => {
  it('is checked against OpenSSL 3, so that "no -legacy" means something', () => {
    expect(opensslVersion.stdout).toMatch(/^OpenSSL 3\./);
  });

  for (const kind of ['P-256', 'RSA-2048'] as const) {
    it(`writes a standard file (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, HMAC-SHA256 MAC) that OpenSSL 3 opens without -legacy, ${kind}`, async () => {
      const fixture = fixtureOf(kind);
      const path = await writePfx(await buildPkcs12(inputFor(fixture, 'standard')));
      await expectOpensslReads(path, fixture, 'standard', quickIterations);
    });

    it(`writes a compatible file (3DES, HMAC-SHA1 MAC) that OpenSSL 3 opens without -legacy, ${kind}`, async () => {
      const fixture = fixtureOf(kind);
      const path = await writePfx(await buildPkcs12(inputFor(fixture, 'compatible')));
      await expectOpensslReads(path, fixture, 'compatible', quickIterations);
    });
  }

  it('uses 100,000 iterations for the standard file by default', async () => {
    const fixture = fixtureOf('P-256');
    const { iterations: _quick, ...input } = inputFor(fixture, 'standard');
    const path = await writePfx(await buildPkcs12(input));
    await expectOpensslReads(path, fixture, 'standard', 100_000);
  });

  it('uses 2,048 iterations for the compatible file by default', async () => {
    const { iterations: _quick, ...input } = inputFor(fixtureOf('RSA-2048'), 'compatible');
    const path = await writePfx(await buildPkcs12(input));
    const info = await opensslOk(['pkcs12', '-info', '-in', path, '-passin', `file:${passwordFile}`, '-nodes']);
    expect(info).toContain('MAC: sha1, Iteration 2048');
    expect(info).toContain('Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048');
  });

  for (const format of ['standard', 'compatible'] as const) {
    it(`fails the MAC check with a wrong password, ${format}`, async () => {
      const path = await writePfx(await buildPkcs12(inputFor(fixtureOf('P-256'), format)));
      const result = await openssl(['pkcs12', '-info', '-in', path, '-passin', `file:${wrongPasswordFile}`, '-nodes']);
      expect(result.ok).toBe(false);
      expect(result.output).toContain('Mac verify error');
      expect(result.output).not.toContain('PRIVATE KEY');
    });
  }

  for (const format of ['standard', 'compatible'] as const) {
    for (const kind of ['P-256', 'RSA-2048'] as const) {
      it(`reads back with node-forge as well, with the key, both certificates and the attributes, ${format} ${kind}`, async () => {
        const fixture = fixtureOf(kind);
        const der = await buildPkcs12(inputFor(fixture, format, { friendlyName: '髙﨑 太郎 (certdesk)' }));
        const pfx = readWithForge(der, password);
        expect(pfx.version).toBe(3);

        const keyBags = pfx.getBags({ bagType: keyBagOid })[keyBagOid] ?? [];
        const certBags = pfx.getBags({ bagType: certBagOid })[certBagOid] ?? [];
        expect(keyBags).toHaveLength(1);
        expect(certBags).toHaveLength(2);
        const [keyBag] = keyBags;
        const [leafBag, caBag] = certBags;
        if (keyBag === undefined || leafBag === undefined || caBag === undefined) {
          throw new Error('bags missing');
        }
        expect(keyDerOfBag(keyBag)).toBe(hex(fixture.privateKeyPkcs8));
        expect(certificateDerOfBag(leafBag)).toBe(hex(fixture.leaf.rawData));
        expect(certificateDerOfBag(caBag)).toBe(hex(fixture.ca.rawData));

        // friendlyName is a BMPString, so Japanese survives; localKeyId ties key and leaf.
        const localKeyId = await sha1Hex(fixture.leaf.rawData);
        for (const bag of [keyBag, leafBag]) {
          expect(bag.attributes['friendlyName']).toEqual(['髙﨑 太郎 (certdesk)']);
          expect((bag.attributes['localKeyId'] as string[]).map((id) => forge.util.bytesToHex(id))).toEqual([localKeyId]);
        }
        expect(caBag.attributes).toEqual({});
        expect(() => readWithForge(der, 'pickup-Pass 2027~')).toThrow();
      });
    }
  }

  it('writes DER: minimal lengths, and each SET OF in ascending order (X.690 11.6)', async () => {
    const der = await buildPkcs12(inputFor(fixtureOf('P-256'), 'compatible'));
    const asn1 = forge.asn1.fromDer(forge.util.binary.raw.encode(der), true);
    expect(forge.util.bytesToHex(forge.asn1.toDer(asn1).getBytes())).toBe(hex(der));

    // The key bag's attributes: AuthenticatedSafe → second ContentInfo → SafeContents → SafeBag.
    const authSafe = forge.asn1.fromDer(contentOctets(asn1, [1, 1, 0]), true);
    const keySafeContents = forge.asn1.fromDer(contentOctets(authSafe, [1, 1, 0]), true);
    const keyBagAttributes = childAt(keySafeContents, [0, 2]);
    expect(keyBagAttributes.type).toBe(forge.asn1.Type.SET);
    const encodings = (keyBagAttributes.value as forge.asn1.Asn1[]).map((attribute) => forge.util.bytesToHex(forge.asn1.toDer(attribute).getBytes()));
    expect(encodings).toHaveLength(2);
    expect([...encodings].sort()).toEqual(encodings);
  });

  it('writes the same bytes for the same random source, and different bytes from the default one', async () => {
    let counter = 0;
    const counting = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (counter += 1) & 0xff);
    const input = inputFor(fixtureOf('P-256'), 'standard');
    counter = 0;
    const first = await buildPkcs12({ ...input, random: counting });
    counter = 0;
    const second = await buildPkcs12({ ...input, random: counting });
    expect(hex(second)).toBe(hex(first));
    expect(hex(await buildPkcs12(input))).not.toBe(hex(first));
  });

  it('accepts ArrayBuffer and Uint8Array inputs alike', async () => {
    const fixture = fixtureOf('P-256');
    const fixed = (n: number): Uint8Array => new Uint8Array(n).fill(7);
    const fromBuffers = await buildPkcs12({ ...inputFor(fixture, 'compatible'), random: fixed });
    const fromViews = await buildPkcs12({
      ...inputFor(fixture, 'compatible'),
      privateKeyPkcs8: new Uint8Array(fixture.privateKeyPkcs8),
      certificateDer: new Uint8Array(fixture.leaf.rawData),
      chainDer: [new Uint8Array(fixture.ca.rawData)],
      random: fixed,
    });
    expect(hex(fromViews)).toBe(hex(fromBuffers));
  });

  it('refuses iteration counts outside 2,048–600,000 (SPEC 1.4), and takes both ends', async () => {
    const input = inputFor(fixtureOf('P-256'), 'standard');
    for (const iterations of [0, 1, 2_047, 600_001, 2_048.5, Number.NaN]) {
      await expect(buildPkcs12({ ...input, iterations }), String(iterations)).rejects.toThrow(RangeError);
    }
    // 600,000 passes the check: the build gets as far as asking for a salt.
    const refuseToDraw = (): Uint8Array => {
      throw new Error('drew a salt');
    };
    await expect(buildPkcs12({ ...input, iterations: 600_000, random: refuseToDraw })).rejects.toThrow('drew a salt');
    await expect(buildPkcs12({ ...input, iterations: 2_048, random: refuseToDraw })).rejects.toThrow('drew a salt');
  });

  it('refuses a password that is not 8–128 printable ASCII characters', async () => {
    const input = inputFor(fixtureOf('P-256'), 'compatible');
    for (const bad of ['', 'short7!', 'パスワード12345678', 'tab\there-ok?', 'x'.repeat(129)]) {
      await expect(buildPkcs12({ ...input, password: bad }), bad).rejects.toThrow(RangeError);
    }
  });

  it('refuses a random source that returns the wrong number of bytes', async () => {
    const input = inputFor(fixtureOf('P-256'), 'standard');
    await expect(buildPkcs12({ ...input, random: (n) => new Uint8Array(n - 1) })).rejects.toThrow('random source returned');
  });
});

describe(pkcs12Kdf.name, () => {
  // node-forge's pkcs12.generateKey is an independent RFC 7292 B.2 implementation.
  const cases = [
    { hash: 'SHA-1', md: () => forge.md.sha1.create(), id: 1, length: 24, password: 'smeg1234', salt: '0a58cf64530d823f', iterations: 1 },
    { hash: 'SHA-1', md: () => forge.md.sha1.create(), id: 2, length: 8, password: 'smeg1234', salt: '0a58cf64530d823f', iterations: 2_048 },
    { hash: 'SHA-1', md: () => forge.md.sha1.create(), id: 3, length: 20, password: 'pickup-Pass 2026~', salt: '3d83c0e4546ac140', iterations: 2_048 },
    // Longer than one hash output (steps 6b–6c run), odd salt length, a password over one block.
    { hash: 'SHA-1', md: () => forge.md.sha1.create(), id: 1, length: 70, password: 'p'.repeat(70), salt: '01020304050607', iterations: 3 },
    { hash: 'SHA-256', md: () => forge.md.sha256.create(), id: 3, length: 32, password: 'pickup-Pass 2026~', salt: '3d83c0e4546ac140', iterations: 2_048 },
    { hash: 'SHA-256', md: () => forge.md.sha256.create(), id: 1, length: 100, password: 'x'.repeat(128), salt: 'ff'.repeat(65), iterations: 5 },
  ] as const;

  for (const testCase of cases) {
    it(`matches node-forge for ${testCase.hash}, ID ${testCase.id}, ${testCase.length} bytes, ${testCase.iterations} iterations`, () => {
      const salt = forge.util.hexToBytes(testCase.salt);
      const ours = pkcs12Kdf(testCase.hash, testCase.password, forge.util.binary.raw.decode(salt), testCase.id, testCase.iterations, testCase.length);
      const theirs = forge.pkcs12.generateKey(testCase.password, forge.util.createBuffer(salt), testCase.id, testCase.iterations, testCase.length, testCase.md());
      expect(ours).toHaveLength(testCase.length);
      expect(hex(ours)).toBe(forge.util.bytesToHex(theirs.getBytes()));
    });
  }

  // The drh-consultancy vectors, set 1 ("smeg"), which OpenSSL and BouncyCastle test against.
  const vectors = [
    { id: 1, salt: '0a58cf64530d823f', length: 24, key: '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3' },
    { id: 2, salt: '0a58cf64530d823f', length: 8, key: '79993dfe048d3b76' },
    { id: 1, salt: '642b99ab44fb4b1f', length: 24, key: 'f3a95fec48d7711e985cfe67908c5ab79fa3d7c5caa5d966' },
  ] as const;
  for (const vector of vectors) {
    it(`gives the published SHA-1 vector for "smeg", ID ${vector.id}, salt ${vector.salt}`, () => {
      const salt = forge.util.binary.raw.decode(forge.util.hexToBytes(vector.salt));
      expect(hex(pkcs12Kdf('SHA-1', 'smeg', salt, vector.id, 1, vector.length))).toBe(vector.key);
    });
  }
});

describe(generateFilePassword.name, () => {
  it('gives 20 characters from the unambiguous alphabet, with at least 100 bits', () => {
    const generated = generateFilePassword();
    expect(generated).toHaveLength(20);
    expect(generated).toMatch(/^[2-9A-HJ-NP-Za-km-z]{20}$/);
    expect(filePasswordAlphabet).not.toMatch(/[0O1lI]/);
    expect(new Set(filePasswordAlphabet).size).toBe(filePasswordAlphabet.length);
    expect(20 * Math.log2(filePasswordAlphabet.length)).toBeGreaterThanOrEqual(100);
    expect(isAcceptableFilePassword(generated)).toBe(true);
  });

  it('gives a different password each time from the default source', () => {
    const seen = new Set(Array.from({ length: 50 }, () => generateFilePassword()));
    expect(seen.size).toBe(50);
  });

  it('skips the bytes that would favour some characters (rejection sampling)', () => {
    // 256 % 57 = 28, so bytes 228–255 are dropped; 0 and 57 both map to the first symbol.
    const source = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 228 + (i % 28) : 57 + i));
    const generated = generateFilePassword(source);
    const expected = Array.from({ length: 20 }, (_, k) => filePasswordAlphabet[(57 + 2 * k + 1) % 57]).join('');
    expect(generated).toBe(expected);
  });

  it('stops with an error when the random source never gives a usable byte', () => {
    expect(() => generateFilePassword((n) => new Uint8Array(n).fill(255))).toThrow('random source');
  });
});

describe(isAcceptableFilePassword.name, () => {
  it('accepts printable ASCII from 8 to 128 characters, space and tilde included', () => {
    expect(isAcceptableFilePassword('a'.repeat(8))).toBe(true);
    expect(isAcceptableFilePassword('~'.repeat(128))).toBe(true);
    expect(isAcceptableFilePassword(' !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~')).toBe(true);
  });

  it('refuses 7 and 129 characters, control characters and anything beyond ASCII', () => {
    expect(isAcceptableFilePassword('a'.repeat(7))).toBe(false);
    expect(isAcceptableFilePassword('a'.repeat(129))).toBe(false);
    for (const bad of ['abcdefg\t', 'abcdefg\n', 'abcdefg\x7f', 'abcdefgé', 'パスワードパスワード', 'ａｂｃｄｅｆｇｈ', 'abcdefg\u00a0']) {
      expect(isAcceptableFilePassword(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('pkcs12 module source', () => {
  const sourceUrl = new URL('../../../src/web/client/pkcs12.ts', import.meta.url);

  it('imports nothing but node-forge, and nothing from node:, so it runs in the browser', async () => {
    const source = await readFile(sourceUrl, 'utf8');
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const specifiers = [...code.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
    expect(specifiers).toEqual(['node-forge']);
    expect(code).not.toContain('node:');
    expect(code).not.toMatch(/\bBuffer\b|\bprocess\.|\brequire\s*\(/);
  });

  it('bundles for the browser with esbuild, with no Node built-in left to resolve', async () => {
    const result = await build({
      entryPoints: [sourceUrl.pathname],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const [bundle] = result.outputFiles;
    expect(bundle?.text).toContain('buildPkcs12');
    expect(bundle?.text).not.toMatch(/require\(["'](?:node:)?(?:crypto|buffer|fs)["']\)/);
  });
});
