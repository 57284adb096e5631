/** Types of scripts/build.mjs, for the tests. */
export interface BuildSummary {
  outDir: string;
  bytes: number;
  files: number;
  pages: number;
  operations: number;
  samples: number;
  diagrams: number;
  mode: "prerender" | "client";
  seconds: number;
}
export interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  samples: { lang: string; label: string; source: string }[];
}
export const docsRoot: string;
export const repoRoot: string;
export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: string[];
export const REFERENCES: { name: string; file: string; title: string; nav: string }[];
export const GUIDES: { slug: string; source: string; optional?: boolean; nav?: string }[];
export function redocAnchor(tag: string, operationId: string): string;
export function slugify(text: string): string;
export function operationsOf(doc: unknown): Operation[];
export function build(options?: {
  outDir?: string;
  diagrams?: "auto" | "prerender" | "client";
  references?: boolean;
  log?: (line: string) => void;
}): Promise<BuildSummary>;
