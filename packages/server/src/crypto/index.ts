/**
 * Agent key material for the simulated Cloud Backup service.
 *
 * Every backup agent registers an RSA public key, which the API exposes as
 *
 * ```json
 * { "ModulusHex": "C0FFEE…", "ExponentHex": 10001 }
 * ```
 *
 * Clients use that key to encrypt a passphrase with RSAES-PKCS1-v1_5 (block
 * type 2, random non-zero padding, no hashing, no OAEP) and send the ciphertext
 * as lower-case hex of exactly `k` bytes (`k` = modulus length in bytes, so 512
 * hex digits for a 2048-bit key). The service decrypts it with the agent's
 * private key.
 *
 * Node 20 refuses PKCS#1 v1.5 *private decryption* (`RSA_PKCS1_PADDING` in
 * `crypto.privateDecrypt`) since the Marvin-attack mitigation
 * (CVE-2023-46809), so {@link decryptPassphrase} decrypts with
 * `RSA_NO_PADDING` and checks and strips the padding itself. PKCS#1 v1.5
 * *encryption* is still allowed and is what {@link encryptPassphrase} uses.
 *
 * @module
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  type KeyObject,
} from 'node:crypto';

/**
 * An agent's RSA public key as the API serialises it.
 *
 * **The `ExponentHex` quirk:** the field holds the *hexadecimal digits* of the
 * public exponent `e`, but the service emits it as a JSON number. The usual
 * exponent 65537 = 0x10001 therefore appears as the number `10001`, which has
 * to be read back as hex (see {@link parseExponentHex}), not as decimal.
 * Clients may also see (or send) it as a string, `"10001"`.
 */
export interface AgentPublicKey {
  /** Hex digits of the modulus `n`, big-endian. */
  ModulusHex: string;
  /** Hex digits of the public exponent `e`; a JSON number or a string. */
  ExponentHex: number | string;
}

/**
 * A generated agent key pair.
 *
 * `publicKey.ModulusHex` is UPPER-case hex without leading zero bytes.
 * `publicKey.ExponentHex` is the number whose *decimal* digits are the *hex*
 * digits of `e`: for `e` = 65537 = 0x10001 it is the JS number `10001`. (An
 * exponent whose hex spelling contains `a`–`f` cannot be written that way and
 * is given as a string; {@link generateAgentKeyPair} always uses 65537.)
 */
export interface AgentKeyPair {
  publicKey: AgentPublicKey;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  privateKeyPem: string;
}

const HEX_RE = /^[0-9a-fA-F]+$/;
const WHITESPACE_RE = /\s+/g;
/** PKCS#1 v1.5: 0x00 0x02 PS(>= 8 non-zero bytes) 0x00 M. */
const PKCS1_OVERHEAD = 11;
const MIN_PADDING = 8;

function bytesToBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Hex of a non-negative bigint with an even number of digits. */
function bigintToEvenHex(value: bigint): string {
  const hex = value.toString(16);
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}

/**
 * Writes `e` the way the API does: its hex digits, as a number when they are
 * all decimal digits and the number is exactly representable, else a string.
 */
function formatExponentHex(e: bigint): number | string {
  const hex = e.toString(16).toUpperCase();
  if (/^[0-9]+$/.test(hex)) {
    const asNumber = Number(hex);
    if (Number.isSafeInteger(asNumber)) return asNumber;
  }
  return hex;
}

/**
 * Reads the `ExponentHex` field: its digits are hex, whether it arrives as a
 * JSON number or as a string. `10001`, `"10001"` and `"010001"` all give
 * `65537n`.
 *
 * @throws RangeError when the value is not a non-negative safe integer or a
 *   string of hex digits (surrounding whitespace is tolerated).
 */
export function parseExponentHex(e: number | string): bigint {
  let digits: string;
  if (typeof e === 'number') {
    if (!Number.isSafeInteger(e) || e < 0) {
      throw new RangeError(`ExponentHex must be a non-negative integer, got ${String(e)}`);
    }
    digits = String(e);
  } else if (typeof e === 'string') {
    digits = e.trim();
  } else {
    throw new RangeError(`ExponentHex must be a number or a string, got ${typeof e}`);
  }
  if (!HEX_RE.test(digits)) {
    throw new RangeError(`ExponentHex is not hex digits: ${JSON.stringify(e)}`);
  }
  return BigInt(`0x${digits}`);
}

interface ParsedPublicKey {
  n: bigint;
  e: bigint;
  /** Modulus length in bytes. */
  k: number;
}

/**
 * Validates and parses an {@link AgentPublicKey}. Whitespace inside
 * `ModulusHex` is ignored (the published reference's examples contain spaces).
 *
 * @throws RangeError for a malformed key.
 */
function parsePublicKey(publicKey: AgentPublicKey): ParsedPublicKey {
  if (typeof publicKey !== 'object' || publicKey === null) {
    throw new RangeError('public key must be an object');
  }
  const { ModulusHex: modulusHex, ExponentHex: exponentHex } = publicKey;
  if (typeof modulusHex !== 'string') {
    throw new RangeError('ModulusHex must be a string');
  }
  const digits = modulusHex.replace(WHITESPACE_RE, '');
  if (!HEX_RE.test(digits)) {
    throw new RangeError('ModulusHex is not hex digits');
  }
  const n = BigInt(`0x${digits}`);
  const significant = n.toString(16).length;
  const k = Math.ceil(significant / 2);
  if (n % 2n === 0n || k < PKCS1_OVERHEAD + 1) {
    throw new RangeError('ModulusHex is not a usable RSA modulus (must be odd and at least 96 bits)');
  }
  const e = parseExponentHex(exponentHex);
  if (e < 3n || e % 2n === 0n || e >= n) {
    throw new RangeError(`ExponentHex is not a usable RSA exponent: ${String(exponentHex)}`);
  }
  return { n, e, k };
}

/**
 * Generates an RSA key pair for a simulated agent with `e` = 65537.
 *
 * 2048-bit generation costs tens to a few hundred milliseconds, which is why the world
 * ships pre-generated pairs (`world/agent-keys.json`) and picks one by agent id.
 *
 * @param bits Modulus length in bits (default 2048).
 */
export function generateAgentKeyPair(bits = 2048): AgentKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
  });
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new Error('unexpected JWK export of an RSA public key');
  }
  const n = BigInt(`0x${Buffer.from(jwk.n, 'base64url').toString('hex') || '0'}`);
  const e = BigInt(`0x${Buffer.from(jwk.e, 'base64url').toString('hex') || '0'}`);
  return {
    publicKey: {
      ModulusHex: bigintToEvenHex(n).toUpperCase(),
      ExponentHex: formatExponentHex(e),
    },
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Parsed private keys, by PEM, so repeated decryptions skip PEM parsing. */
const privateKeyCache = new Map<string, KeyObject>();
const PRIVATE_KEY_CACHE_LIMIT = 64;

function loadPrivateKey(pem: string): KeyObject {
  const cached = privateKeyCache.get(pem);
  if (cached !== undefined) return cached;
  const key = createPrivateKey(pem);
  if (privateKeyCache.size >= PRIVATE_KEY_CACHE_LIMIT) {
    const oldest = privateKeyCache.keys().next();
    if (oldest.done !== true) privateKeyCache.delete(oldest.value);
  }
  privateKeyCache.set(pem, key);
  return key;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decrypts a passphrase that a client encrypted with RSAES-PKCS1-v1_5 under
 * the agent's public key.
 *
 * A ciphertext with its leading zero digits stripped (odd length, or shorter
 * than `2k`) is left-padded with zeros to `2k` hex digits.
 *
 * @param privateKeyPem The agent's RSA private key (PEM).
 * @param ciphertextHex The ciphertext as hex (either case).
 * @returns The UTF-8 passphrase, or `null` when the hex is empty, malformed or
 *   longer than `2k` digits, the value is not below the modulus, the padding
 *   is invalid, or the plaintext is not valid UTF-8 (also when the PEM cannot
 *   be used). Never throws.
 */
export function decryptPassphrase(privateKeyPem: string, ciphertextHex: string): string | null {
  try {
    if (typeof ciphertextHex !== 'string' || !HEX_RE.test(ciphertextHex)) return null;
    const key = loadPrivateKey(privateKeyPem);
    const bits = key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
    if (bits === undefined) return null;
    const k = Math.ceil(bits / 8);
    if (ciphertextHex.length > 2 * k) return null;
    const ciphertext = Buffer.from(ciphertextHex.padStart(2 * k, '0'), 'hex');
    // Throws (caught below) when the ciphertext is not below the modulus.
    const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
    if (em.length !== k || em[0] !== 0x00 || em[1] !== 0x02) return null;
    const separator = em.indexOf(0x00, 2);
    if (separator < 2 + MIN_PADDING) return null; // also covers "not found" (-1)
    return utf8Decoder.decode(em.subarray(separator + 1));
  } catch {
    return null;
  }
}

/**
 * Encrypts a passphrase (as UTF-8) under an agent's public key with
 * RSAES-PKCS1-v1_5, as a client would.
 *
 * @returns The ciphertext as lower-case hex, exactly `2k` digits.
 * @throws RangeError for a malformed key or when the passphrase is longer
 *   than `k - 11` bytes.
 */
export function encryptPassphrase(publicKey: AgentPublicKey, passphrase: string): string {
  const { n, e, k } = parsePublicKey(publicKey);
  const message = Buffer.from(passphrase, 'utf8');
  if (message.length > k - PKCS1_OVERHEAD) {
    throw new RangeError(
      `passphrase is ${message.length} bytes; a ${k * 8}-bit key holds at most ${k - PKCS1_OVERHEAD}`,
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: {
        kty: 'RSA',
        n: bytesToBase64Url(Buffer.from(bigintToEvenHex(n), 'hex')),
        e: bytesToBase64Url(Buffer.from(bigintToEvenHex(e), 'hex')),
      },
      format: 'jwk',
    });
  } catch (cause) {
    throw new RangeError('public key rejected by node:crypto', { cause });
  }
  const ciphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, message);
  return ciphertext.toString('hex').padStart(2 * k, '0');
}

/**
 * Whether `hex` looks like a ciphertext for `publicKey`: non-empty, hex digits
 * only, and at most `2k` digits (shorter is tolerated: leading zeros may have
 * been stripped). Returns `false` as well when the public key is malformed.
 */
export function isWellFormedCiphertext(publicKey: AgentPublicKey, hex: string): boolean {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) return false;
  let k: number;
  try {
    ({ k } = parsePublicKey(publicKey));
  } catch {
    return false;
  }
  return hex.length <= 2 * k;
}
