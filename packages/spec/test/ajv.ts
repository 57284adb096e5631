import { createAjv } from "../src/validate.js";
import { document } from "../src/index.js";

export { escapePointer } from "../src/validate.js";

/** An ajv instance that knows the bundled description under the id `spec` (and `extra` under theirs). */
export function specAjv(extra: Record<string, unknown> = {}) {
  const ajv = createAjv({});
  ajv.addSchema(structuredClone(document) as object, "spec");
  for (const [id, doc] of Object.entries(extra)) ajv.addSchema(structuredClone(doc) as object, id);
  return ajv;
}
