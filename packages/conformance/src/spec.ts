/**
 * The description as the kit reads it: the shared spec tooling of `@cloud-backup/spec/validate`
 * (operations matched from method and path, and the strict response checker).
 */
export {
  Spec,
  clip,
  closeObjectSchemas,
  deref,
  describeErrors,
  resolvePointer,
  type Json,
  type Operation,
  type ResponseToCheck,
  type Schema,
} from "@cloud-backup/spec/validate";
