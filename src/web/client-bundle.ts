import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The pickup page's script (web/client/pickup.ts and what it imports: @peculiar/x509,
 * node-forge) bundled for the browser at run time, since the server runs the TypeScript
 * sources and has no build step (bin/certdesk.js). The page loads it from /static, as
 * the CSP wants; the strong ETag lets the browser revalidate it cheaply.
 */
export interface ClientBundle {
  readonly code: string;
  /** A strong ETag: the quoted base64url SHA-256 of the code. */
  readonly etag: string;
}

const entryPoint = fileURLToPath(new URL('./client/pickup.ts', import.meta.url));

let pending: Promise<ClientBundle> | undefined;

/** Bundles once per process; every caller shares that one build. A failed build is tried again on the next call. */
export async function buildClientBundle(): Promise<ClientBundle> {
  pending ??= bundle().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return await pending;
}

async function bundle(): Promise<ClientBundle> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    // esbuild throws on errors; warnings are not worth a line on the server's stderr.
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote no output for ${entryPoint}`);
  const code = output.text;
  return { code, etag: `"${createHash('sha256').update(code).digest('base64url')}"` };
}
