/**
 * Passphrase encryption as Cloud Backup clients do it: RSAES-PKCS1-v1_5 with the agent's
 * public key, hex-encoded.
 */
import { constants, createPublicKey, publicEncrypt } from "node:crypto";

export interface PublicKeyFields {
  ModulusHex: string;
  /** The exponent's hexadecimal digits, sent as a JSON number (`10001`) or a string. */
  ExponentHex: number | string;
}

function hexToBase64Url(hex: string): string {
  const even = hex.length % 2 ? `0${hex}` : hex;
  return Buffer.from(even, "hex").toString("base64url");
}

/** Encrypts a passphrase with an agent's public key; answers lower-case hex. */
export function encryptPassphrase(key: PublicKeyFields, passphrase: string): string {
  const exponent = String(key.ExponentHex).trim();
  if (!/^[0-9a-fA-F]+$/.test(exponent) || !/^[0-9a-fA-F]+$/.test(key.ModulusHex)) {
    throw new Error("the public key is not hexadecimal");
  }
  const publicKey = createPublicKey({
    key: { kty: "RSA", n: hexToBase64Url(key.ModulusHex.replace(/^(00)+/, "")), e: hexToBase64Url(exponent) },
    format: "jwk",
  });
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(passphrase, "utf8")).toString("hex");
}
