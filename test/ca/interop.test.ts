import 'reflect-metadata';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caFileNames, ensureCa, type CaMaterial } from '../../src/ca/bootstrap.js';
import { toPem } from '../../src/ca/pem.js';
import { webCrypto } from '../../src/ca/webcrypto.js';
import type { Clock } from '../../src/domain/clock.js';
import { describeRun, hasCertutil, nssDatabaseTrusting, run, succeed, verifyArgs } from '../support/interop.js';
import { issueTestCertificate, generateTestKeys, hasOpenssl, makeTempDir, passphrase, type TestKeyKind } from './ca-test-kit.js';

/**
 * Cross-checks what our CA issues against independent implementations:
 * Debian's openssl 3 and NSS's certutil. Both check validity against the real
 * clock, so the CA and the certificates are made with a clock that reads it.
 * Neither `openssl cms -encrypt` nor NSS's email-recipient check insists on
 * keyAgreement for an EC key, so the parsed key usage text is what pins it.
 */

const realClock: Clock = { now: () => new Date() };

const skipNote = (tool: string, isPresent: boolean, pkg: string): string =>
  isPresent ? '' : ` (skipped: ${tool} is not installed; Debian package ${pkg}, see scripts/ensure-system-packages.sh)`;

const message = 'certdesk interop: 太郎 髙﨑 signs and receives this.\n';

const subscriberKinds = [
  {
    kind: 'P-256',
    label: 'ECDSA P-256',
    keyUsageText: 'Digital Signature, Key Agreement',
    // OpenSSL's smimeencrypt purpose demands keyEncipherment; an ECDH recipient has keyAgreement instead (RFC 5753).
    isSmimeEncryptPurpose: false,
  },
  {
    kind: 'RSA-2048',
    label: 'RSA-2048',
    keyUsageText: 'Digital Signature, Key Encipherment',
    isSmimeEncryptPurpose: true,
  },
] as const satisfies readonly {
  kind: TestKeyKind;
  label: string;
  keyUsageText: string;
  isSmimeEncryptPurpose: boolean;
}[];

/** Each test issues one certificate per key: no serial can repeat, nothing needs auditing. */
const issueFor = (ca: CaMaterial, keys: CryptoKeyPair, now: Date): Promise<ArrayBuffer> => issueTestCertificate(ca, keys.publicKey, now);

describe('issued certificates, checked by openssl and NSS', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let ca: CaMaterial;
  let rootPath: string;
  let issuingPath: string;

  beforeAll(async () => {
    temp = await makeTempDir();
    ca = await ensureCa({ dir: temp.dir, passphrase, clock: realClock });
    rootPath = join(temp.dir, caFileNames.rootCertificate);
    issuingPath = join(temp.dir, caFileNames.issuingCertificate);
  });
  afterAll(async () => {
    await temp.remove();
  });

  describe.each(subscriberKinds)('for an $label subscriber key', ({ kind, keyUsageText, isSmimeEncryptPurpose }) => {
    let dir: string;
    const files = { cert: '', key: '', message: '' };

    beforeAll(async () => {
      dir = join(temp.dir, kind);
      await mkdir(dir);
      const keys = await generateTestKeys(kind);
      const der = await issueFor(ca, keys, realClock.now());
      files.cert = join(dir, 'cert.pem');
      files.key = join(dir, 'key.pem');
      files.message = join(dir, 'msg.txt');
      await writeFile(files.cert, toPem(der, 'CERTIFICATE'));
      await writeFile(files.key, toPem(await webCrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'), { mode: 0o600 });
      await writeFile(files.message, message);
    });

    describe.skipIf(!hasOpenssl)(`openssl${skipNote('openssl', hasOpenssl, 'openssl')}`, () => {
      const chain = (purpose: string) => verifyArgs({ dir, cert: files.cert, key: files.key, root: rootPath, issuing: issuingPath }, purpose);

      it(`parses it, with key usage "${keyUsageText}" and the Multipurpose extended key usages`, () => {
        const text = succeed('openssl', ['x509', '-in', files.cert, '-noout', '-text']);
        expect(text).toMatch(new RegExp(`X509v3 Key Usage: critical\\n\\s*${keyUsageText}\\n`));
        expect(text).toMatch(/X509v3 Extended Key Usage: \n\s*E-mail Protection, TLS Web Client Authentication\n/);
      });

      it.each(['smimesign', 'sslclient', ...(isSmimeEncryptPurpose ? ['smimeencrypt'] : [])])(
        'verifies the chain to the root for purpose %s',
        (purpose) => {
          expect(succeed('openssl', chain(purpose))).toMatch(/: OK\n/);
        },
      );

      if (!isSmimeEncryptPurpose) {
        it('is refused for purpose smimeencrypt, which demands keyEncipherment (so encryption is proven with cms below)', () => {
          const args = chain('smimeencrypt');
          const result = run('openssl', args);
          expect(result.status, describeRun('openssl', args, result)).not.toBe(0);
          expect(result.stdout + result.stderr).toMatch(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
        });
      }

      // -binary throughout cms: without it openssl canonicalises the text to CRLF line ends (S/MIME), so
      // what comes back would differ from msg.txt by its line ends.
      it('signs a message with cms that verifies to the root for smimesign', async () => {
        const signed = join(dir, 'signed.p7m');
        const verified = join(dir, 'verified.txt');
        const signArgs = ['-signer', files.cert, '-inkey', files.key, '-certfile', issuingPath];
        succeed('openssl', ['cms', '-sign', '-binary', ...signArgs, '-in', files.message, '-out', signed]);
        succeed('openssl', ['cms', '-verify', '-binary', '-CAfile', rootPath, '-purpose', 'smimesign', '-in', signed, '-out', verified]);
        expect(await readFile(verified, 'utf8')).toBe(message);
      });

      it(`encrypts a message to it with cms (${kind === 'RSA-2048' ? 'RSA key transport' : 'ECDH key agreement, RFC 5753'}) that its key decrypts`, async () => {
        const encrypted = join(dir, 'enc.p7m');
        const decrypted = join(dir, 'decrypted.txt');
        succeed('openssl', ['cms', '-encrypt', '-binary', '-aes-256-cbc', '-recip', files.cert, '-in', files.message, '-out', encrypted]);
        const info = succeed('openssl', ['cms', '-cmsout', '-print', '-in', encrypted]);
        expect(info).toMatch(kind === 'RSA-2048' ? /d\.ktri:/ : /d\.kari:/);
        succeed('openssl', ['cms', '-decrypt', '-binary', '-recip', files.cert, '-inkey', files.key, '-in', encrypted, '-out', decrypted]);
        expect(await readFile(decrypted, 'utf8')).toBe(message);
      });
    });

    describe.skipIf(!hasCertutil)(`NSS certutil${skipNote('certutil', hasCertutil, 'libnss3-tools')}`, () => {
      let db: string;

      beforeAll(() => {
        // Trust flags are SSL,S/MIME,code signing. -u C (SSL client) needs T, a CA trusted to issue client
        // certificates: with "C,C,C" NSS answers "issuer has been marked as not trusted by the user".
        db = nssDatabaseTrusting(join(dir, 'nssdb'), rootPath, issuingPath);
        succeed('certutil', ['-A', '-d', db, '-n', 'subscriber', '-t', ',,', '-a', '-i', files.cert]);
      });

      // -e: without it certutil -V does not check signatures at all (a tampered certificate is "valid").
      // -u R for an EC key accepts digitalSignature OR keyAgreement (CERT_CheckKeyUsage in NSS
      // lib/certdb/certdb.c), so for ECDSA only the openssl text check above pins keyAgreement.
      it.each([
        ['S', 'email signer'],
        ['R', 'email recipient'],
        ['C', 'SSL client'],
      ])('validates it with signatures for usage %s (%s)', (usage) => {
        const output = succeed('certutil', ['-V', '-e', '-d', db, '-n', 'subscriber', '-u', usage]);
        expect(output).toMatch(/^certutil: certificate is valid$/m);
      });
    });
  });
});
