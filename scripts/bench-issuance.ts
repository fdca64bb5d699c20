/**
 * Issuance throughput: certificates per second through our real path, against
 * `openssl ca -batch` over the same CSRs with the same CA key and an equivalent extension
 * profile, in one run, and their ratio. Bounded: it stops by itself.
 *
 *   npx tsx scripts/bench-issuance.ts         # alone
 *   npm run bench                             # after the portal figures
 *   BENCH_CSRS=2000 BENCH_ISSUANCE_ROUNDS=5 npx tsx scripts/bench-issuance.ts
 *
 * Our path is parseCsr (strict input, decode, key checks, proof of possession) and then
 * issueCertificate with the RA's real bookkeeping (ra/ca-signing.ts) on the embedded PGlite,
 * migrated and on disk: key history lookup, limits, template, encoding, lints, serial
 * reservation, audit, signature, signed DER kept with the serial, parse and signature
 * check, audit. The CSRs go in as DER (an uploaded .csr file).
 *
 * BENCH_CSRS (500): CSRs, 90 % ECDSA P-256 and 10 % RSA-2048, made up front, untimed.
 * BENCH_ISSUANCE_ROUNDS (3): rounds; each times every path once, back to back.
 * BENCH_ISSUANCE_CONCURRENCY (16): issuances in flight on our second path (the first has one); openssl is one process.
 * BENCH_ISSUANCE_WARMUP (50): untimed issuances per path before the first round (JIT).
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL, as scripts/with-postgres.sh sets it): our paths on
 * that PostgreSQL server as well.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { Extension as X509Extension, Name as X509Name, Pkcs10CertificateRequestGenerator } from '@peculiar/x509';
import pino from 'pino';
import { caFileNames, createCa } from '../src/ca/bootstrap.js';
import { toHex } from '../src/ca/der.js';
import { encodeName } from '../src/ca/distinguished-name.js';
import { issueCertificate, parseCsr, type IssueCertificateRequest, type ParsedCsr } from '../src/ca/issuer.js';
import { subscriberUrlsOf } from '../src/ca/issuing-ca.js';
import { readKeyFile } from '../src/ca/keys/key-file.js';
import { smimeSponsorValidatedMultipurposeOid } from '../src/ca/oids.js';
import { toPem } from '../src/ca/pem.js';
import {
  floorToSecond,
  keyUsageFor,
  subscriberProfile,
  subscriberSubjectAttributes,
  validityEnd,
  type SubscriberSubject,
  type SubscriberUrls,
} from '../src/ca/profile.js';
import { keyUsageExtension, subjectAltNameExtension } from '../src/ca/tbs-certificate.js';
import { webCrypto } from '../src/ca/webcrypto.js';
import { systemClock } from '../src/domain/clock.js';
import { signingDepsOf, type CaDeps } from '../src/ra/ca-signing.js';
import { migrateDatabase, openDatabase, type Database, type DatabaseTarget } from '../src/store/db.js';

export interface IssuanceBenchOptions {
  /** How many CSRs; 90 % P-256, 10 % RSA-2048. */
  readonly csrCount: number;
  readonly rounds: number;
  /** Issuances in flight on our second path (the first has one at a time). */
  readonly concurrency: number;
  /** Untimed issuances per path before the first round. */
  readonly warmup: number;
  /** A PostgreSQL server to measure on as well (BENCH_DATABASE_URL, or TEST_DATABASE_URL inside scripts/with-postgres.sh). */
  readonly serverUrl?: string | undefined;
}

/** One subscriber of the bench: what the RA vetted, and the CSR the subscriber uploaded. */
interface BenchRequest {
  readonly kind: 'P-256' | 'RSA-2048';
  readonly subject: SubscriberSubject;
  readonly email: string;
  readonly csrPem: string;
  /** The same CSR as DER: what both of our paths read (an upload of a .csr/.der file). */
  readonly csrDer: Uint8Array;
}

/** An issuance path under test: issues request i, throws on any refusal; `concurrency` issuances in flight. */
interface IssuancePath {
  readonly name: string;
  readonly concurrency: number;
  issue(request: BenchRequest, index: number): Promise<Uint8Array>;
}

const passphrase = 'bench passphrase, not secret';
const pkiBaseUrl = 'http://pki.certdesk.example';

export async function benchIssuance(options: IssuanceBenchOptions): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'certdesk-bench-issuance-'));
  const opensslVersion = (await run('openssl', ['version'])).stdout.trim();
  console.log(
    `\nissuance bench — ${os.cpus().length} cores, Node ${process.version}, ${opensslVersion}, ${options.csrCount} CSRs (90 % P-256, 10 % RSA-2048), ` +
      `${options.rounds} rounds, concurrency ${options.concurrency}, warm-up ${options.warmup}`,
  );
  // The embedded PGlite on disk, as `certdesk serve` runs it; and a PostgreSQL server when one is named.
  const targets: { name: string; target: DatabaseTarget }[] = [
    { name: 'PGlite', target: { kind: 'pglite', dataDir: path.join(dir, 'data') } },
    ...(options.serverUrl === undefined ? [] : [{ name: 'PostgreSQL', target: { kind: 'postgres', url: options.serverUrl } as const }]),
  ];
  const databases = await Promise.all(targets.map(async ({ name, target }) => ({ name, database: await openBenchDatabase(target) })));
  // Untimed set-up: the CA (the project's own createCa), the CSRs, the openssl files.
  const ca = await createCa({ dir: path.join(dir, 'ca'), passphrase, clock: systemClock });
  try {
    const notBefore = floorToSecond(systemClock.now());
    const notAfter = validityEnd(notBefore, subscriberProfile.defaultValidityDays);
    const urls = subscriberUrlsOf(pkiBaseUrl);
    const requests = await makeRequests(options.csrCount);
    const openssl = await prepareOpenssl(dir, requests, urls, { notBefore, notAfter });

    const depsOf = (database: Database): CaDeps => ({ db: database.db, clock: systemClock, log: pino({ level: 'silent' }), ca: { material: ca, pkiBaseUrl } });
    const requestFor = (request: BenchRequest, parsed: ParsedCsr): IssueCertificateRequest => ({
      publicKey: parsed.publicKey,
      subject: request.subject,
      email: request.email,
      notBefore,
      notAfter,
      urls,
    });
    const issueWith = (deps: CaDeps) => async (request: BenchRequest, index: number): Promise<Uint8Array> => {
      const parsed = await parseCsr(request.csrDer);
      if (!parsed.ok) throw new Error(`bench CSR ${index}: ${parsed.code}`);
      const issued = await issueCertificate(signingDepsOf(deps, `bench:${index}`), requestFor(request, parsed.value));
      if (!issued.ok) throw new Error(`bench CSR ${index}: refused ${issued.problems.map((problem) => problem.code).join(', ')}`);
      return new Uint8Array(issued.der);
    };
    // One pickup at a time, and many at once (the service's load): the same code, whose
    // bookkeeping statements are shared by the signatures in flight together.
    const paths: IssuancePath[] = databases.flatMap(({ name, database }) =>
      [...new Set([1, options.concurrency])].map((concurrency) => ({
        name: `certdesk${databases.length > 1 ? ` (${name})` : ''}, ${concurrency} in flight`,
        concurrency,
        issue: issueWith(depsOf(database)),
      })),
    );

    // The same CSR through every path and openssl: the certificates must differ only in
    // serial number and signature, or the comparison is not a fair one.
    const reference: { request: BenchRequest; openssl: Uint8Array }[] = [];
    const oneCertificateMs: number[] = [];
    for (const kind of ['P-256', 'RSA-2048'] as const) {
      const request = requests.find((candidate) => candidate.kind === kind);
      if (request === undefined) continue;
      const started = performance.now();
      reference.push({ request, openssl: await openssl.issueOne(request) });
      oneCertificateMs.push(performance.now() - started);
    }
    console.log(`  openssl ca for one CSR (process start-up included): ${oneCertificateMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const issuancePath of paths) {
      for (const [index, { request, openssl: fromOpenssl }] of reference.entries()) {
        const differences = compareCertificates(await issuancePath.issue(request, -1 - index), fromOpenssl);
        console.log(
          `  same CSR (${request.kind}), ${issuancePath.name} vs openssl ca: ${differences.length === 0 ? 'the same fields and extensions, but for serial and signature' : `DIFFERENT: ${differences.join('; ')}`}${extensionOrderNote(await issuancePath.issue(request, -3 - index), fromOpenssl)}`,
        );
      }
    }

    for (const issuancePath of paths) {
      await issueAll(issuancePath, requests.slice(0, options.warmup));
    }
    const rates = new Map<string, number[]>();
    const record = (name: string, certsPerSecond: number): void => {
      rates.set(name, [...(rates.get(name) ?? []), certsPerSecond]);
    };
    for (let round = 1; round <= options.rounds; round += 1) {
      const line: string[] = [];
      const opensslRate = await openssl.rate();
      record('openssl', opensslRate);
      for (const issuancePath of paths) {
        const started = performance.now();
        await issueAll(issuancePath, requests);
        const rate = (requests.length / (performance.now() - started)) * 1000;
        record(issuancePath.name, rate);
        line.push(`${issuancePath.name} ${rate.toFixed(0)}/s (×${(rate / opensslRate).toFixed(2)})`);
      }
      console.log(`  round ${round}: openssl ca -batch ${opensslRate.toFixed(0)}/s; ${line.join('; ')}`);
    }
    const opensslRates = rates.get('openssl') ?? [];
    console.log(`  ${'openssl ca -batch -infiles (1 process)'.padEnd(48)} ${range(opensslRates)} certs/s`);
    for (const issuancePath of paths) {
      const ourRates = rates.get(issuancePath.name) ?? [];
      const ratios = ourRates.map((rate, index) => rate / (opensslRates[index] ?? Number.NaN));
      console.log(`  ${issuancePath.name.padEnd(48)} ${range(ourRates)} certs/s   ratio ours/openssl ${range(ratios, 2)}`);
    }
  } finally {
    await ca.close();
    for (const { database } of databases) await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function openBenchDatabase(target: DatabaseTarget): Promise<Database> {
  // Migrated by the project's code, as `certdesk serve` does.
  const database = await openDatabase(target);
  await migrateDatabase(target, database);
  return database;
}

async function issueAll(issuancePath: IssuancePath, requests: readonly BenchRequest[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(issuancePath.concurrency, requests.length) }, async () => {
      while (next < requests.length) {
        const index = next;
        next += 1;
        const request = requests[index];
        if (request !== undefined) await issuancePath.issue(request, index);
      }
    }),
  );
}

/**
 * parseCsr as it reads with the proposed issuer.ts diff: the strict fast acceptance first
 * (fast-csr.ts), the reference for everything else. The bench hands it DER, of which
 * parseCsr's input reading (csr-input.ts) checks only that it is one whole element.
 */
const givenNames = ['Taro', 'Hanako', 'Ichiro', 'Yuki', 'Sakura', 'Kenji', 'Aiko'];
const surnames = ['Yamada', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito'];
const organizations = ['Example KK', 'Sample Trading Co., Ltd.', 'Takasaki Works', 'Nihon Test Inc.'];

/** N subscribers and their CSRs. Each CSR carries the subscriber's keyUsage and SAN, for openssl to copy. */
async function makeRequests(count: number): Promise<BenchRequest[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index): Promise<BenchRequest> => {
      const kind = index % 10 === 9 ? 'RSA-2048' : 'P-256';
      const keys =
        kind === 'P-256'
          ? await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
          : await webCrypto.subtle.generateKey(
              { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
              false,
              ['sign', 'verify'],
            );
      const subject: SubscriberSubject = {
        givenName: givenNames[index % givenNames.length] ?? 'Taro',
        surname: surnames[index % surnames.length] ?? 'Yamada',
        organizationName: organizations[index % organizations.length] ?? 'Example KK',
        ...(index % 3 === 0 ? { stateOrProvinceName: '東京都', localityName: '千代田区' } : {}),
      };
      const email = `subscriber.${index}@example.jp`;
      const subjectDer = AsnConvert.serialize(encodeName(subscriberSubjectAttributes(subject)));
      const csr = await Pkcs10CertificateRequestGenerator.create(
        {
          name: new X509Name(subjectDer),
          keys,
          signingAlgorithm: kind === 'P-256' ? ({ name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams) : { name: 'RSASSA-PKCS1-v1_5' },
          extensions: [
            new X509Extension(AsnConvert.serialize(keyUsageExtension(keyUsageFor(kind === 'P-256' ? { kind: 'ec', curve: 'P-256' } : { kind: 'rsa', modulusBits: 2048 })))),
            new X509Extension(AsnConvert.serialize(subjectAltNameExtension([email]))),
          ],
        },
        webCrypto,
      );
      return { kind, subject, email, csrPem: csr.toString('pem'), csrDer: new Uint8Array(csr.rawData) };
    }),
  );
}

interface OpensslBench {
  /** Issues every CSR in one `openssl ca -batch -infiles` process; returns certificates per second. */
  rate(): Promise<number>;
  /** One certificate for one CSR (for the equivalence check). */
  issueOne(request: BenchRequest): Promise<Uint8Array>;
}

/**
 * The openssl side: the issuing CA's key decrypted with the project's key-file code (test
 * and bench only: a CA key never leaves its encrypted file otherwise), its certificate, and
 * an openssl.cnf whose extension section is our subscriber profile. openssl takes the
 * subject (-preserveDN), keyUsage and the SAN from the CSR (copy_extensions), which carries
 * exactly what our template would put there: one process can use one extension section only,
 * and keyUsage depends on the key type (profile.ts keyUsageFor).
 */
async function prepareOpenssl(
  dir: string,
  requests: readonly BenchRequest[],
  urls: SubscriberUrls,
  validity: { notBefore: Date; notAfter: Date },
): Promise<OpensslBench> {
  const work = path.join(dir, 'openssl');
  await mkdir(path.join(work, 'csrs'), { recursive: true });
  const keyPath = path.join(work, 'issuing.key.pem');
  await writeFile(keyPath, toPem(await exportIssuingKey(path.join(dir, 'ca', caFileNames.issuingKey)), 'PRIVATE KEY'), { mode: 0o600 });
  const certPath = path.join(dir, 'ca', caFileNames.issuingCertificate);
  const config = path.join(work, 'openssl.cnf');
  await writeFile(config, opensslConfig(work, urls));
  const csrPaths = await Promise.all(
    requests.map(async (request, index) => {
      const file = path.join(work, 'csrs', `${index}.csr.pem`);
      await writeFile(file, request.csrPem);
      return file;
    }),
  );
  const resetDatabase = async (): Promise<void> => {
    await rm(path.join(work, 'certs'), { recursive: true, force: true });
    await mkdir(path.join(work, 'certs'));
    await writeFile(path.join(work, 'index.txt'), '');
    await rm(path.join(work, 'index.txt.attr'), { force: true });
  };
  const args = (out: string): string[] => [
    'ca', '-batch', '-config', config, '-name', 'bench_ca', '-notext', '-preserveDN',
    '-cert', certPath, '-keyfile', keyPath,
    '-startdate', opensslTime(validity.notBefore), '-enddate', opensslTime(validity.notAfter),
    '-out', out,
  ];
  return {
    async rate() {
      await resetDatabase();
      const out = path.join(work, 'all.crt.pem');
      const started = performance.now();
      await run('openssl', [...args(out), '-infiles', ...csrPaths]);
      const elapsedMs = performance.now() - started;
      // openssl 3.0 reopens -out for every certificate of -infiles: count what new_certs_dir and the index hold.
      const files = (await readdir(path.join(work, 'certs'))).length;
      const indexed = (await readFile(path.join(work, 'index.txt'), 'utf8')).split('\n').filter((line) => line.startsWith('V\t')).length;
      const issued = Math.min(files, indexed);
      if (issued !== requests.length) throw new Error(`openssl ca issued ${issued} of ${requests.length} certificates`);
      return (issued / elapsedMs) * 1000;
    },
    async issueOne(request) {
      await resetDatabase();
      const csr = path.join(work, 'one.csr.pem');
      const out = path.join(work, 'one.crt.pem');
      await writeFile(csr, request.csrPem);
      await run('openssl', [...args(out), '-in', csr]);
      const pem = await readFile(out, 'utf8');
      return new Uint8Array(Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
    },
  };
}

/**
 * Our subscriber profile in openssl's words (profile.ts subscriberTemplate,
 * tbs-certificate.ts subscriberTbsCertificate): extKeyUsage emailProtection + clientAuth,
 * the Sponsor-validated Multipurpose policy, CRL DP and AIA over http, AKI (keyid only) and
 * SKI (SHA-1 of the key, RFC 5280 4.2.1.2 (1)); keyUsage and SAN copied from the CSR.
 * Serials are random (rand_serial: 159 bits, as our 158), SHA-256, the index kept in a file.
 */
function opensslConfig(work: string, urls: SubscriberUrls): string {
  return `
[ ca ]
default_ca = bench_ca

[ bench_ca ]
dir = ${work}
database = $dir/index.txt
new_certs_dir = $dir/certs
rand_serial = yes
unique_subject = no
default_md = sha256
policy = policy_any
email_in_dn = no
copy_extensions = copy
x509_extensions = subscriber_ext

[ policy_any ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
givenName = optional
surname = optional
commonName = supplied

[ subscriber_ext ]
extendedKeyUsage = emailProtection, clientAuth
certificatePolicies = ${smimeSponsorValidatedMultipurposeOid}
crlDistributionPoints = URI:${urls.crl}
authorityInfoAccess = OCSP;URI:${urls.ocsp}, caIssuers;URI:${urls.caIssuers}
authorityKeyIdentifier = keyid:always
subjectKeyIdentifier = hash
`;
}

/**
 * The issuing key as plain PKCS#8, through the project's key-file code: readKeyFile imports
 * keys non-extractable, so the bench hands it a WebCrypto whose importKey leaves them
 * extractable, and exports the private key once. Bench and tests only.
 */
async function exportIssuingKey(keyPath: string): Promise<ArrayBuffer> {
  const { subtle } = webCrypto;
  const extractable = {
    subtle: {
      importKey: (format: 'pkcs8' | 'spki', keyData: BufferSource, algorithm: AlgorithmIdentifier, _extractable: boolean, usages: KeyUsage[]) =>
        subtle.importKey(format, keyData, algorithm, true, usages),
    },
  } as unknown as Crypto;
  const keys = await readKeyFile(keyPath, passphrase, extractable);
  return subtle.exportKey('pkcs8', keys.privateKey);
}

/** The differences between two certificates for the same CSR, other than serial and signature. */
function compareCertificates(ours: Uint8Array, theirs: Uint8Array): string[] {
  const a = AsnConvert.parse(ours, Certificate).tbsCertificate;
  const b = AsnConvert.parse(theirs, Certificate).tbsCertificate;
  const hex = (value: unknown): string => toHex(new Uint8Array(AsnConvert.serialize(value)));
  const differences: string[] = [];
  const fields = ['version', 'signature', 'issuer', 'validity', 'subject', 'subjectPublicKeyInfo'] as const;
  for (const field of fields) {
    const [left, right] = field === 'version' ? [String(a.version), String(b.version)] : [hex(a[field]), hex(b[field])];
    if (left !== right) differences.push(`${field} ${left} ≠ ${right}`);
  }
  const extensions = (tbs: typeof a): Map<string, string> =>
    new Map((tbs.extensions ?? []).map((extension) => [extension.extnID, `${extension.critical ? 'critical ' : ''}${toHex(new Uint8Array(extension.extnValue.buffer))}`]));
  const [left, right] = [extensions(a), extensions(b)];
  for (const oid of new Set([...left.keys(), ...right.keys()])) {
    if (left.get(oid) !== right.get(oid)) differences.push(`extension ${oid}: ${left.get(oid) ?? 'absent'} ≠ ${right.get(oid) ?? 'absent'}`);
  }
  return differences;
}

/** openssl writes its config section's extensions first, then those it copies from the CSR. */
function extensionOrderNote(ours: Uint8Array, theirs: Uint8Array): string {
  const order = (der: Uint8Array): string[] => (AsnConvert.parse(der, Certificate).tbsCertificate.extensions ?? []).map((extension) => extension.extnID);
  const [left, right] = [order(ours), order(theirs)];
  return left.join() === right.join() ? ', in the same order' : ` (extension order: ours ${left.join(' ')}; openssl ${right.join(' ')})`;
}

/** openssl ca -startdate/-enddate: YYYYMMDDHHMMSSZ. */
function opensslTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

function range(values: readonly number[], digits = 0): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((x, y) => x - y);
  const low = (sorted[0] ?? Number.NaN).toFixed(digits);
  const high = (sorted[sorted.length - 1] ?? Number.NaN).toFixed(digits);
  return (low === high ? low : `${low}–${high}`).padStart(9);
}

function run(command: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (code === 0) resolve(result);
      else reject(new Error(`${command} ${args.slice(0, 12).join(' ')} … exited ${String(code)}: ${result.stderr.slice(-2000)}`));
    });
  });
}

/** The options from the environment (scripts read it; src never does, STYLE §6). */
export function issuanceBenchOptionsFrom(env: NodeJS.ProcessEnv): IssuanceBenchOptions {
  const count = (name: string, fallback: number, least: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isSafeInteger(value) || value < least) throw new Error(`${name} must be an integer ≥ ${least}, not ${env[name]}`);
    return value;
  };
  return {
    csrCount: count('BENCH_CSRS', 500, 10),
    rounds: count('BENCH_ISSUANCE_ROUNDS', 3, 1),
    concurrency: count('BENCH_ISSUANCE_CONCURRENCY', 16, 1),
    warmup: count('BENCH_ISSUANCE_WARMUP', 50, 0),
    serverUrl: env['BENCH_DATABASE_URL'] || env['TEST_DATABASE_URL'] || undefined,
  };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchIssuance(issuanceBenchOptionsFrom(process.env));
}
