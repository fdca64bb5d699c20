import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { resolve } from 'node:path';
import type { Handle, PKCS11, Template } from 'pkcs11js';
import { ConfigurationProblem } from '../../configuration-problem.js';
import {
  encodeBitString,
  encodeNull,
  encodeObjectIdentifier,
  encodeSequence,
  encodeUnsignedInteger,
  readDerElement,
  toArrayBuffer,
  decodeObjectIdentifier,
} from '../der.js';
import { namedCurveOids, publicKeyAlgorithmOids } from '../oids.js';
import type { SignatureHash } from '../signature-algorithm.js';
import { webCrypto } from '../webcrypto.js';
import { signatureAlgorithmForKey, type CaSigner } from './signer.js';

/**
 * A CA key in a PKCS#11 token (SPEC §4; SoftHSM2 in tests) behind {@link CaSigner}.
 *
 * - The PIN comes from an environment variable whose NAME the caller gives
 *   (`pinVariable`); it is never stored, logged or put in an error message.
 * - One logged-in session pool per signer. A PKCS#11 session runs one operation at a
 *   time (C_SignInit … C_Sign), so each sign() takes a session for itself and gives
 *   it back; more sign() calls than sessions wait in line. C_Sign runs on the libuv
 *   thread pool (pkcs11js's C_SignAsync), so the event loop never waits for the token.
 * - ECDSA: the hash is computed here and the token signs it with CKM_ECDSA, which
 *   returns r‖s, the form CaSigner promises. RSA: CKM_SHA256_RSA_PKCS (PKCS#1 v1.5).
 * - The public key is read from the token's public key object and imported into
 *   WebCrypto; on opening, one signature over random bytes must verify under it, so a
 *   private and public object that share an id but not a key pair are refused.
 *
 * PKCS#11 allows one C_Initialize per library and process, and a login belongs to
 * the application, not to a session. So the loaded libraries and the logins are
 * process-wide here (the one module-level state of ca/, by necessity), counted by
 * their users: the last signer of a library to close finalises it.
 */

/** The process environment, or the part of it a token's PIN variable is read from. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Which token: its index among the slots that hold a token (the order of
 * C_GetSlotList(true), as pkcs11-tool's --slot-index counts), or its label. Slot
 * indexes move when tokens come and go, so a CA records the label (and serial).
 */
export type Pkcs11TokenSelector = { readonly slotIndex: number } | { readonly tokenLabel: string; readonly tokenSerial?: string };

export interface Pkcs11Token {
  /** The PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  readonly modulePath: string;
  readonly token: Pkcs11TokenSelector;
  /** The NAME of the environment variable holding the user PIN, e.g. CA_TOKEN_PIN. */
  readonly pinVariable: string;
}

/** A key in a token: found by its label, its id (CKA_ID, hex) or both. */
export interface Pkcs11KeyReference extends Pkcs11Token {
  readonly keyLabel?: string;
  readonly keyIdHex?: string;
}

export interface Pkcs11Signer extends CaSigner {
  /** The token's label and serial number as the token reports them (trailing blanks removed). */
  readonly tokenLabel: string;
  readonly tokenSerial: string;
  readonly keyLabel: string;
  readonly keyIdHex: string;
  /** Waits for the signatures under way, then closes the sessions; later sign() calls fail. */
  close(): Promise<void>;
}

export interface Pkcs11SignerOptions {
  /** Where the PIN variable is read. */
  readonly env: Environment;
  /** Sessions in the pool, i.e. signatures at once; default {@link defaultSessionCount}. */
  readonly sessions?: number;
}

/** As many as libuv's default thread pool runs at once. */
export const defaultSessionCount = 4;

export type Pkcs11Curve = 'P-256' | 'P-384';

export interface NewPkcs11Key {
  readonly keyLabel: string;
  /** CKA_ID in hex; default 16 random bytes. */
  readonly keyIdHex?: string;
  /** Default P-256. */
  readonly curve?: Pkcs11Curve;
}

/** Opens the private key `key` names and the public key with its id. */
export async function openPkcs11Signer(key: Pkcs11KeyReference, options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  if (key.keyLabel === undefined && key.keyIdHex === undefined) {
    throw new Error('a PKCS#11 key is found by its label, its id or both; neither was given');
  }
  const sessionCount = options.sessions ?? defaultSessionCount;
  if (!Number.isSafeInteger(sessionCount) || sessionCount < 1) {
    throw new Error(`a PKCS#11 signer needs at least one session, not ${sessionCount}`);
  }
  const connection = await connect(key, options.env);
  const sessions = [connection.session];
  try {
    const found = findKeyPair(connection, key);
    const publicKey = await webCrypto.subtle.importKey('spki', toArrayBuffer(found.spki), found.importAlgorithm, true, ['verify']);
    const algorithm = signatureAlgorithmForKey(publicKey);
    for (let opened = 1; opened < sessionCount; opened++) {
      sessions.push(connection.openSession());
    }
    const pool = new SessionPool(sessions);
    const { lib, pkcs11 } = connection.module;
    // CKM_ECDSA signs what it is given: the digest, by the hash the curve goes with (S/MIME BR 7.1.3.2).
    // CKM_SHA256_RSA_PKCS hashes in the token.
    const mechanism = found.keyType === 'EC' ? lib.CKM_ECDSA : lib.CKM_SHA256_RSA_PKCS;
    const digestName = algorithm.name === 'ECDSA' ? nodeHashNames[algorithm.hash] : undefined;
    const inputOf = (data: ArrayBuffer): Buffer =>
      digestName === undefined ? Buffer.from(new Uint8Array(data)) : createHash(digestName).update(new Uint8Array(data)).digest();
    const describeKey = `PKCS#11 key "${found.keyLabel}" (id ${found.keyIdHex}) on token "${connection.tokenLabel}"`;
    let closing: Promise<void> | undefined;
    const signer: Pkcs11Signer = {
      publicKey,
      algorithm,
      tokenLabel: connection.tokenLabel,
      tokenSerial: connection.tokenSerial,
      keyLabel: found.keyLabel,
      keyIdHex: found.keyIdHex,
      async sign(data) {
        if (closing !== undefined) throw new Error(`${describeKey}: the signer is closed`);
        const input = inputOf(data);
        try {
          return await pool.use(async (session) => {
            pkcs11.C_SignInit(session, { mechanism }, found.privateKey);
            // C_Sign ends the operation whether it succeeds or fails (PKCS#11 5.13), so the session goes back clean.
            const signature = await pkcs11.C_SignAsync(session, input, Buffer.alloc(found.signatureBytes));
            return toArrayBuffer(new Uint8Array(signature));
          });
        } catch (cause) {
          throw new Error(`signing with ${describeKey}`, { cause });
        }
      },
      close() {
        closing ??= pool.drain().then(() => connection.release(sessions));
        return closing;
      },
    };
    await assertKeyPair(signer, describeKey);
    return signer;
  } catch (error) {
    connection.release(sessions);
    throw error;
  }
}

/**
 * Generates an EC key pair in the token (CKM_EC_KEY_PAIR_GEN): both objects on the token
 * (CKA_TOKEN), the private key sensitive, never extractable and for signing only; then
 * opens it. Refuses a label or id the token already holds.
 */
export async function generatePkcs11KeyPair(token: Pkcs11Token, key: NewPkcs11Key, options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const keyIdHex = key.keyIdHex ?? randomBytes(16).toString('hex');
  if (!/^(?:[0-9a-f]{2})+$/.test(keyIdHex)) throw new Error(`a PKCS#11 key id is hex bytes, not ${JSON.stringify(keyIdHex)}`);
  if (key.keyLabel.length === 0) throw new Error('a new PKCS#11 key needs a label');
  const curve = key.curve ?? 'P-256';
  const connection = await connect(token, options.env);
  const { lib, pkcs11 } = connection.module;
  // Objects are created in a read/write session (PKCS#11 5.6); the pool's sessions stay read-only.
  const session = connection.openSession(lib.CKF_RW_SESSION);
  try {
    const id = Buffer.from(keyIdHex, 'hex');
    const clashes = [
      ...findObjects(pkcs11, session, [{ type: lib.CKA_LABEL, value: key.keyLabel }]),
      ...findObjects(pkcs11, session, [{ type: lib.CKA_ID, value: id }]),
    ];
    if (clashes.length > 0) {
      throw new ConfigurationProblem(`token "${connection.tokenLabel}" already holds an object labelled "${key.keyLabel}" or with id ${keyIdHex}`);
    }
    const common: Template = [
      { type: lib.CKA_TOKEN, value: true },
      { type: lib.CKA_LABEL, value: key.keyLabel },
      { type: lib.CKA_ID, value: id },
    ];
    let pair;
    try {
      pair = await pkcs11.C_GenerateKeyPairAsync(
        session,
        { mechanism: lib.CKM_EC_KEY_PAIR_GEN },
        [...common, { type: lib.CKA_PRIVATE, value: false }, { type: lib.CKA_VERIFY, value: true }, { type: lib.CKA_EC_PARAMS, value: Buffer.from(encodeObjectIdentifier(namedCurveOids[curve])) }],
        [
          ...common,
          { type: lib.CKA_PRIVATE, value: true },
          { type: lib.CKA_SENSITIVE, value: true },
          { type: lib.CKA_EXTRACTABLE, value: false },
          { type: lib.CKA_SIGN, value: true },
          { type: lib.CKA_DECRYPT, value: false },
          { type: lib.CKA_DERIVE, value: false },
        ],
      );
    } catch (cause) {
      throw new Error(`generating a ${curve} key pair on token "${connection.tokenLabel}"`, { cause });
    }
    // A token may ignore a template attribute it does not support: check what it made.
    const made = pkcs11.C_GetAttributeValue(session, pair.privateKey, [
      { type: lib.CKA_TOKEN },
      { type: lib.CKA_SENSITIVE },
      { type: lib.CKA_EXTRACTABLE },
      { type: lib.CKA_NEVER_EXTRACTABLE },
    ]);
    const [isOnToken, isSensitive, isExtractable, isNeverExtractable] = made.map((attribute) => attribute.value[0] === 1);
    if (isOnToken !== true || isSensitive !== true || isExtractable !== false || isNeverExtractable !== true) {
      pkcs11.C_DestroyObject(session, pair.privateKey);
      pkcs11.C_DestroyObject(session, pair.publicKey);
      throw new Error(`token "${connection.tokenLabel}" did not make key "${key.keyLabel}" a sensitive, never-extractable token object`);
    }
    // Opened while this connection still holds the library and the login, so neither is set up twice.
    return await openPkcs11Signer({ ...token, keyLabel: key.keyLabel, keyIdHex }, options);
  } finally {
    connection.closeSession(session);
    connection.release([connection.session]);
  }
}

/** An environment variable name, as a PIN variable must be. */
export const environmentVariablePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

// ---------------------------------------------------------------------------------------------
// Libraries and logins, shared by every signer of the process.

type Pkcs11Js = typeof import('pkcs11js');

interface LoadedModule {
  readonly path: string;
  readonly lib: Pkcs11Js;
  readonly pkcs11: PKCS11;
  /** False when something else in the process had initialised it: then we never finalise it. */
  readonly isInitialisedHere: boolean;
  users: number;
  /** Per slot (hex of its id): who is logged in, by an HMAC of the PIN they used. */
  readonly logins: Map<string, SlotLogin>;
}

interface SlotLogin {
  readonly pinDigest: Buffer;
  users: number;
}

const loadedModules = new Map<string, LoadedModule>();
/** Keys the PIN digests: a digest means nothing outside this process. */
const pinDigestKey = randomBytes(32);
let pkcs11js: Promise<Pkcs11Js> | undefined;

/** pkcs11js is a native addon: loaded only when a token is used, so key-file CAs never need it built. */
function loadPkcs11js(): Promise<Pkcs11Js> {
  pkcs11js ??= import('pkcs11js').then(
    (imported) => imported.default,
    (cause: unknown) => {
      throw new Error('loading pkcs11js, the PKCS#11 addon (built by npm ci with node-gyp; `npm rebuild pkcs11js` builds it again)', { cause });
    },
  );
  return pkcs11js;
}

function acquireModule(lib: Pkcs11Js, modulePath: string): LoadedModule {
  const path = resolve(modulePath);
  const loaded = loadedModules.get(path);
  if (loaded !== undefined) {
    loaded.users += 1;
    return loaded;
  }
  const pkcs11 = new lib.PKCS11();
  try {
    pkcs11.load(path);
  } catch (cause) {
    throw new ConfigurationProblem(`cannot load the PKCS#11 module ${path}: ${describeError(cause)}`);
  }
  let isInitialisedHere = true;
  try {
    // OS locking: our sessions sign on several libuv threads at once.
    pkcs11.C_Initialize({ flags: lib.CKF_OS_LOCKING_OK });
  } catch (cause) {
    if (!hasReturnValue(cause, lib.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
      pkcs11.close();
      throw new Error(`initialising the PKCS#11 module ${path}`, { cause });
    }
    isInitialisedHere = false;
  }
  const module: LoadedModule = { path, lib, pkcs11, isInitialisedHere, users: 1, logins: new Map() };
  loadedModules.set(path, module);
  return module;
}

function releaseModule(module: LoadedModule): void {
  module.users -= 1;
  if (module.users > 0) return;
  loadedModules.delete(module.path);
  if (module.isInitialisedHere) module.pkcs11.C_Finalize();
  module.pkcs11.close();
}

interface TokenConnection {
  readonly module: LoadedModule;
  readonly tokenLabel: string;
  readonly tokenSerial: string;
  /** A logged-in session of this connection. */
  readonly session: Handle;
  /** Another session on the token (logged in too: a login covers all the application's sessions). */
  openSession(flags?: number): Handle;
  closeSession(session: Handle): void;
  /** Closes `sessions`, gives up the login and the library. */
  release(sessions: readonly Handle[]): void;
}

/** Loads the library, finds the token, opens a session and logs in with the PIN from `env`. */
async function connect(token: Pkcs11Token, env: Environment): Promise<TokenConnection> {
  if (!environmentVariablePattern.test(token.pinVariable)) {
    throw new ConfigurationProblem(`the PKCS#11 PIN variable must be an environment variable name, not ${JSON.stringify(token.pinVariable)}`);
  }
  const pin = env[token.pinVariable];
  if (pin === undefined || pin.length === 0) {
    throw new ConfigurationProblem(`${token.pinVariable} is not set: it holds the PIN of PKCS#11 token ${describeSelector(token.token)}`);
  }
  const lib = await loadPkcs11js();
  const module = acquireModule(lib, token.modulePath);
  const { pkcs11 } = module;
  let session: Handle | undefined;
  let login: SlotLogin | undefined;
  let slotKey = '';
  try {
    const { slot, tokenLabel, tokenSerial } = findToken(module, token.token);
    slotKey = slot.toString('hex');
    const openSession = (flags = 0): Handle => pkcs11.C_OpenSession(slot, lib.CKF_SERIAL_SESSION | flags);
    session = openSession();
    const pinDigest = createHmac('sha256', pinDigestKey).update(pin).digest();
    const refused = () => new ConfigurationProblem(`PKCS#11 token "${tokenLabel}" refused the PIN in ${token.pinVariable}`);
    login = module.logins.get(slotKey);
    if (login !== undefined) {
      // Already logged in by another signer: C_Login would answer CKR_USER_ALREADY_LOGGED_IN without checking this PIN.
      if (!timingSafeEqual(login.pinDigest, pinDigest)) {
        login = undefined;
        throw refused();
      }
      login.users += 1;
    } else {
      try {
        pkcs11.C_Login(session, lib.CKU_USER, pin);
      } catch (cause) {
        if (hasReturnValue(cause, lib.CKR_PIN_INCORRECT) || hasReturnValue(cause, lib.CKR_PIN_LEN_RANGE)) throw refused();
        if (hasReturnValue(cause, lib.CKR_PIN_LOCKED)) throw new ConfigurationProblem(`the user PIN of PKCS#11 token "${tokenLabel}" is locked`);
        // Logged in by something else in this process (not a signer of ours): its login serves us
        // too, and this PIN went unchecked; the token checked it when that login was made.
        if (!hasReturnValue(cause, lib.CKR_USER_ALREADY_LOGGED_IN)) throw new Error(`logging in to PKCS#11 token "${tokenLabel}"`, { cause });
      }
      login = { pinDigest, users: 1 };
      module.logins.set(slotKey, login);
    }
    const heldLogin = login;
    const closeSession = (handle: Handle): void => pkcs11.C_CloseSession(handle);
    return {
      module,
      tokenLabel,
      tokenSerial,
      session,
      openSession,
      closeSession,
      release(sessions) {
        const errors: unknown[] = [];
        for (const handle of sessions) {
          try {
            closeSession(handle);
          } catch (error) {
            errors.push(error);
          }
        }
        heldLogin.users -= 1;
        // When its last session closes, the token logs the application out (PKCS#11 5.6).
        if (heldLogin.users === 0) module.logins.delete(slotKey);
        releaseModule(module);
        if (errors.length > 0) throw new AggregateError(errors, `closing sessions on PKCS#11 token "${tokenLabel}"`);
      },
    };
  } catch (error) {
    if (session !== undefined) pkcs11.C_CloseSession(session);
    if (login !== undefined && (login.users -= 1) === 0) module.logins.delete(slotKey);
    releaseModule(module);
    throw error;
  }
}

function findToken(module: LoadedModule, selector: Pkcs11TokenSelector): { slot: Handle; tokenLabel: string; tokenSerial: string } {
  const { lib, pkcs11 } = module;
  const tokens = pkcs11.C_GetSlotList(true).map((slot) => {
    const info = pkcs11.C_GetTokenInfo(slot);
    return {
      slot,
      tokenLabel: info.label.trimEnd(),
      tokenSerial: info.serialNumber.trimEnd(),
      isInitialised: (info.flags & lib.CKF_TOKEN_INITIALIZED) !== 0,
    };
  });
  const initialised = tokens.filter((token) => token.isInitialised);
  const known = () => (initialised.length === 0 ? 'none' : initialised.map((token) => `"${token.tokenLabel}"`).join(', '));
  let found;
  if ('slotIndex' in selector) {
    found = tokens[selector.slotIndex];
    if (found === undefined) {
      throw new ConfigurationProblem(`no PKCS#11 token at slot index ${selector.slotIndex} of ${module.path}: ${tokens.length} slots hold a token`);
    }
  } else {
    const matching = initialised.filter(
      (token) => token.tokenLabel === selector.tokenLabel && (selector.tokenSerial === undefined || token.tokenSerial === selector.tokenSerial),
    );
    if (matching.length !== 1) {
      throw new ConfigurationProblem(
        `${matching.length === 0 ? 'no' : matching.length} PKCS#11 tokens labelled ${describeSelector(selector)} in ${module.path} (tokens: ${known()})`,
      );
    }
    found = matching[0];
  }
  if (found === undefined || !found.isInitialised) {
    throw new ConfigurationProblem(`the PKCS#11 token ${describeSelector(selector)} of ${module.path} is not initialised`);
  }
  return found;
}

function describeSelector(selector: Pkcs11TokenSelector): string {
  if ('slotIndex' in selector) return `at slot index ${selector.slotIndex}`;
  return `"${selector.tokenLabel}"${selector.tokenSerial === undefined ? '' : ` (serial ${selector.tokenSerial})`}`;
}

// ---------------------------------------------------------------------------------------------
// Keys.

interface FoundKeyPair {
  readonly privateKey: Handle;
  readonly keyLabel: string;
  readonly keyIdHex: string;
  readonly keyType: 'EC' | 'RSA';
  readonly spki: Uint8Array<ArrayBuffer>;
  readonly importAlgorithm: EcKeyImportParams | RsaHashedImportParams;
  readonly signatureBytes: number;
}

function findKeyPair(connection: TokenConnection, key: Pkcs11KeyReference): FoundKeyPair {
  const { lib, pkcs11 } = connection.module;
  const { session } = connection;
  const describeKey = [key.keyLabel === undefined ? '' : `labelled "${key.keyLabel}"`, key.keyIdHex === undefined ? '' : `with id ${key.keyIdHex}`]
    .filter((part) => part.length > 0)
    .join(' and ');
  const search: Template = [
    ...(key.keyLabel === undefined ? [] : [{ type: lib.CKA_LABEL, value: key.keyLabel }]),
    ...(key.keyIdHex === undefined ? [] : [{ type: lib.CKA_ID, value: Buffer.from(key.keyIdHex, 'hex') }]),
  ];
  const privateKeys = findObjects(pkcs11, session, [{ type: lib.CKA_CLASS, value: lib.CKO_PRIVATE_KEY }, ...search]);
  const [privateKey] = privateKeys;
  if (privateKey === undefined || privateKeys.length > 1) {
    throw new ConfigurationProblem(
      `${privateKeys.length === 0 ? 'no' : 'more than one'} private key ${describeKey} on PKCS#11 token "${connection.tokenLabel}"${privateKeys.length > 1 ? ': name it by its id' : ''}`,
    );
  }
  const [idAttribute, labelAttribute, typeAttribute] = pkcs11.C_GetAttributeValue(session, privateKey, [
    { type: lib.CKA_ID },
    { type: lib.CKA_LABEL },
    { type: lib.CKA_KEY_TYPE },
  ]);
  const id = idAttribute?.value ?? Buffer.alloc(0);
  const keyLabel = labelAttribute?.value.toString('utf8') ?? '';
  const keyTypeValue = typeAttribute === undefined ? -1 : readUlong(typeAttribute.value);
  const keyType = keyTypeValue === lib.CKK_EC ? 'EC' : keyTypeValue === lib.CKK_RSA ? 'RSA' : undefined;
  if (keyType === undefined) {
    throw new ConfigurationProblem(`PKCS#11 key ${describeKey} on token "${connection.tokenLabel}" is neither EC nor RSA (CKK ${keyTypeValue})`);
  }
  // The public key object that goes with it: same id (PKCS#11 4.4, CKA_ID), else same label.
  const publicKeys = findObjects(pkcs11, session, [
    { type: lib.CKA_CLASS, value: lib.CKO_PUBLIC_KEY },
    id.length > 0 ? { type: lib.CKA_ID, value: id } : { type: lib.CKA_LABEL, value: keyLabel },
  ]);
  const [publicKey] = publicKeys;
  if (publicKey === undefined || publicKeys.length > 1) {
    throw new ConfigurationProblem(
      `${publicKeys.length === 0 ? 'no' : 'more than one'} public key with the id of private key ${describeKey} on PKCS#11 token "${connection.tokenLabel}"`,
    );
  }
  const base = { privateKey, keyLabel, keyIdHex: id.toString('hex'), keyType } as const;
  if (keyType === 'EC') {
    const [params, point] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: lib.CKA_EC_PARAMS }, { type: lib.CKA_EC_POINT }]);
    const curve = curveOf(params?.value ?? Buffer.alloc(0));
    if (curve === undefined) throw new ConfigurationProblem(`PKCS#11 key ${describeKey} is on a curve other than P-256, P-384 and P-521`);
    const ecPoint = uncompressedPointOf(point?.value ?? Buffer.alloc(0), curve.fieldBytes);
    const spki = encodeSequence([
      encodeSequence([encodeObjectIdentifier(publicKeyAlgorithmOids.ecPublicKey), encodeObjectIdentifier(namedCurveOids[curve.name])]),
      encodeBitString(ecPoint),
    ]);
    return { ...base, spki, importAlgorithm: { name: 'ECDSA', namedCurve: curve.name }, signatureBytes: 2 * curve.fieldBytes };
  }
  const [modulus, exponent] = pkcs11.C_GetAttributeValue(session, publicKey, [{ type: lib.CKA_MODULUS }, { type: lib.CKA_PUBLIC_EXPONENT }]);
  const modulusInteger = encodeUnsignedInteger(modulus?.value ?? Buffer.alloc(0));
  const spki = encodeSequence([
    encodeSequence([encodeObjectIdentifier(publicKeyAlgorithmOids.rsaEncryption), encodeNull()]),
    encodeBitString(encodeSequence([modulusInteger, encodeUnsignedInteger(exponent?.value ?? Buffer.alloc(0))])),
  ]);
  // A signature is as long as the modulus (RFC 8017 8.2.1), leading zero octets aside.
  const modulusValue = modulus?.value ?? Buffer.alloc(0);
  const leadingZeros = modulusValue.findIndex((byte) => byte !== 0);
  const modulusBytes = leadingZeros < 0 ? 0 : modulusValue.length - leadingZeros;
  return { ...base, spki, importAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, signatureBytes: modulusBytes };
}

function findObjects(pkcs11: PKCS11, session: Handle, template: Template): Handle[] {
  pkcs11.C_FindObjectsInit(session, template);
  try {
    // Two are enough to tell "exactly one" from "several".
    return pkcs11.C_FindObjects(session, 2);
  } finally {
    pkcs11.C_FindObjectsFinal(session);
  }
}

const curves = [
  { name: 'P-256', fieldBytes: 32 },
  { name: 'P-384', fieldBytes: 48 },
  { name: 'P-521', fieldBytes: 66 },
] as const;

/** CKA_EC_PARAMS: the curve's OBJECT IDENTIFIER (namedCurve of ECParameters, RFC 5480). */
function curveOf(params: Uint8Array): (typeof curves)[number] | undefined {
  let oid: string;
  try {
    const element = readDerElement(params);
    if (element.tag !== 0x06) return undefined;
    oid = decodeObjectIdentifier(element.content);
  } catch {
    // Explicit curve parameters or junk: not a curve we sign with.
    return undefined;
  }
  return curves.find((curve) => namedCurveOids[curve.name] === oid);
}

/**
 * CKA_EC_POINT is the DER OCTET STRING of the uncompressed point (PKCS#11 2.40 2.3.3);
 * some tokens give the bare point. Only the length tells them apart: 04 ‖ X ‖ Y.
 */
function uncompressedPointOf(value: Uint8Array, fieldBytes: number): Uint8Array {
  const pointBytes = 1 + 2 * fieldBytes;
  const point = value.length === pointBytes ? value : readDerElement(value).content;
  if (point.length !== pointBytes || point[0] !== 0x04) {
    throw new Error(`PKCS#11 EC point of ${point.length} bytes is not an uncompressed point on a ${fieldBytes * 8}-bit curve`);
  }
  return point;
}

/** A CK_ULONG as the library returns it: native byte order, 4 or 8 bytes. */
function readUlong(value: Buffer): number {
  if (value.length === 8) return Number(value.readBigUInt64LE());
  if (value.length === 4) return value.readUInt32LE();
  return -1;
}

const nodeHashNames: Readonly<Record<SignatureHash, string>> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** One signature over random bytes that must verify under the public key read from the token. */
async function assertKeyPair(signer: Pkcs11Signer, describeKey: string): Promise<void> {
  const probe = toArrayBuffer(randomBytes(32));
  const signature = await signer.sign(probe);
  if (!(await webCrypto.subtle.verify(signer.algorithm, signer.publicKey, signature, probe))) {
    throw new ConfigurationProblem(`${describeKey}: its private and public key objects are not one key pair`);
  }
}

function hasReturnValue(error: unknown, code: number): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

/** A library's own error text (a dlopen message, say); never holds a PIN, which never reaches these calls. */
function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------

/** Hands each operation a session of its own; the rest wait in line, first come first served. */
class SessionPool {
  private readonly idle: Handle[];
  private readonly waiting: { resolve: (session: Handle) => void; reject: (error: Error) => void }[] = [];
  private busy = 0;
  private isDraining = false;
  private drained: (() => void) | undefined;

  constructor(sessions: readonly Handle[]) {
    this.idle = [...sessions];
  }

  async use<T>(operation: (session: Handle) => Promise<T>): Promise<T> {
    const session = await this.take();
    try {
      return await operation(session);
    } finally {
      this.giveBack(session);
    }
  }

  /** Refuses new operations, lets the running ones finish (those in line too), then resolves. */
  drain(): Promise<void> {
    this.isDraining = true;
    if (this.busy === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  private take(): Promise<Handle> {
    if (this.isDraining) return Promise.reject(new Error('the signer is closing'));
    const session = this.idle.pop();
    if (session !== undefined) {
      this.busy += 1;
      return Promise.resolve(session);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
    });
  }

  private giveBack(session: Handle): void {
    const next = this.waiting.shift();
    if (next !== undefined) {
      next.resolve(session);
      return;
    }
    this.busy -= 1;
    this.idle.push(session);
    if (this.isDraining && this.busy === 0) this.drained?.();
  }
}
