import { constants, generateKeyPairSync, privateDecrypt, type KeyObject } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { encryptPassphrase, parseExponentHex, type AgentPublicKey } from "../src/crypto.js";

interface TestKey {
  publicKey: AgentPublicKey;
  privateKey: KeyObject;
  k: number;
}

function makeKey(bits: number, publicExponent = 0x10001): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent });
  const jwk = publicKey.export({ format: "jwk" });
  const modulusHex = Buffer.from(jwk.n ?? "", "base64url")
    .toString("hex")
    .toUpperCase();
  const exponentHex = Buffer.from(jwk.e ?? "", "base64url")
    .toString("hex")
    .replace(/^0+/, "");
  return {
    // The service's quirk: the exponent's hex digits as a JSON number.
    publicKey: { ModulusHex: modulusHex, ExponentHex: /^[0-9]+$/.test(exponentHex) ? Number(exponentHex) : exponentHex },
    privateKey,
    k: Math.ceil(bits / 8),
  };
}

/**
 * Decrypts with node:crypto the way the service must on Node 20 (which
 * refuses PKCS#1 v1.5 private decryption): raw RSA, then check and strip
 * the type-2 padding here.
 */
function decrypt(key: TestKey, ciphertextHex: string): { plaintext: string; padding: Uint8Array } {
  expect(ciphertextHex).toMatch(/^[0-9a-f]+$/);
  expect(ciphertextHex).toHaveLength(2 * key.k);
  const em = privateDecrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(ciphertextHex, "hex"));
  expect(em).toHaveLength(key.k);
  expect(em[0]).toBe(0x00);
  expect(em[1]).toBe(0x02);
  const separator = em.indexOf(0x00, 2);
  expect(separator).toBeGreaterThanOrEqual(2 + 8);
  return {
    plaintext: new TextDecoder("utf-8", { fatal: true }).decode(em.subarray(separator + 1)),
    padding: em.subarray(2, separator),
  };
}

/** A deterministic byte stream (xorshift32) that also yields zeros now and then. */
function seededRandom(seed: number): (n: number) => Uint8Array {
  let state = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}

let key: TestKey;

beforeAll(() => {
  key = makeKey(1024);
});

describe("parseExponentHex", () => {
  it("reads the digits as hex (the ExponentHex quirk)", () => {
    expect(parseExponentHex(10001)).toBe(65537n);
    expect(parseExponentHex("10001")).toBe(65537n);
    expect(parseExponentHex("010001")).toBe(65537n);
    expect(parseExponentHex(" 10001 ")).toBe(65537n);
    expect(parseExponentHex(3)).toBe(3n);
    expect(parseExponentHex("1000B")).toBe(0x1000bn);
  });

  it("throws RangeError on non-hex", () => {
    for (const bad of ["", "g", "0x10001", "10 001", "-1"] as const) {
      expect(() => parseExponentHex(bad)).toThrow(RangeError);
    }
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => parseExponentHex(bad)).toThrow(RangeError);
    }
  });
});

describe("encryptPassphrase", () => {
  it("produces ciphertexts node:crypto decrypts (ASCII and non-ASCII)", () => {
    expect(key.publicKey.ExponentHex).toBe(10001);
    for (const passphrase of ["correct horse battery staple", "pässwörd — 密码 🔐", "", "x".repeat(key.k - 11)]) {
      expect(decrypt(key, encryptPassphrase(key.publicKey, passphrase)).plaintext).toBe(passphrase);
    }
  });

  it("accepts ExponentHex as a string", () => {
    const publicKey = { ...key.publicKey, ExponentHex: "010001" };
    expect(decrypt(key, encryptPassphrase(publicKey, "secret")).plaintext).toBe("secret");
  });

  it("works with other exponents, including one whose hex digits contain letters", () => {
    const three = makeKey(1024, 3);
    expect(three.publicKey.ExponentHex).toBe(3);
    expect(decrypt(three, encryptPassphrase(three.publicKey, "e=3")).plaintext).toBe("e=3");
    const lettered = makeKey(1024, 0x1000b);
    expect(lettered.publicKey.ExponentHex).toBe("1000b");
    expect(decrypt(lettered, encryptPassphrase(lettered.publicKey, "e=0x1000b")).plaintext).toBe("e=0x1000b");
  });

  it("ignores whitespace in ModulusHex, as in the published examples", () => {
    const spaced = ` ${key.publicKey.ModulusHex.replace(/(.{8})/g, "$1 ")}\n`;
    expect(spaced).toContain(" ");
    const publicKey = { ModulusHex: spaced, ExponentHex: 10001 };
    expect(decrypt(key, encryptPassphrase(publicKey, "spaced out")).plaintext).toBe("spaced out");
    // Lower case and a leading zero byte are fine too.
    const lower = { ModulusHex: `00${key.publicKey.ModulusHex.toLowerCase()}`, ExponentHex: 10001 };
    expect(decrypt(key, encryptPassphrase(lower, "lower")).plaintext).toBe("lower");
  });

  it("outputs exactly 2k lower-case hex digits, left-padded", () => {
    let sawLeadingZero = false;
    for (let seed = 1; seed <= 200 && !sawLeadingZero; seed++) {
      const ciphertext = encryptPassphrase(key.publicKey, "pad me", seededRandom(seed));
      expect(ciphertext).toMatch(/^[0-9a-f]{256}$/);
      sawLeadingZero = ciphertext.startsWith("0");
      if (sawLeadingZero) expect(decrypt(key, ciphertext).plaintext).toBe("pad me");
    }
    expect(sawLeadingZero).toBe(true);
  });

  it("is deterministic given a deterministic random source, random by default", () => {
    const a = encryptPassphrase(key.publicKey, "secret", seededRandom(42));
    const b = encryptPassphrase(key.publicKey, "secret", seededRandom(42));
    const c = encryptPassphrase(key.publicKey, "secret", seededRandom(43));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(encryptPassphrase(key.publicKey, "secret")).not.toBe(encryptPassphrase(key.publicKey, "secret"));
  });

  it("never puts zero bytes in the padding, even when the random source yields them", () => {
    let calls = 0;
    let position = 0;
    // Every third byte of the stream is zero.
    const zeroHeavy = (n: number): Uint8Array => {
      calls++;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++, position++) out[i] = position % 3 === 0 ? 0 : 1 + (position % 255);
      return out;
    };
    const { plaintext, padding } = decrypt(key, encryptPassphrase(key.publicKey, "zeros", zeroHeavy));
    expect(plaintext).toBe("zeros");
    expect(padding).toHaveLength(key.k - 3 - "zeros".length);
    expect(padding.includes(0)).toBe(false);
    expect(calls).toBeGreaterThan(1);
    expect(() => encryptPassphrase(key.publicKey, "x", (n) => new Uint8Array(n))).toThrow();
  });

  it("throws RangeError for a too-long passphrase", () => {
    expect(() => encryptPassphrase(key.publicKey, "x".repeat(key.k - 10))).toThrow(RangeError);
    // 39 three-byte characters = 117 bytes = k - 11 fits; 40 do not.
    expect(() => encryptPassphrase(key.publicKey, "密".repeat(39))).not.toThrow();
    expect(() => encryptPassphrase(key.publicKey, "密".repeat(40))).toThrow(RangeError);
  });

  it("throws RangeError for a malformed key", () => {
    const bad: AgentPublicKey[] = [
      { ModulusHex: "", ExponentHex: 10001 },
      { ModulusHex: "not hex", ExponentHex: 10001 },
      { ModulusHex: `0x${key.publicKey.ModulusHex}`, ExponentHex: 10001 },
      { ModulusHex: "FFFF", ExponentHex: 10001 }, // too small
      { ModulusHex: `${key.publicKey.ModulusHex.slice(0, -1)}E`, ExponentHex: 10001 }, // even
      { ...key.publicKey, ExponentHex: "xyz" },
      { ...key.publicKey, ExponentHex: 1 },
      { ...key.publicKey, ExponentHex: 10000 }, // even
    ];
    for (const publicKey of bad) {
      expect(() => encryptPassphrase(publicKey, "a")).toThrow(RangeError);
    }
  });

  it("handles a 2048-bit key: 512 hex digits", () => {
    const big = makeKey(2048);
    const ciphertext = encryptPassphrase(big.publicKey, "two thousand forty-eight");
    expect(ciphertext).toMatch(/^[0-9a-f]{512}$/);
    expect(decrypt(big, ciphertext).plaintext).toBe("two thousand forty-eight");
  });
});
