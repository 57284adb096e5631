/**
 * axe-core in the browser tests: injects axe's own source into a page (nothing is fetched) and
 * runs the WCAG 2.1 A and AA rules over the whole document.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The rule sets of WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export interface Violation {
  /** Where it was found: the page, and the state of the page (a route, an open menu). */
  where: string;
  rule: string;
  impact: string;
  help: string;
  /** The CSS selectors of the offending elements. */
  elements: string[];
}

/** Runs axe over the page as it is now. */
export async function axeCheck(page: Page, where: string, include?: string): Promise<Violation[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(
    async ({ tags, include }) => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              context: object,
              options: object,
            ) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run(include ? { include: [[include]] } : document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      });
      return result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact ?? "",
        help: v.help,
        elements: v.nodes.map((n) => n.target.join(" ")),
      }));
    },
    { tags: WCAG_TAGS, include },
  );
  return found.map((v) => ({ where, ...v }));
}

/** One line per rule and page, naming the elements: what a failing test prints. */
export function describeViolations(violations: Violation[]): string {
  return violations
    .map(
      (v) =>
        `${v.where}: ${v.rule} (${v.impact}, ${v.elements.length} element(s)): ${v.help}\n    ${v.elements.slice(0, 10).join("\n    ")}${v.elements.length > 10 ? `\n    ... and ${v.elements.length - 10} more` : ""}`,
    )
    .join("\n");
}

/** Elements counted over a list of violations, by rule. */
export function totals(violations: Violation[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of violations) out[v.rule] = (out[v.rule] ?? 0) + v.elements.length;
  return out;
}
