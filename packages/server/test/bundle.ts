/**
 * Bundles an entry of the server for the browser with esbuild (`platform: "browser"`) and
 * reports every Node built-in or native module the bundle would need, with who imports it.
 */
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

/** Packages that only work on Node (native addons and their loaders). */
const NODE_ONLY_PACKAGES = ["better-sqlite3", "bindings", "file-uri-to-path"];

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

export interface BrowserBundle {
  /** The bundle (ESM), when esbuild produced one. */
  code?: string;
  /** Each Node built-in or Node-only package reached, as `"<import> (imported by <file>)"`. */
  nodeImports: string[];
  /** esbuild's errors, as text. */
  errors: string[];
}

export async function bundleForBrowser(entry: string): Promise<BrowserBundle> {
  const nodeImports: string[] = [];
  const record: Plugin = {
    name: "record-node-imports",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.startsWith("node:") ? args.path : args.path.split("/")[0]!;
        if (builtins.has(args.path) || builtins.has(bare) || NODE_ONLY_PACKAGES.includes(bare)) {
          nodeImports.push(`${args.path} (imported by ${args.importer.replace(/^.*\/(packages|node_modules)\//, "$1/")})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
  try {
    const result = await build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      write: false,
      logLevel: "silent",
      plugins: [record],
    });
    return { code: result.outputFiles[0]?.text, nodeImports, errors: result.errors.map((e) => e.text) };
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string }> }).errors?.map((e) => e.text) ?? [String(error)];
    return { nodeImports, errors };
  }
}
