/** Types of scripts/lib/releases.mjs. */

export const ROOT: string;
export const RELEASES_DIR: string;
export const SOURCE_YAML: string;
export const SPEC_PACKAGE_DIR: string;
export const WORKING_BUNDLE: string;

export interface Release {
  version: string;
  file: string;
}

export interface SpecVersions {
  /** packages/spec/package.json `version`. */
  packageVersion: string;
  /** openapi/openapi.yaml `info.version`. */
  yamlVersion: string | null;
  /** packages/spec/openapi.json `info.version`. */
  bundleVersion: string | null;
}

export function listReleases(dir?: string): Release[];
export function latestRelease(dir?: string): Release | null;
export function readDescription(file: string): Promise<unknown>;
export function readInfoVersion(yamlText: string): string | null;
export function writeInfoVersion(yamlText: string, version: string): string;
export function specVersions(root?: string): SpecVersions;
export function versionProblems(versions: SpecVersions): string[];
