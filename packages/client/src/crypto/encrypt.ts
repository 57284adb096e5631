/**
 * Passphrase encryption for Cloud Backup agents, in plain TypeScript: no
 * `node:crypto`, so it runs in browsers, Deno, Bun, workers and Node alike.
 *
 * An agent's public key is exposed as
 *
 * ```json
 * { "ModulusHex": "C0FFEE…", "ExponentHex": 10001 }
 * ```
 *
 * and the service expects the passphrase encrypted with RSAES-PKCS1-v1_5
 * (block type 2, random non-zero padding, no hashing, no OAEP), sent as
 * lower-case hex of exactly `k` bytes (`k` = modulus length in bytes; 512 hex
 * digits for a 2048-bit key).
 *
 * RSA is done with `BigInt` square-and-multiply. This is not constant-time;
 * that is acceptable here because only the *public* operation is performed.
 *
 * @module
 */

/** An agent's RSA public key as the API serialises it. */
export interface AgentPublicKey {
  /**
   * Hex digits of the modulus `n`, big-endian, either case. Whitespace is
   * ignored (the published reference's examples contain spaces).
   */
  ModulusHex: string;
  /**
   * Hex digits of the public exponent `e`. **Quirk:** the service emits it as
   * a JSON number whose decimal digits are the hex digits, so 65537 = 0x10001
   * arrives as `10001`; it may also be a string such as `"10001"`.
   */
  ExponentHex: number | string;
}

/** Returns `n` cryptographically random bytes. */
export type RandomBytes = (n: number) => Uint8Array;

const HEX_RE = /^[0-9a-fA-F]+$/;
const WHITESPACE_RE = /\s+/g;
/** PKCS#1 v1.5 type 2: 0x00 0x02 PS(>= 8 non-zero bytes) 0x00 M. */
const PKCS1_OVERHEAD = 11;
/** `crypto.getRandomValues` fills at most 65536 bytes per call. */
const GET_RANDOM_VALUES_LIMIT = 65_536;
/** Upper bound on calls to `random` while collecting non-zero padding. */
const MAX_RANDOM_ROUNDS = 1_000;

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

/** `base ** exponent mod modulus` by right-to-left square-and-multiply. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus;
    e >>= 1n;
    if (e > 0n) b = (b * b) % modulus;
  }
  return result % modulus;
}

function defaultRandom(n: number): Uint8Array {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: <T extends Uint8Array>(array: T) => T } })
    .crypto;
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new Error('globalThis.crypto.getRandomValues is not available; pass a `random` function');
  }
  const bytes = new Uint8Array(n);
  for (let offset = 0; offset < n; offset += GET_RANDOM_VALUES_LIMIT) {
    webCrypto.getRandomValues(bytes.subarray(offset, Math.min(n, offset + GET_RANDOM_VALUES_LIMIT)));
  }
  return bytes;
}

/** `length` random non-zero bytes, drawing again to replace zeros. */
function nonZeroRandomBytes(length: number, random: RandomBytes): Uint8Array {
  const out = new Uint8Array(length);
  let filled = 0;
  for (let round = 0; filled < length; round++) {
    if (round >= MAX_RANDOM_ROUNDS) {
      throw new Error('random source keeps returning zero bytes');
    }
    const chunk = random(length - filled);
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError('random must return a Uint8Array');
    }
    for (const byte of chunk) {
      if (byte !== 0) out[filled++] = byte;
      if (filled === length) break;
    }
  }
  return out;
}

/**
 * Encrypts a passphrase (as UTF-8) under an agent's public key with
 * RSAES-PKCS1-v1_5.
 *
 * @param publicKey The agent's key, straight from the API's JSON.
 * @param passphrase At most `k - 11` bytes once UTF-8 encoded.
 * @param random Source of random bytes for the padding; defaults to
 *   `globalThis.crypto.getRandomValues`. Zero bytes are skipped, so the
 *   function may call it more than once. Inject a deterministic one only for
 *   tests.
 * @returns The ciphertext as lower-case hex, exactly `2k` digits.
 * @throws RangeError for a malformed key (non-hex, even or too small a
 *   modulus, an exponent that is not odd, at least 3 and below the modulus)
 *   or when the passphrase is too long.
 */
export function encryptPassphrase(
  publicKey: AgentPublicKey,
  passphrase: string,
  random: RandomBytes = defaultRandom,
): string {
  if (typeof publicKey !== 'object' || publicKey === null) {
    throw new RangeError('public key must be an object');
  }
  const { ModulusHex: modulusHex, ExponentHex: exponentHex } = publicKey;
  if (typeof modulusHex !== 'string') {
    throw new RangeError('ModulusHex must be a string');
  }
  const modulusDigits = modulusHex.replace(WHITESPACE_RE, '');
  if (!HEX_RE.test(modulusDigits)) {
    throw new RangeError('ModulusHex is not hex digits');
  }
  const n = BigInt(`0x${modulusDigits}`);
  const k = Math.ceil(n.toString(16).length / 2);
  if (n % 2n === 0n || k < PKCS1_OVERHEAD + 1) {
    throw new RangeError('ModulusHex is not a usable RSA modulus (must be odd and at least 96 bits)');
  }
  const e = parseExponentHex(exponentHex);
  if (e < 3n || e % 2n === 0n || e >= n) {
    throw new RangeError(`ExponentHex is not a usable RSA exponent: ${String(exponentHex)}`);
  }

  const message = new TextEncoder().encode(passphrase);
  if (message.length > k - PKCS1_OVERHEAD) {
    throw new RangeError(
      `passphrase is ${message.length} bytes; a ${k * 8}-bit key holds at most ${k - PKCS1_OVERHEAD}`,
    );
  }

  // EM = 0x00 || 0x02 || PS || 0x00 || M, k bytes in all.
  const padding = nonZeroRandomBytes(k - 3 - message.length, random);
  const em = new Uint8Array(k);
  em[1] = 0x02;
  em.set(padding, 2);
  em.set(message, 3 + padding.length);

  let emHex = '';
  for (const byte of em) emHex += byte.toString(16).padStart(2, '0');
  const c = modPow(BigInt(`0x${emHex}`), e, n);
  return c.toString(16).padStart(2 * k, '0');
}
