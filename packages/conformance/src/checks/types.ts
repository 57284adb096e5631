import type { Capability } from "../capabilities.js";
import type { CapabilityContext } from "../context.js";

/** What a check may add to its result. */
export interface CheckOutcome {
  details?: Record<string, unknown>;
}

export interface CheckDefinition {
  name: string;
  run: (ctx: CapabilityContext) => Promise<CheckOutcome | void>;
}

/** A capability: `build` makes a fresh list of checks (they share state through closures). */
export interface CapabilityModule {
  capability: Capability;
  build: () => CheckDefinition[];
}

/** A small builder so capability modules read as lists of named checks. */
export function checks(): { add: (name: string, run: CheckDefinition["run"]) => void; list: CheckDefinition[] } {
  const list: CheckDefinition[] = [];
  return { add: (name, run) => void list.push({ name, run }), list };
}
