/**
 * Passphrase encryption for Cloud Backup agents, the one RSA implementation of the toolkit,
 * in plain TypeScript on `BigInt`: no `node:crypto`, so it runs in browsers, workers, Deno,
 * Bun and Node alike. The client encrypts with it, the reference server decrypts with it and
 * the conformance kit encrypts with it.
 *
 * An agent's public key is exposed as
 *
 * ```json
 * { "ModulusHex": "C0FFEE…", "ExponentHex": 10001 }
 * ```
 *
 * and the service expects the passphrase encrypted with RSAES-PKCS1-v1_5 (block type 2,
 * random non-zero padding, no hashing, no OAEP), sent as hex of exactly `k` bytes (`k` =
 * modulus length in bytes; 512 hex digits for a 2048-bit key). The service decrypts it with
 * the agent's private key.
 *
 * RSA is done with square-and-multiply on `BigInt` (decryption with the Chinese remainder
 * theorem). It is not constant-time. That is fine for encryption (only public values are
 * involved) and for the reference server, whose agent keys protect nothing; do not use
 * {@link decryptPassphrase} to guard real secrets.
 *
 * @example
 * ```ts
 * import { encryptPassphrase } from "@cloud-backup/spec/crypto";
 * const hex = encryptPassphrase(agent.PublicKey, "correct horse battery staple");
 * ```
 *
 * @module
 */

/** An agent's RSA public key as the API serialises it. */
export interface AgentPublicKey {
  /**
   * Hex digits of the modulus `n`, big-endian, either case. Whitespace is ignored (the
   * published reference's examples contain spaces).
   */
  ModulusHex: string;
  /**
   * Hex digits of the public exponent `e`. **Quirk:** the service emits it as a JSON number
   * whose decimal digits are the hex digits, so 65537 = 0x10001 arrives as `10001`; it may
   * also be a string such as `"10001"` (see {@link parseExponentHex}).
   */
  ExponentHex: number | string;
}

/**
 * A generated agent key pair.
 *
 * `publicKey.ModulusHex` is UPPER-case hex without leading zero bytes; `publicKey.ExponentHex`
 * is the number whose *decimal* digits are the *hex* digits of `e` (`10001` for 65537).
 */
export interface AgentKeyPair {
  publicKey: AgentPublicKey;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  privateKeyPem: string;
}

/** Returns `n` cryptographically random bytes. */
export type RandomBytes = (n: number) => Uint8Array;

const HEX_RE = /^[0-9a-fA-F]+$/;
const WHITESPACE_RE = /\s+/g;
/** PKCS#1 v1.5 type 2: 0x00 0x02 PS(>= 8 non-zero bytes) 0x00 M. */
const PKCS1_OVERHEAD = 11;
const MIN_PADDING = 8;
/** `crypto.getRandomValues` fills at most 65536 bytes per call. */
const GET_RANDOM_VALUES_LIMIT = 65_536;
/** Upper bound on calls to `random` while collecting non-zero padding. */
const MAX_RANDOM_ROUNDS = 1_000;

// ---------------------------------------------------------------------------------------------
// Numbers

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

/** The inverse of `a` modulo `m` (extended Euclid); throws when there is none. */
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError("no modular inverse");
  return ((oldS % m) + m) % m;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function bytesToBigint(bytes: Uint8Array): bigint {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex === "" ? 0n : BigInt(`0x${hex}`);
}

/** `value` as exactly `length` big-endian bytes (it must fit). */
function bigintToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(2 * length, "0");
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Hex of a non-negative bigint with an even number of digits. */
function bigintToEvenHex(value: bigint): string {
  const hex = value.toString(16);
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}

// ---------------------------------------------------------------------------------------------
// Randomness

function defaultRandom(n: number): Uint8Array {
  const webCrypto = (globalThis as { crypto?: { getRandomValues?: <T extends Uint8Array>(array: T) => T } }).crypto;
  if (typeof webCrypto?.getRandomValues !== "function") {
    throw new Error("globalThis.crypto.getRandomValues is not available; pass a `random` function");
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
      throw new Error("random source keeps returning zero bytes");
    }
    const chunk = random(length - filled);
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError("random must return a Uint8Array");
    }
    for (const byte of chunk) {
      if (byte !== 0) out[filled++] = byte;
      if (filled === length) break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public keys

/**
 * Reads the `ExponentHex` field: its digits are hex, whether it arrives as a JSON number or
 * as a string. `10001`, `"10001"` and `"010001"` all give `65537n`.
 *
 * @throws RangeError when the value is not a non-negative safe integer or a string of hex
 *   digits (surrounding whitespace is tolerated).
 */
export function parseExponentHex(e: number | string): bigint {
  let digits: string;
  if (typeof e === "number") {
    if (!Number.isSafeInteger(e) || e < 0) {
      throw new RangeError(`ExponentHex must be a non-negative integer, got ${String(e)}`);
    }
    digits = String(e);
  } else if (typeof e === "string") {
    digits = e.trim();
  } else {
    throw new RangeError(`ExponentHex must be a number or a string, got ${typeof e}`);
  }
  if (!HEX_RE.test(digits)) {
    throw new RangeError(`ExponentHex is not hex digits: ${JSON.stringify(e)}`);
  }
  return BigInt(`0x${digits}`);
}

/**
 * Writes `e` the way the API does: its hex digits, as a number when they are all decimal
 * digits and the number is exactly representable, else a string.
 */
function formatExponentHex(e: bigint): number | string {
  const hex = e.toString(16).toUpperCase();
  if (/^[0-9]+$/.test(hex)) {
    const asNumber = Number(hex);
    if (Number.isSafeInteger(asNumber)) return asNumber;
  }
  return hex;
}

interface ParsedPublicKey {
  n: bigint;
  e: bigint;
  /** Modulus length in bytes. */
  k: number;
}

/**
 * Validates and parses an {@link AgentPublicKey}.
 *
 * @throws RangeError for a malformed key (non-hex, even or too small a modulus, an exponent
 *   that is not odd, at least 3 and below the modulus).
 */
function parsePublicKey(publicKey: AgentPublicKey): ParsedPublicKey {
  if (typeof publicKey !== "object" || publicKey === null) {
    throw new RangeError("public key must be an object");
  }
  const { ModulusHex: modulusHex, ExponentHex: exponentHex } = publicKey;
  if (typeof modulusHex !== "string") {
    throw new RangeError("ModulusHex must be a string");
  }
  const digits = modulusHex.replace(WHITESPACE_RE, "");
  if (!HEX_RE.test(digits)) {
    throw new RangeError("ModulusHex is not hex digits");
  }
  const n = BigInt(`0x${digits}`);
  const k = Math.ceil(bitLength(n) / 8);
  if (n % 2n === 0n || k < PKCS1_OVERHEAD + 1) {
    throw new RangeError("ModulusHex is not a usable RSA modulus (must be odd and at least 96 bits)");
  }
  const e = parseExponentHex(exponentHex);
  if (e < 3n || e % 2n === 0n || e >= n) {
    throw new RangeError(`ExponentHex is not a usable RSA exponent: ${String(exponentHex)}`);
  }
  return { n, e, k };
}

// ---------------------------------------------------------------------------------------------
// Private keys: PEM and DER (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`)

interface PrivateKey {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

/** DER of the rsaEncryption algorithm identifier: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }. */
const RSA_ALGORITHM = new Uint8Array([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);

class DerReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** Reads one element of the given tag and returns its contents. */
  read(tag: number): Uint8Array {
    if (this.bytes[this.offset] !== tag) throw new RangeError(`DER: expected tag ${tag}`);
    let length = this.bytes[this.offset + 1];
    if (length === undefined) throw new RangeError("DER: truncated");
    let start = this.offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) throw new RangeError("DER: unsupported length");
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (this.bytes[start + i] ?? 0);
      start += count;
    }
    const end = start + length;
    if (end > this.bytes.length) throw new RangeError("DER: truncated");
    this.offset = end;
    return this.bytes.subarray(start, end);
  }

  integer(): bigint {
    const content = this.read(0x02);
    if (content.length === 0 || (content[0]! & 0x80) !== 0) throw new RangeError("DER: not a non-negative integer");
    return bytesToBigint(content);
  }
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

function derElement(tag: number, content: Uint8Array): Uint8Array {
  const header = [tag, ...derLength(content.length)];
  const out = new Uint8Array(header.length + content.length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

function derConcat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function derInteger(value: bigint): Uint8Array {
  const hex = bigintToEvenHex(value);
  let bytes = bigintToBytes(value, hex.length / 2);
  if (bytes[0]! & 0x80) bytes = derConcat([new Uint8Array([0]), bytes]);
  return derElement(0x02, bytes);
}

function readRsaPrivateKey(der: Uint8Array): PrivateKey {
  const outer = new DerReader(der);
  const fields = new DerReader(outer.read(0x30));
  if (fields.integer() !== 0n) throw new RangeError("only two-prime RSA keys are supported");
  const [n, e, d, p, q, dp, dq, qi] = [
    fields.integer(),
    fields.integer(),
    fields.integer(),
    fields.integer(),
    fields.integer(),
    fields.integer(),
    fields.integer(),
    fields.integer(),
  ];
  if (p * q !== n) throw new RangeError("the key is inconsistent (p·q ≠ n)");
  return { n, e, d, p, q, dp, dq, qi };
}

function readPkcs8(der: Uint8Array): PrivateKey {
  const outer = new DerReader(der);
  const info = new DerReader(outer.read(0x30));
  if (info.integer() !== 0n) throw new RangeError("unsupported PKCS#8 version");
  const algorithm = info.read(0x30);
  const expected = RSA_ALGORITHM.subarray(2);
  if (algorithm.length !== expected.length || algorithm.some((b, i) => b !== expected[i])) {
    throw new RangeError("not an RSA key");
  }
  return readRsaPrivateKey(info.read(0x04));
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const PEM_RE = /^-----BEGIN (PRIVATE KEY|RSA PRIVATE KEY)-----([A-Za-z0-9+/=\s]+)-----END \1-----$/;

function parsePrivateKeyPem(pem: string): PrivateKey {
  const match = PEM_RE.exec(pem.trim());
  if (!match) throw new RangeError("not a PEM private key");
  const der = base64ToBytes(match[2]!.replace(WHITESPACE_RE, ""));
  return match[1] === "PRIVATE KEY" ? readPkcs8(der) : readRsaPrivateKey(der);
}

function toPkcs8Pem(key: PrivateKey): string {
  const rsaPrivateKey = derElement(0x30, derConcat([0n, key.n, key.e, key.d, key.p, key.q, key.dp, key.dq, key.qi].map(derInteger)));
  const info = derElement(0x30, derConcat([derInteger(0n), RSA_ALGORITHM, derElement(0x04, rsaPrivateKey)]));
  const lines = bytesToBase64(info).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

/** Parsed private keys, by PEM, so repeated decryptions skip parsing. */
const privateKeyCache = new Map<string, PrivateKey>();
const PRIVATE_KEY_CACHE_LIMIT = 64;

function loadPrivateKey(pem: string): PrivateKey {
  const cached = privateKeyCache.get(pem);
  if (cached !== undefined) return cached;
  const key = parsePrivateKeyPem(pem);
  if (privateKeyCache.size >= PRIVATE_KEY_CACHE_LIMIT) {
    const oldest = privateKeyCache.keys().next();
    if (oldest.done !== true) privateKeyCache.delete(oldest.value);
  }
  privateKeyCache.set(pem, key);
  return key;
}

// ---------------------------------------------------------------------------------------------
// Key generation

/** Odd primes below 1000, to sieve candidates before Miller–Rabin. */
const SMALL_PRIMES: bigint[] = (() => {
  const out: bigint[] = [];
  for (let n = 3; n < 1000; n += 2) {
    let prime = true;
    for (let d = 3; d * d <= n; d += 2) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) out.push(BigInt(n));
  }
  return out;
})();

/** A random integer in [2, n - 2]. */
function randomBelow(n: bigint, random: RandomBytes): bigint {
  const bytes = Math.ceil(bitLength(n) / 8) + 8;
  return 2n + (bytesToBigint(random(bytes)) % (n - 3n));
}

/** Miller–Rabin with `rounds` random bases (error below 4^-rounds; far less for random candidates). */
function isProbablePrime(n: bigint, rounds: number, random: RandomBytes): boolean {
  for (const p of SMALL_PRIMES) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  witness: for (let i = 0; i < rounds; i++) {
    let x = modPow(randomBelow(n, random), d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) continue witness;
    }
    return false;
  }
  return true;
}

/** A random prime of exactly `bits` bits with its top two bits set, and `gcd(e, p - 1) = 1`. */
function randomPrime(bits: number, e: bigint, random: RandomBytes): bigint {
  const top = (1n << BigInt(bits - 1)) | (1n << BigInt(bits - 2));
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    const candidate = (bytesToBigint(random(Math.ceil(bits / 8))) & mask) | top | 1n;
    if (gcd(e, candidate - 1n) === 1n && isProbablePrime(candidate, 8, random)) return candidate;
  }
}

/**
 * Generates an RSA key pair for a simulated agent with `e` = 65537, on `BigInt`.
 *
 * 2048-bit generation costs up to a few seconds, which is why the reference server ships
 * pre-generated pairs and picks one by agent id.
 *
 * @param bits Modulus length in bits (default 2048; even, at least 512).
 * @param random Source of random bytes; defaults to `globalThis.crypto.getRandomValues`.
 */
export function generateAgentKeyPair(bits = 2048, random: RandomBytes = defaultRandom): AgentKeyPair {
  if (!Number.isInteger(bits) || bits < 512 || bits % 2 !== 0)
    throw new RangeError(`bits must be an even integer of at least 512, got ${bits}`);
  const e = 0x10001n;
  for (;;) {
    const p = randomPrime(bits / 2, e, random);
    const q = randomPrime(bits / 2, e, random);
    if (p === q) continue;
    const n = p * q;
    if (bitLength(n) !== bits) continue;
    const d = modInverse(e, (p - 1n) * (q - 1n));
    const key: PrivateKey = { n, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInverse(q, p) };
    return {
      publicKey: { ModulusHex: bigintToEvenHex(n).toUpperCase(), ExponentHex: formatExponentHex(e) },
      privateKeyPem: toPkcs8Pem(key),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Encryption and decryption

/**
 * Encrypts a passphrase (as UTF-8) under an agent's public key with RSAES-PKCS1-v1_5.
 *
 * @param publicKey The agent's key, straight from the API's JSON.
 * @param passphrase At most `k - 11` bytes once UTF-8 encoded.
 * @param random Source of random bytes for the padding; defaults to
 *   `globalThis.crypto.getRandomValues`. Zero bytes are skipped, so the function may call it
 *   more than once. Inject a deterministic one only for tests.
 * @returns The ciphertext as lower-case hex, exactly `2k` digits.
 * @throws RangeError for a malformed key (non-hex, even or too small a modulus, an exponent
 *   that is not odd, at least 3 and below the modulus) or when the passphrase is too long.
 */
export function encryptPassphrase(publicKey: AgentPublicKey, passphrase: string, random: RandomBytes = defaultRandom): string {
  const { n, e, k } = parsePublicKey(publicKey);
  const message = new TextEncoder().encode(passphrase);
  if (message.length > k - PKCS1_OVERHEAD) {
    throw new RangeError(`passphrase is ${message.length} bytes; a ${k * 8}-bit key holds at most ${k - PKCS1_OVERHEAD}`);
  }
  // EM = 0x00 || 0x02 || PS || 0x00 || M, k bytes in all.
  const padding = nonZeroRandomBytes(k - 3 - message.length, random);
  const em = new Uint8Array(k);
  em[1] = 0x02;
  em.set(padding, 2);
  em.set(message, 3 + padding.length);
  return modPow(bytesToBigint(em), e, n)
    .toString(16)
    .padStart(2 * k, "0");
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decrypts a passphrase that a client encrypted with RSAES-PKCS1-v1_5 under the agent's
 * public key.
 *
 * A ciphertext with its leading zero digits stripped (odd length, or shorter than `2k`) is
 * left-padded with zeros to `2k` hex digits.
 *
 * @param privateKeyPem The agent's RSA private key (PEM: PKCS#8 `PRIVATE KEY` or PKCS#1
 *   `RSA PRIVATE KEY`).
 * @param ciphertextHex The ciphertext as hex (either case).
 * @returns The UTF-8 passphrase, or `null` when the hex is empty, malformed or longer than
 *   `2k` digits, the value is not below the modulus, the padding is invalid, or the
 *   plaintext is not valid UTF-8 (also when the PEM cannot be used). Never throws.
 */
export function decryptPassphrase(privateKeyPem: string, ciphertextHex: string): string | null {
  try {
    if (typeof ciphertextHex !== "string" || !HEX_RE.test(ciphertextHex)) return null;
    const key = loadPrivateKey(privateKeyPem);
    const k = Math.ceil(bitLength(key.n) / 8);
    if (ciphertextHex.length > 2 * k) return null;
    const c = BigInt(`0x${ciphertextHex}`);
    if (c >= key.n) return null;
    // CRT: m = m2 + q · (qi · (m1 - m2) mod p).
    const m1 = modPow(c, key.dp, key.p);
    const m2 = modPow(c, key.dq, key.q);
    const h = (((((m1 - m2) % key.p) + key.p) % key.p) * key.qi) % key.p;
    const em = bigintToBytes(m2 + h * key.q, k);
    if (em[0] !== 0x00 || em[1] !== 0x02) return null;
    const separator = em.indexOf(0x00, 2);
    if (separator < 2 + MIN_PADDING) return null; // also covers "not found" (-1)
    return utf8Decoder.decode(em.subarray(separator + 1));
  } catch {
    return null;
  }
}

/**
 * Whether `hex` looks like a ciphertext for `publicKey`: non-empty, hex digits only, and at
 * most `2k` digits (shorter is tolerated: leading zeros may have been stripped). Returns
 * `false` as well when the public key is malformed.
 */
export function isWellFormedCiphertext(publicKey: AgentPublicKey, hex: string): boolean {
  if (typeof hex !== "string" || !HEX_RE.test(hex)) return false;
  let k: number;
  try {
    ({ k } = parsePublicKey(publicKey));
  } catch {
    return false;
  }
  return hex.length <= 2 * k;
}
