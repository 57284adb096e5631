import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decryptPassphrase,
  encryptPassphrase,
  generateAgentKeyPair,
  isWellFormedCiphertext,
  parseExponentHex,
  type AgentKeyPair,
} from "../src/crypto.js";

let pair: AgentKeyPair;
let other: AgentKeyPair;

beforeAll(() => {
  pair = generateAgentKeyPair(1024);
  other = generateAgentKeyPair(1024);
});

describe("generateAgentKeyPair", () => {
  it("exposes the modulus as upper-case hex and the exponent with the hex-digits quirk", () => {
    const { publicKey, privateKeyPem } = pair;
    expect(publicKey.ModulusHex).toMatch(/^[0-9A-F]+$/);
    expect(publicKey.ModulusHex).not.toMatch(/^00/);
    expect(publicKey.ModulusHex).toHaveLength(256);
    // 65537 = 0x10001, written as the JS number 10001.
    expect(publicKey.ExponentHex).toBe(10001);
    expect(JSON.stringify(publicKey)).toContain('"ExponentHex":10001');
    expect(privateKeyPem).toContain("-----BEGIN PRIVATE KEY-----");

    // The modulus is the key's real modulus.
    const jwk = createPublicKey(privateKeyPem).export({ format: "jwk" });
    expect(
      Buffer.from(jwk.n ?? "", "base64url")
        .toString("hex")
        .toUpperCase(),
    ).toBe(publicKey.ModulusHex);
  });
});

describe("keys and node:crypto agree", () => {
  it("node:crypto reads a generated PEM, and its private key undoes our encryption", () => {
    const key = createPrivateKey(pair.privateKeyPem);
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: 1024, publicExponent: 65537n });
    const ciphertext = encryptPassphrase(pair.publicKey, "checked by node");
    const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.from(ciphertext, "hex"));
    expect([em[0], em[1]]).toEqual([0x00, 0x02]);
    expect(em.subarray(em.indexOf(0x00, 2) + 1).toString("utf8")).toBe("checked by node");
  });

  it("decrypts what node:crypto encrypts, with a PKCS#8 or a PKCS#1 PEM", () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const ciphertext = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.from("made by node", "utf8"),
    ).toString("hex");
    expect(decryptPassphrase(privateKey.export({ type: "pkcs8", format: "pem" }).toString(), ciphertext)).toBe("made by node");
    expect(decryptPassphrase(privateKey.export({ type: "pkcs1", format: "pem" }).toString(), ciphertext)).toBe("made by node");
    // A public key, or a truncated private key, is no private key.
    expect(decryptPassphrase(publicKey.export({ type: "spki", format: "pem" }).toString(), ciphertext)).toBeNull();
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(decryptPassphrase(pem.replace(/\n[^\n]+\n-----END/, "\n-----END"), ciphertext)).toBeNull();
  });
});

describe("parseExponentHex", () => {
  it("reads the digits as hex, number or string", () => {
    expect(parseExponentHex(10001)).toBe(65537n);
    expect(parseExponentHex("10001")).toBe(65537n);
    expect(parseExponentHex("010001")).toBe(65537n);
    expect(parseExponentHex(3)).toBe(3n);
    expect(parseExponentHex("1000b")).toBe(0x1000bn);
  });

  it("throws RangeError on non-hex", () => {
    expect(() => parseExponentHex("")).toThrow(RangeError);
    expect(() => parseExponentHex("0x10001")).toThrow(RangeError);
    expect(() => parseExponentHex("65537g")).toThrow(RangeError);
    expect(() => parseExponentHex(-1)).toThrow(RangeError);
    expect(() => parseExponentHex(1.5)).toThrow(RangeError);
    expect(() => parseExponentHex(Number.NaN)).toThrow(RangeError);
  });
});

describe("encryptPassphrase / decryptPassphrase", () => {
  it("round-trips an ASCII passphrase through the public JSON key and the PEM", () => {
    const json = JSON.parse(JSON.stringify(pair.publicKey)) as AgentKeyPair["publicKey"];
    const ciphertext = encryptPassphrase(json, "correct horse battery staple");
    expect(decryptPassphrase(pair.privateKeyPem, ciphertext)).toBe("correct horse battery staple");
  });

  it("round-trips a non-ASCII passphrase", () => {
    const passphrase = "pässwörd — 密码 🔐";
    const ciphertext = encryptPassphrase(pair.publicKey, passphrase);
    expect(decryptPassphrase(pair.privateKeyPem, ciphertext)).toBe(passphrase);
  });

  it("round-trips the empty passphrase and one of exactly k - 11 bytes", () => {
    expect(decryptPassphrase(pair.privateKeyPem, encryptPassphrase(pair.publicKey, ""))).toBe("");
    const longest = "x".repeat(128 - 11);
    expect(decryptPassphrase(pair.privateKeyPem, encryptPassphrase(pair.publicKey, longest))).toBe(longest);
  });

  it("accepts ExponentHex as a string and ModulusHex in lower case or with spaces", () => {
    const spaced = pair.publicKey.ModulusHex.toLowerCase().replace(/(.{8})/g, "$1 ");
    const ciphertext = encryptPassphrase({ ModulusHex: spaced, ExponentHex: "010001" }, "secret");
    expect(decryptPassphrase(pair.privateKeyPem, ciphertext)).toBe("secret");
  });

  it("produces 2k lower-case hex digits", () => {
    const ciphertext = encryptPassphrase(pair.publicKey, "secret");
    expect(ciphertext).toMatch(/^[0-9a-f]{256}$/);
  });

  it("uses random padding: two encryptions differ", () => {
    const a = encryptPassphrase(pair.publicKey, "secret");
    const b = encryptPassphrase(pair.publicKey, "secret");
    expect(a).not.toBe(b);
    expect(decryptPassphrase(pair.privateKeyPem, a)).toBe("secret");
    expect(decryptPassphrase(pair.privateKeyPem, b)).toBe("secret");
  });

  it("throws RangeError when the passphrase exceeds k - 11 bytes", () => {
    expect(() => encryptPassphrase(pair.publicKey, "x".repeat(128 - 10))).toThrow(RangeError);
    // 39 three-byte characters = 117 bytes fits; 40 = 120 bytes does not.
    expect(() => encryptPassphrase(pair.publicKey, "密".repeat(39))).not.toThrow();
    expect(() => encryptPassphrase(pair.publicKey, "密".repeat(40))).toThrow(RangeError);
  });

  it("throws RangeError for a malformed public key", () => {
    expect(() => encryptPassphrase({ ModulusHex: "xyz", ExponentHex: 10001 }, "a")).toThrow(RangeError);
    expect(() => encryptPassphrase({ ModulusHex: "", ExponentHex: 10001 }, "a")).toThrow(RangeError);
    expect(() => encryptPassphrase({ ModulusHex: "FFFF", ExponentHex: 10001 }, "a")).toThrow(RangeError);
    expect(() => encryptPassphrase({ ...pair.publicKey, ExponentHex: "zz" }, "a")).toThrow(RangeError);
    expect(() => encryptPassphrase({ ...pair.publicKey, ExponentHex: 1 }, "a")).toThrow(RangeError);
  });

  it("still decrypts a ciphertext whose leading zero digit was stripped", () => {
    let ciphertext = "";
    for (let attempt = 0; attempt < 2000 && !ciphertext.startsWith("0"); attempt++) {
      ciphertext = encryptPassphrase(pair.publicKey, "leading zero");
    }
    expect(ciphertext.startsWith("0")).toBe(true);
    const stripped = ciphertext.replace(/^0+/, "");
    expect(stripped.length).toBeLessThan(256);
    expect(decryptPassphrase(pair.privateKeyPem, stripped)).toBe("leading zero");
    expect(decryptPassphrase(pair.privateKeyPem, ciphertext.slice(1))).toBe("leading zero");
    expect(decryptPassphrase(pair.privateKeyPem, ciphertext.toUpperCase())).toBe("leading zero");
  });

  it("returns null for garbage, non-hex, too long, and the wrong key", () => {
    const ciphertext = encryptPassphrase(pair.publicKey, "secret");
    const { privateKeyPem } = pair;
    expect(decryptPassphrase(privateKeyPem, "")).toBeNull();
    expect(decryptPassphrase(privateKeyPem, "deadbeef")).toBeNull();
    expect(decryptPassphrase(privateKeyPem, "ab".repeat(128))).toBeNull();
    expect(decryptPassphrase(privateKeyPem, "f".repeat(256))).toBeNull(); // not below the modulus
    expect(decryptPassphrase(privateKeyPem, "0".repeat(256))).toBeNull();
    expect(decryptPassphrase(privateKeyPem, "not hex at all")).toBeNull();
    expect(decryptPassphrase(privateKeyPem, `${ciphertext.slice(0, -1)}g`)).toBeNull();
    expect(decryptPassphrase(privateKeyPem, ` ${ciphertext}`)).toBeNull();
    expect(decryptPassphrase(privateKeyPem, `0${ciphertext}`)).toBeNull(); // 2k + 1 digits
    expect(decryptPassphrase(privateKeyPem, `00${ciphertext}`)).toBeNull();
    expect(decryptPassphrase(other.privateKeyPem, ciphertext)).toBeNull();
    expect(decryptPassphrase("not a pem", ciphertext)).toBeNull();
  });

  it("never throws for arbitrary strings", () => {
    const inputs = ["", "0", "z", "\u0000", "💥", "f".repeat(10_000), `${"0".repeat(255)}1`, "0x1234"];
    for (let i = 0; i < 50; i++) {
      inputs.push(
        Math.random()
          .toString(16)
          .slice(2)
          .repeat(1 + (i % 20)),
      );
    }
    for (const input of inputs) {
      expect(() => decryptPassphrase(pair.privateKeyPem, input)).not.toThrow();
    }
  });

  it("works with a 2048-bit key: 512 hex digits", () => {
    const big = generateAgentKeyPair();
    expect(big.publicKey.ModulusHex).toHaveLength(512);
    expect(big.publicKey.ExponentHex).toBe(10001);
    const ciphertext = encryptPassphrase(big.publicKey, "two thousand forty-eight");
    expect(ciphertext).toMatch(/^[0-9a-f]{512}$/);
    expect(decryptPassphrase(big.privateKeyPem, ciphertext)).toBe("two thousand forty-eight");
    expect(decryptPassphrase(pair.privateKeyPem, ciphertext)).toBeNull(); // too long for 1024-bit
    expect(() => encryptPassphrase(big.publicKey, "x".repeat(256 - 11))).not.toThrow();
    expect(() => encryptPassphrase(big.publicKey, "x".repeat(256 - 10))).toThrow(RangeError);
  });
});

describe("isWellFormedCiphertext", () => {
  it("accepts hex of at most 2k digits", () => {
    const ciphertext = encryptPassphrase(pair.publicKey, "secret");
    expect(isWellFormedCiphertext(pair.publicKey, ciphertext)).toBe(true);
    expect(isWellFormedCiphertext(pair.publicKey, ciphertext.toUpperCase())).toBe(true);
    expect(isWellFormedCiphertext(pair.publicKey, ciphertext.slice(1))).toBe(true);
    expect(isWellFormedCiphertext(pair.publicKey, `0${ciphertext}`)).toBe(false);
    expect(isWellFormedCiphertext(pair.publicKey, "")).toBe(false);
    expect(isWellFormedCiphertext(pair.publicKey, "xyz")).toBe(false);
    expect(isWellFormedCiphertext({ ModulusHex: "nope", ExponentHex: 10001 }, "ab")).toBe(false);
  });
});
