import { build } from "../scripts/build.mjs";

/** Builds the site into dist/ so that the tests check what `npm run docs` produces. */
export default async function setup(): Promise<void> {
  const summary = await build({ log: () => {} });
  console.log(
    `docs: built ${summary.pages} pages, ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB, ${summary.samples} samples, diagrams ${summary.mode}, in ${summary.seconds.toFixed(1)} s`,
  );
}
