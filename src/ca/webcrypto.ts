import { webcrypto } from 'node:crypto';

/**
 * The WebCrypto provider every ca/ module hands to @peculiar/x509 explicitly
 * (STYLE §10: no `cryptoProvider.set`, no hidden global provider). Node's
 * implementation is the one the DOM `Crypto` type describes.
 */
export const webCrypto: Crypto = webcrypto as unknown as Crypto;
