import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { document } from "../src/index.js";

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

/** An ajv instance that knows the bundled description under the id `spec`. */
export function specAjv(extra: Record<string, unknown> = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(structuredClone(document) as object, "spec");
  for (const [id, doc] of Object.entries(extra)) ajv.addSchema(structuredClone(doc) as object, id);
  return ajv;
}

/** JSON Pointer escaping (RFC 6901). */
export const escapePointer = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");
