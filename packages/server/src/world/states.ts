/**
 * The backup and restore lifecycles: every state and every transition the simulated service
 * makes. The world only moves along these transitions (a test checks every timeline it
 * builds), and the docs draw their state diagrams from the same tables.
 */

import { type components, document } from "@cloud-backup/spec";

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

export const BACKUP_LIFECYCLE: Lifecycle<BackupStateName> = {
  initial: ["StartRequested", "StartScheduled", "Skipped", "Missed"],
  terminal: ["Completed", "CompletedWithErrors", "Failed", "Stopped", "Skipped", "Missed"],
  transitions: [
    { from: "StartRequested", to: "Queued", on: "agent accepts the manual start" },
    { from: "StartScheduled", to: "Queued", on: "agent accepts the scheduled run" },
    { from: "Queued", to: "Preparing", on: "agent starts scanning" },
    { from: "Preparing", to: "InProgress", on: "scan done, upload starts" },
    { from: "InProgress", to: "Completed", on: "every file uploaded" },
    { from: "InProgress", to: "CompletedWithErrors", on: "some files could not be read" },
    { from: "InProgress", to: "Failed", on: "agent error" },
    { from: "StartRequested", to: "StopRequested", on: "StopManual" },
    { from: "StartScheduled", to: "StopRequested", on: "StopManual" },
    { from: "Queued", to: "StopRequested", on: "StopManual" },
    { from: "Preparing", to: "StopRequested", on: "StopManual" },
    { from: "InProgress", to: "StopRequested", on: "StopManual" },
    { from: "StopRequested", to: "Stopped", on: "agent stops at a safe point" },
  ],
};

/** Restore states by `RestoreStateId`, as the description lists them. */
export const RESTORE_STATES = document.components.schemas.RestoreState.enum;

export type RestoreStateName = (typeof RESTORE_STATES)[number];

export const RESTORE_LIFECYCLE: Lifecycle<RestoreStateName> = {
  initial: ["Creating"],
  terminal: ["Completed", "Stopped", "Failed", "CompletedWithErrors"],
  transitions: [
    { from: "Creating", to: "StartRequested", on: "StartManual" },
    { from: "StartRequested", to: "Queued", on: "agent accepts the restore" },
    { from: "Queued", to: "Preparing", on: "agent prepares the files" },
    { from: "Preparing", to: "InProgress", on: "download starts" },
    { from: "InProgress", to: "Completed", on: "every file restored" },
    { from: "InProgress", to: "CompletedWithErrors", on: "some files could not be written" },
    { from: "InProgress", to: "Failed", on: "agent error" },
    { from: "StartRequested", to: "StopRequested", on: "StopManual" },
    { from: "Queued", to: "StopRequested", on: "StopManual" },
    { from: "Preparing", to: "StopRequested", on: "StopManual" },
    { from: "InProgress", to: "StopRequested", on: "StopManual" },
    { from: "StopRequested", to: "Stopped", on: "agent stops" },
  ],
};

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
