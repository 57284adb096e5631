/**
 * Random identifiers from Web Crypto (`globalThis.crypto`), so the core runs on any runtime
 * with Web APIs. The world's own random source (seeded, for simulated data) is elsewhere:
 * these are for tokens, keys and request ids, which must not be guessable.
 */

/** `bytes` random bytes. */
function randomBytes(bytes: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(bytes));
}

/** `bytes` random bytes as lower-case hex (twice as many digits). */
export function randomHex(bytes: number): string {
  let hex = "";
  for (const byte of randomBytes(bytes)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** `bytes` random bytes as unpadded base64url. */
export function randomBase64Url(bytes: number): string {
  let binary = "";
  for (const byte of randomBytes(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * A random UUID (version 4). `crypto.randomUUID` exists only in secure contexts (https or
 * localhost pages), so elsewhere the UUID is built from `getRandomValues`, which works everywhere.
 */
export function randomUUID(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
