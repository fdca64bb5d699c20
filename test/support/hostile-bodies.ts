import fc from 'fast-check';
import { fieldNames } from '../../src/domain/input/registration.js';
import { FORM_BODY_LIMIT_BYTES, FORM_FIELD_LIMIT, FORM_VALUE_LIMIT } from '../../src/web/form-guard.js';
import { hostileText, markup } from './hostile-text.js';
import { SITE_ORIGIN } from './visitor.js';

/**
 * Hostile request bodies for the portal's form endpoints (the hardening issue's fuzz
 * suite): described as plain records, so a counterexample reads as what was sent, and
 * built into bytes with the token of the visitor's page placed as the spec says. With
 * each body comes what the form guard must answer, restated from its contract: bounded
 * size, number and length; first value of a field wins; this cookie's token.
 */

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A name or value as sent: text (percent-encoded as UTF-8), raw bytes, literal escapes, or a long run of one character. */
export type Piece = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: number[] } | { kind: 'escapes'; escapes: string } | { kind: 'long'; char: string; times: number };
/** Where the form token goes: its own page's, at the end or first; none; forged; forged first; as `_csrf[]`; another visitor's. */
export type CsrfPlacement = 'last' | 'first' | 'missing' | 'forged' | 'forgedFirst' | 'bracketed' | 'foreign';
export interface Entry {
  name: Piece;
  value: Piece;
  isBeforeReal: boolean;
}
export interface Part {
  name: string;
  value: Piece;
  filename: string | undefined;
}
export type BodySpec =
  | { kind: 'form'; contentType: string; isReal: boolean; entries: Entry[]; csrf: CsrfPlacement }
  | { kind: 'ownFormWith'; replaced: { field: number; value: Piece }[]; csrf: CsrfPlacement }
  | { kind: 'rawBytes'; bytes: number[]; csrf: CsrfPlacement }
  | { kind: 'oversized'; extra: number; declared: 'honest' | 'understated' | 'absent' }
  | { kind: 'atLimit' }
  | { kind: 'declared'; contentLength: string }
  | { kind: 'otherType'; contentType: string | undefined; syntax: 'json' | 'form' }
  | { kind: 'multipart'; boundary: string; parts: Part[]; damage: 'none' | 'badBoundary' | 'truncated' | 'unclosed' | 'noBoundary'; cut: number; csrf: CsrfPlacement }
  | { kind: 'manyFields'; count: number }
  | { kind: 'longName'; length: number }
  | { kind: 'brokenStream' }
  | { kind: 'empty' };

const realNames = [...fieldNames, 'applicationPassword', 'applicationPasswordConfirm', 'email', 'password', 'certificateCode', 'certificateId', 'submissionKey', 'acceptanceNumber'];
const nameText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...realNames) },
  { weight: 2, arbitrary: fc.constantFrom('a[]', 'a[b]', 'email[]', '_csrf[]', '_CSRF', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'a.b', 'a b', 'é', '', '0', 'submissionKey[]', 'n'.repeat(64)) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 300 }).map((n) => 'n'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => s !== '_csrf') },
);
const escapes = fc.array(fc.constantFrom('%FF', '%FE', '%C3%28', '%ED%A0%80', '%ED%B0%80', '%F0%9F', '%E0%A4%A', '%00', '%0D%0A', '%', '%G1', '%2', '+', '%2B', '%26', '%3D', '%C0%AF', '%F4%90%80%80', '%3Cscript%3Efz'), { minLength: 1, maxLength: 6 });
const rawBytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x00, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x26, 0x3d, 0x25, 0x2b, 0x0a)), { maxLength: 24 });
export const valuePiece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 4, arbitrary: hostileText.map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: markup.map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: rawBytes.map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  { weight: 1, arbitrary: escapes.map((e) => ({ kind: 'escapes' as const, escapes: e.join('') })) },
  // Around the value limit, which counts UTF-16 units: 𠮷 is two of them.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('long' as const), char: fc.constantFrom('a', 'あ', '𠮷', '%'), times: fc.constantFrom(300, FORM_VALUE_LIMIT / 2, FORM_VALUE_LIMIT, FORM_VALUE_LIMIT + 1) }) },
);
export const namePiece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: nameText.map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: escapes.map((e) => ({ kind: 'escapes' as const, escapes: e.join('') })) },
);
const csrfPlacement = fc.constantFrom<CsrfPlacement>('last', 'last', 'last', 'first', 'first', 'missing', 'forged', 'forgedFirst', 'bracketed', 'foreign');

export const bodySpec: fc.Arbitrary<BodySpec> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('form' as const),
      contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8', 'APPLICATION/X-WWW-FORM-URLENCODED', 'application/x-www-form-urlencoded;charset=shift_jis'),
      isReal: fc.boolean(),
      entries: fc.array(fc.record({ name: namePiece, value: valuePiece, isBeforeReal: fc.boolean() }), { maxLength: 6 }),
      csrf: csrfPlacement,
    }),
  },
  // The endpoint's own form with one to three of its fields hostile: what reaches the handler's logic.
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('ownFormWith' as const), replaced: fc.array(fc.record({ field: fc.nat(), value: valuePiece }), { minLength: 1, maxLength: 3 }), csrf: csrfPlacement }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rawBytes' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }), csrf: csrfPlacement }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('oversized' as const), extra: fc.integer({ min: 1, max: 8192 }), declared: fc.constantFrom('honest', 'understated', 'absent') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'atLimit' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('declared' as const),
      contentLength: fc.constantFrom(String(FORM_BODY_LIMIT_BYTES + 1), String(FORM_BODY_LIMIT_BYTES), '99999999999999999999', 'abc', '-1', '1e3', '0x10', '', '1.5', 'Infinity', '12, 12'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('otherType' as const),
      contentType: fc.constantFrom('application/json', 'text/plain', undefined, 'text/html', 'application/xml', 'multipart/mixed; boundary=x', 'application/x-www-form-urlencoded-but-not', 'form-data'),
      syntax: fc.constantFrom('json', 'form'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('multipart' as const),
      boundary: fc.constantFrom('----certdeskFuzz7MA4YWxkTrZu0gW', '----WebKitFormBoundaryABCDEFGHijklmnop', 'x', 'b'.repeat(70)),
      parts: fc.array(fc.record({ name: fc.oneof(nameText, fc.constantFrom('a"b', 'a\r\nb', 'ü')), value: valuePiece, filename: fc.option(fc.constantFrom('a.txt', '', 'ü.bin', 'x"y'), { nil: undefined }) }), { maxLength: 5 }),
      damage: fc.constantFrom('none', 'none', 'badBoundary', 'truncated', 'unclosed', 'noBoundary'),
      cut: fc.nat(),
      csrf: csrfPlacement,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('manyFields' as const), count: fc.constantFrom(FORM_FIELD_LIMIT - 2, FORM_FIELD_LIMIT - 1, FORM_FIELD_LIMIT, FORM_FIELD_LIMIT + 50, 1000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('longName' as const), length: fc.constantFrom(64, 65, 1000, 30_000) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'brokenStream' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
);

/** Origin and Sec-Fetch-Site as browsers send them, and as forgers and tools do. */
export const originHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Record<string, string>>({ origin: SITE_ORIGIN }, { 'sec-fetch-site': 'same-origin' }, { origin: 'null', 'sec-fetch-site': 'same-origin' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Record<string, string>>(
      { origin: 'null' },
      { origin: 'http://evil.example' },
      { origin: SITE_ORIGIN, 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'none' },
      {},
      { origin: `${SITE_ORIGIN}/` },
      { origin: 'http://127.0.0.1:3000.evil.example' },
    ),
  },
);
export const isSameOrigin = (h: Record<string, string>) => h['sec-fetch-site'] === 'same-origin' || (h['sec-fetch-site'] === undefined && h['origin'] === SITE_ORIGIN);

/** Cookie headers other than the visitor's own. */
export const brokenCookies = fc.constantFrom(
  '',
  'lang=en; lang=ja',
  'lang=fr',
  'lang="en"',
  ';;=; ==',
  'certdesk=abc',
  '%%%; lang=%zz',
  `lang=en; ${'x'.repeat(3000)}=1`,
);

export const linkSegment = fc.oneof(
  fc.constant('real'),
  fc.constantFrom('%FF', '%00', '%2F..%2Fsession%2Fend', '%E0%A4%A', '..', '%3Cscript%3Efz%3C%2Fscript%3E', 'a'.repeat(2000), '%0D%0ALocation:%20http://evil.example', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
  fc.string({ unit: 'binary', maxLength: 20 }).map(percentEncode),
);

export function percentEncode(s: string): string {
  return [...new TextEncoder().encode(s)].map((b) => (/[A-Za-z0-9*\-._]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0) & 0xff);
function pieceBytes(piece: Piece): number[] {
  switch (piece.kind) {
    case 'text':
      return ascii(percentEncode(piece.text));
    case 'bytes':
      return piece.bytes;
    case 'escapes':
      return ascii(piece.escapes);
    case 'long':
      return ascii(percentEncode(piece.char.repeat(piece.times)));
  }
}
const utf8 = (s: string) => [...new TextEncoder().encode(s)];

export interface Built {
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  headers: Record<string, string>;
  isStreamed: boolean;
  /** What the form guard must answer whatever the token: a status, or 'fields' to judge by the parsed fields. */
  guard: number | 'fields';
  fields: [string, FormDataEntryValue][];
}

/** The form guard's contract for an URL-encoded or multipart body, restated: bounded, first value wins, this cookie's token. */
export function guardVerdict(entries: [string, FormDataEntryValue][], token: string | undefined): number | 'pass' {
  const seen = new Set<string>();
  let csrf: string | undefined;
  let count = 0;
  for (const [name, value] of entries) {
    count += 1;
    if (count > FORM_FIELD_LIMIT) return 413;
    if (!/^[A-Za-z0-9_]{1,64}$/.test(name) || typeof value !== 'string' || seen.has(name)) continue;
    if (value.length > FORM_VALUE_LIMIT) return 413;
    seen.add(name);
    if (name === '_csrf') csrf = value;
  }
  return token !== undefined && csrf === token ? 'pass' : 403;
}

/** The entries of a form body in its placement of the token. */
function withCsrf(entries: number[][], placement: CsrfPlacement, token: string | undefined, foreign: string): number[][] {
  const pair = (value: string) => ascii(`_csrf=${percentEncode(value)}`);
  const forged = 'Zm9yZ2VkLXRva2VuLWZvcmdlZC10b2tlbi1mb3JnZWQ';
  switch (placement) {
    case 'last':
      return token === undefined ? entries : [...entries, pair(token)];
    case 'first':
      return token === undefined ? entries : [pair(token), ...entries];
    case 'missing':
      return entries;
    case 'forged':
      return [...entries, pair(forged)];
    case 'forgedFirst':
      return [pair(forged), ...entries, ...(token === undefined ? [] : [pair(token)])];
    case 'bracketed':
      return [...entries, ascii(`_csrf%5B%5D=${token ?? forged}`)];
    case 'foreign':
      return [...entries, pair(foreign)];
  }
}

const joinEntries = (entries: number[][]) => new Uint8Array(entries.flatMap((e, i) => (i === 0 ? e : [0x26, ...e])));

export async function buildBody(spec: BodySpec, token: string | undefined, foreign: string, real: Record<string, string>): Promise<Built> {
  const realEntries = () => Object.entries(real).map(([k, v]) => ascii(`${percentEncode(k)}=${percentEncode(v)}`));
  const decodeForm = (bytes: Uint8Array) => [...new URLSearchParams(new TextDecoder().decode(bytes)).entries()] as [string, FormDataEntryValue][];
  const form = (bytes: Uint8Array<ArrayBuffer>, contentType = FORM_TYPE): Built => ({
    body: bytes,
    headers: { 'content-type': contentType },
    isStreamed: false,
    guard: bytes.byteLength > FORM_BODY_LIMIT_BYTES ? 413 : 'fields',
    fields: decodeForm(bytes),
  });
  switch (spec.kind) {
    case 'form': {
      const generated = (before: boolean) => spec.entries.filter((e) => e.isBeforeReal === before).map((e) => [...pieceBytes(e.name), 0x3d, ...pieceBytes(e.value)]);
      const entries = [...generated(true), ...(spec.isReal ? realEntries() : []), ...generated(false)];
      return form(joinEntries(withCsrf(entries, spec.csrf, token, foreign)), spec.contentType);
    }
    case 'ownFormWith': {
      const own = Object.entries(real);
      const values = own.map(([, v]) => ascii(percentEncode(v)));
      for (const { field, value } of spec.replaced) if (own.length > 0) values[field % own.length] = pieceBytes(value);
      const entries = own.length > 0 ? own.map(([k], i) => [...ascii(`${percentEncode(k)}=`), ...values[i]!]) : spec.replaced.map(({ value }) => [...ascii('x='), ...pieceBytes(value)]);
      return form(joinEntries(withCsrf(entries, spec.csrf, token, foreign)));
    }
    case 'rawBytes':
      return form(joinEntries(withCsrf([spec.bytes], spec.csrf, token, foreign)));
    case 'oversized': {
      const size = FORM_BODY_LIMIT_BYTES + spec.extra;
      const head = ascii(`_csrf=${token ?? ''}&pad=`);
      const bytes = new Uint8Array(size).fill(0x61);
      bytes.set(head);
      const headers: Record<string, string> = { 'content-type': FORM_TYPE };
      if (spec.declared === 'honest') headers['content-length'] = String(size);
      if (spec.declared === 'understated') headers['content-length'] = '1000';
      if (spec.declared !== 'absent') return { body: bytes, headers, isStreamed: false, guard: 413, fields: [] };
      const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
        start(controller) {
          for (let at = 0; at < size; at += 16_384) controller.enqueue(bytes.subarray(at, at + 16_384));
          controller.close();
        },
      });
      return { body: stream, headers, isStreamed: true, guard: 413, fields: [] };
    }
    case 'atLimit': {
      const entries = withCsrf(realEntries(), 'first', token, foreign);
      let used = joinEntries(entries).length;
      for (let i = 0; used < FORM_BODY_LIMIT_BYTES; i++) {
        const room = FORM_BODY_LIMIT_BYTES - used - 1 - `p${i}=`.length;
        const entry = ascii(`p${i}=${'x'.repeat(Math.max(0, Math.min(FORM_VALUE_LIMIT, room)))}`);
        if (room < 0) break;
        entries.push(entry);
        used += entry.length + 1;
      }
      return form(joinEntries(entries));
    }
    case 'declared': {
      const built = form(joinEntries(withCsrf(realEntries(), 'last', token, foreign)));
      const declared = Number(spec.contentLength.trim());
      return { ...built, headers: { ...built.headers, 'content-length': spec.contentLength }, guard: declared <= FORM_BODY_LIMIT_BYTES ? built.guard : 413 };
    }
    case 'otherType': {
      const fields = { ...real, _csrf: token ?? '' };
      const bytes = new Uint8Array(utf8(spec.syntax === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString()));
      return { body: bytes, headers: spec.contentType === undefined ? {} : { 'content-type': spec.contentType }, isStreamed: false, guard: 403, fields: [] };
    }
    case 'multipart': {
      const parts = [...spec.parts];
      const csrfValue = { last: token, first: token, missing: undefined, forged: 'Zm9yZ2Vk', forgedFirst: 'Zm9yZ2Vk', bracketed: undefined, foreign }[spec.csrf];
      const csrfPart = csrfValue === undefined ? [] : [{ name: '_csrf', value: { kind: 'text' as const, text: csrfValue }, filename: undefined }];
      const ordered = spec.csrf === 'first' || spec.csrf === 'forgedFirst' ? [...csrfPart, ...parts] : [...parts, ...csrfPart];
      const b = spec.boundary;
      const bytes: number[] = [];
      for (const part of ordered) {
        const value = { text: () => utf8(part.value.kind === 'text' ? part.value.text : ''), bytes: () => (part.value.kind === 'bytes' ? part.value.bytes : []), escapes: () => ascii(part.value.kind === 'escapes' ? part.value.escapes : ''), long: () => utf8(part.value.kind === 'long' ? part.value.char.repeat(part.value.times) : '') }[part.value.kind]();
        const file = part.filename === undefined ? '' : `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
        bytes.push(...utf8(`--${b}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n\r\n`), ...value, ...ascii('\r\n'));
      }
      if (spec.damage !== 'unclosed') bytes.push(...ascii(`--${b}--\r\n`));
      const body = new Uint8Array(spec.damage === 'truncated' ? bytes.slice(0, spec.cut % Math.max(bytes.length, 1)) : bytes);
      const contentType = { none: `multipart/form-data; boundary=${b}`, truncated: `multipart/form-data; boundary=${b}`, unclosed: `multipart/form-data; boundary=${b}`, badBoundary: `multipart/form-data; boundary=${b}z`, noBoundary: 'multipart/form-data' }[spec.damage];
      const fields: [string, FormDataEntryValue][] = [];
      try {
        const parsed = await new Response(body, { headers: { 'content-type': contentType } }).formData();
        parsed.forEach((value, name) => fields.push([name, value]));
      } catch {
        return { body, headers: { 'content-type': contentType }, isStreamed: false, guard: 400, fields };
      }
      return { body, headers: { 'content-type': contentType }, isStreamed: false, guard: 'fields', fields };
    }
    case 'manyFields':
      return form(joinEntries(withCsrf(Array.from({ length: spec.count }, (_, i) => ascii(`f${i}=v`)), 'last', token, foreign)));
    case 'longName':
      return form(joinEntries(withCsrf([ascii(`${'n'.repeat(spec.length)}=v`), ...realEntries()], 'last', token, foreign)));
    case 'brokenStream': {
      const stream = new ReadableStream<Uint8Array<ArrayBuffer>>({
        pull(controller) {
          controller.enqueue(new Uint8Array(ascii(`_csrf=${token ?? ''}&email=`)));
          controller.error(new Error('the client went away'));
        },
      });
      return { body: stream, headers: { 'content-type': FORM_TYPE }, isStreamed: true, guard: 400, fields: [] };
    }
    case 'empty':
      return form(new Uint8Array());
  }
}

