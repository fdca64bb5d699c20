/**
 * Signatures per second of the issuing CA key, P-256: in a SoftHSM2 token (PKCS#11, the
 * pool of sessions) against the in-process WebCrypto key of a key file. A throwaway token
 * in a temp folder; bounded counts, so it stops by itself.
 *
 *   npx tsx scripts/bench-pkcs11.ts
 *   BENCH_SIGNATURES=5000 npx tsx scripts/bench-pkcs11.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatePkcs11KeyPair, type Pkcs11Signer } from '../src/ca/keys/pkcs11-signer.js';
import { cryptoKeySigner, type CaSigner } from '../src/ca/keys/signer.js';
import { webCrypto } from '../src/ca/webcrypto.js';

const signatures = Number(process.env['BENCH_SIGNATURES'] ?? 2000);
const softhsmModule = '/usr/lib/softhsm/libsofthsm2.so';
const pin = 'bench-pin-1234';

/** `n` signatures over distinct 300-byte messages (about a TBSCertificate), `parallel` at a time. */
async function measure(name: string, signer: CaSigner, n: number, parallel: number): Promise<void> {
  const messages = Array.from({ length: n }, (_, index) => new TextEncoder().encode(`${index} `.padEnd(300, 'x')).buffer);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) {
        const message = messages[next++];
        if (message !== undefined) await signer.sign(message);
      }
    }),
  );
  const wallMs = performance.now() - started;
  console.log(`${name.padEnd(52)} n=${String(n).padStart(5)}  ${((n / wallMs) * 1000).toFixed(0).padStart(6)}/s  ${((wallMs / n) * 1000).toFixed(0).padStart(5)} µs/signature`);
}

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-bench-pkcs11-'));
let tokenSigner: Pkcs11Signer | undefined;
try {
  fs.mkdirSync(path.join(temp, 'tokens'));
  fs.writeFileSync(path.join(temp, 'softhsm2.conf'), `directories.tokendir = ${path.join(temp, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env['SOFTHSM2_CONF'] = path.join(temp, 'softhsm2.conf');
  const init = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', 'bench', '--pin', pin, '--so-pin', 'bench-so-pin'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`softhsm2-util --init-token failed (is softhsm2 installed? scripts/ensure-system-packages.sh): ${init.stderr}`);

  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, libuv pool ${process.env['UV_THREADPOOL_SIZE'] ?? '4'}`);
  const env = { BENCH_PIN: pin };
  tokenSigner = await generatePkcs11KeyPair({ modulePath: softhsmModule, token: { tokenLabel: 'bench' }, pinVariable: 'BENCH_PIN' }, { keyLabel: 'bench p256' }, { env });
  const fileSigner = cryptoKeySigner(await webCrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']));

  // Warm both up (JIT, the token's first operations), then measure.
  await measure('warm-up', tokenSigner, 200, 4);
  await measure('warm-up', fileSigner, 200, 4);
  for (const parallel of [1, 4, 16]) {
    await measure(`PKCS#11 SoftHSM2 P-256, 4 sessions, ${parallel} at a time`, tokenSigner, signatures, parallel);
    await measure(`WebCrypto (key file) P-256, ${parallel} at a time`, fileSigner, signatures, parallel);
  }
} finally {
  await tokenSigner?.close();
  fs.rmSync(temp, { recursive: true, force: true });
}
