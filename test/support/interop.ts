import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * What we issue, as independent implementations read it: Debian's openssl 3 and NSS's
 * certutil/pk12util. Shared by the CA's interop test and the browser pickup test.
 */

export const hasCertutil = spawnSync('certutil', ['-H'], { encoding: 'utf8' }).error === undefined;

export function run(command: string, args: readonly string[]): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

export const describeRun = (command: string, args: readonly string[], result: SpawnSyncReturns<string>): string =>
  `${command} ${args.join(' ')} exited ${String(result.status)}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;

/** Runs `command` and asserts exit status 0, showing its output otherwise; returns stdout. */
export function succeed(command: string, args: readonly string[]): string {
  const result = run(command, args);
  expect(result.status, describeRun(command, args, result)).toBe(0);
  return result.stdout;
}

export interface IssuedFiles {
  /** A folder of its own for the files the checks write. */
  dir: string;
  cert: string;
  key: string;
  root: string;
  issuing: string;
}

/** openssl verify's arguments for the chain to our root, for one purpose. */
export const verifyArgs = (files: IssuedFiles, purpose: string): string[] => ['verify', '-CAfile', files.root, '-untrusted', files.issuing, '-purpose', purpose, files.cert];

/**
 * The whole openssl round: the chain for smimesign and sslclient (and smimeencrypt, which
 * demands keyEncipherment, for RSA), a cms signature that verifies, and cms encryption to
 * the certificate that its key decrypts (RSA key transport, or ECDH key agreement).
 * -binary throughout cms: without it openssl turns the text's line ends into CRLF.
 */
export function opensslRoundTrip(files: IssuedFiles, isRsa: boolean): void {
  for (const purpose of ['smimesign', 'sslclient', ...(isRsa ? ['smimeencrypt'] : [])]) {
    expect(succeed('openssl', verifyArgs(files, purpose))).toMatch(/: OK\n/);
  }
  const message = join(files.dir, 'msg.txt');
  writeFileSync(message, 'certdesk: 髙﨑さんの証明書で署名・暗号化します。\n');
  const signed = join(files.dir, 'signed.p7m');
  const verified = join(files.dir, 'verified.txt');
  succeed('openssl', ['cms', '-sign', '-binary', '-signer', files.cert, '-inkey', files.key, '-certfile', files.issuing, '-in', message, '-out', signed]);
  succeed('openssl', ['cms', '-verify', '-binary', '-CAfile', files.root, '-purpose', 'smimesign', '-in', signed, '-out', verified]);
  expect(readFileSync(verified, 'utf8')).toBe(readFileSync(message, 'utf8'));
  const encrypted = join(files.dir, 'enc.p7m');
  const decrypted = join(files.dir, 'decrypted.txt');
  succeed('openssl', ['cms', '-encrypt', '-binary', '-aes-256-cbc', '-recip', files.cert, '-in', message, '-out', encrypted]);
  expect(succeed('openssl', ['cms', '-cmsout', '-print', '-in', encrypted])).toMatch(isRsa ? /d\.ktri:/ : /d\.kari:/);
  succeed('openssl', ['cms', '-decrypt', '-binary', '-recip', files.cert, '-inkey', files.key, '-in', encrypted, '-out', decrypted]);
  expect(readFileSync(decrypted, 'utf8')).toBe(readFileSync(message, 'utf8'));
}

/**
 * A fresh NSS database trusting our root: CT for SSL (a CA trusted to issue client
 * certificates; -u C fails without T), C for S/MIME.
 */
export function nssDatabaseTrusting(dir: string, root: string, issuing: string): string {
  mkdirSync(dir, { recursive: true });
  const db = `sql:${dir}`;
  succeed('certutil', ['-N', '-d', db, '--empty-password']);
  succeed('certutil', ['-A', '-d', db, '-n', 'root', '-t', 'CT,C,C', '-a', '-i', root]);
  succeed('certutil', ['-A', '-d', db, '-n', 'issuing', '-t', ',,', '-a', '-i', issuing]);
  return db;
}

/**
 * certutil -V for email signer, email recipient and SSL client. -e: without it certutil
 * does not check signatures at all. (NSS takes an EC recipient with digitalSignature alone:
 * keyAgreement is pinned by the x509 -text checks, not here.)
 */
export function nssAccepts(db: string, nickname: string): void {
  for (const usage of ['S', 'R', 'C']) {
    expect(succeed('certutil', ['-V', '-e', '-d', db, '-n', nickname, '-u', usage])).toMatch(/^certutil: certificate is valid$/m);
  }
}

export interface OpensslResult {
  ok: boolean;
  output: string;
}

/** Runs the openssl CLI without blocking; `output` is stdout then stderr (-info writes to both). */
export function openssl(args: readonly string[]): Promise<OpensslResult> {
  return new Promise((resolve) => {
    execFile('openssl', args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}` });
    });
  });
}

/** openssl that must succeed: its output, or an error with it. */
export async function opensslOk(args: readonly string[]): Promise<string> {
  const result = await openssl(args);
  if (!result.ok) throw new Error(`openssl ${args.join(' ')} failed:\n${result.output}`);
  return result.output;
}
