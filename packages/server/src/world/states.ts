/**
 * The backup and restore lifecycles: every state and every transition the simulated service
 * makes, read from the description (`x-lifecycle` on the state schemas). The world only moves along these transitions (a test checks every timeline it
 * builds), and the docs draw their state diagrams from the same tables.
 */

import { type components, document, lifecycles } from "@cloud-backup/spec";

export interface Transition<S> {
  from: S;
  to: S;
  /** What causes the transition. */
  on: string;
}

export interface Lifecycle<S> {
  initial: readonly S[];
  terminal: readonly S[];
  transitions: readonly Transition<S>[];
}

/** A backup state, as the description names them. */
export type BackupStateName = components["schemas"]["BackupState"];

/** The backup lifecycle, as the description declares it (`x-lifecycle` on `BackupState`). */
export const BACKUP_LIFECYCLE: Lifecycle<BackupStateName> = lifecycles.BackupState;

/** Restore states by `RestoreStateId`, as the description lists them. */
export const RESTORE_STATES = document.components.schemas.RestoreState.enum;

export type RestoreStateName = (typeof RESTORE_STATES)[number];

/** `RestoreStateId` by state name: a state's position in the description's enum. */
export const RESTORE_ID = Object.fromEntries(RESTORE_STATES.map((name, id) => [name, id])) as Record<RestoreStateName, number>;

/** The restore lifecycle, as the description declares it (`x-lifecycle` on `RestoreState`). */
export const RESTORE_LIFECYCLE: Lifecycle<RestoreStateName> = lifecycles.RestoreState;

/** Whether a sequence of states follows a lifecycle from an initial state. */
export function followsLifecycle<S>(lifecycle: Lifecycle<S>, states: readonly S[]): boolean {
  if (!states.length || !lifecycle.initial.includes(states[0]!)) return false;
  for (let i = 1; i < states.length; i++) {
    if (!lifecycle.transitions.some((t) => t.from === states[i - 1] && t.to === states[i])) return false;
  }
  return true;
}

/** A Mermaid state diagram of a lifecycle. */
export function toMermaid<S extends string>(lifecycle: Lifecycle<S>): string {
  const lines = ["stateDiagram-v2"];
  for (const s of lifecycle.initial) lines.push(`  [*] --> ${s}`);
  for (const t of lifecycle.transitions) lines.push(`  ${t.from} --> ${t.to}: ${t.on}`);
  for (const s of lifecycle.terminal) lines.push(`  ${s} --> [*]`);
  return lines.join("\n");
}
