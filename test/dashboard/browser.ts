// A real browser for the dashboard's end-to-end tests: Debian's chromium (`/usr/bin/chromium`, or
// $CHROMIUM_PATH) driven by playwright-core. Without it the suite is skipped, saying why — except
// with VIGIE_REQUIRE_BROWSER=1 (CI installs chromium), where that is a failure.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(process.cwd(), "test-artifacts", "screenshots");

/** Why the browser tests cannot run here, or null. */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env.VIGIE_REQUIRE_BROWSER === "1") throw new Error(`${why}; VIGIE_REQUIRE_BROWSER=1`);
  return why;
}

export async function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The sandbox needs user namespaces, which CI containers (running as root) do not give.
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** The whole page, or only what the window shows with `fullPage: false` (for the README). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/**
 * The WCAG 2 A/AA violations axe-core finds on the page. Injected through the DevTools protocol
 * (addScriptTag would be refused by our Content-Security-Policy, as it should be).
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Runtime.evaluate", { expression: AXE });
  const { result } = await cdp.send("Runtime.evaluate", {
    expression:
      "axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then(r => JSON.stringify(r.violations))",
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  const violations = JSON.parse(result.value as string) as AxeViolation[];
  return violations.map(
    (v) => `${v.impact ?? ""} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
}

/**
 * Presses Tab through the page and returns the interactive elements it never reached (as HTML
 * excerpts): links, buttons, fields, frames. A radio group counts as reached when one of its
 * buttons is (Tab enters a group once; arrows move inside it).
 */
export async function unreachableByKeyboard(page: Page): Promise<string[]> {
  const total = (await page.evaluate(`(() => {
    const els = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, iframe, [tabindex]:not([tabindex="-1"])')]
      .filter((e) => !e.disabled && e.getClientRects().length > 0);
    els.forEach((e, i) => e.setAttribute("data-kbd", e.type === "radio" ? "radio:" + e.name : String(i)));
    return new Set(els.map((e) => e.getAttribute("data-kbd"))).size;
  })()`)) as number;
  const reached = new Set<string>();
  // Whatever the page focused by itself, start from the top.
  await page.evaluate("document.activeElement?.blur()");
  for (let i = 0; i < total * 4 + 60 && reached.size < total; i++) {
    await page.keyboard.press("Tab");
    const k = (await page.evaluate(`document.activeElement?.getAttribute("data-kbd") ?? ""`)) as string;
    if (k !== "") reached.add(k);
  }
  return (await page.evaluate(
    `[...document.querySelectorAll("[data-kbd]")].filter((e) => !${JSON.stringify([...reached])}.includes(e.getAttribute("data-kbd"))).map((e) => e.outerHTML.slice(0, 120))`,
  )) as string[];
}
