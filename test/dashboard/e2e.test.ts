// The dashboard in a real browser (chromium through playwright-core): sign in by keyboard, read the
// law at a date, verify the audit trail — in French and in English, with axe-core finding no WCAG
// A/AA violation on any page. Screenshots go to test-artifacts/screenshots/.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { accessibilityViolations, browserMissing, launch, screenshot } from "./browser.ts";
import { type Dashboard, PASSWORD, startDashboard } from "./helpers.ts";

const missing = browserMissing();

describe("dashboard in a browser", { skip: missing ?? false }, () => {
  let d: Dashboard;
  let browser: Browser;
  before(async () => {
    d = await startDashboard();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await d?.close();
  });

  /** A new page signed in as `user`, typing and pressing keys as a keyboard user would. */
  async function signIn(user: string, locale: "fr-FR" | "en-GB"): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${d.url}/`);
    assert.match(page.url(), /\/login\?next=%2F$/);
    // The user field takes the focus by itself (autofocus), which chromium applies after the load
    // event, on a later frame: wait for it rather than type into the page body.
    await page.waitForFunction("document.activeElement?.id === 'user'");
    await page.keyboard.type(user);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${d.url}/`);
    return page;
  }

  it("signs in with the keyboard alone, in French, and the pages pass axe-core", async () => {
    const context = await browser.newContext({ locale: "fr-FR" });
    const login = await context.newPage();
    await login.goto(`${d.url}/login`);
    assert.equal(await login.getAttribute("html", "lang"), "fr");
    assert.deepEqual(await accessibilityViolations(login), []);
    await screenshot(login, "01-sign-in-fr");
    await context.close();

    const page = await signIn("operator", "fr-FR");
    assert.equal(await page.textContent("h1"), "Tableau de bord");
    // The first Tab reaches the skip link, which moves the focus to the content.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate("document.activeElement?.textContent"), "Aller au contenu");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate("document.activeElement?.id"), "main");
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, "02-home-fr");
    await page.context().close();
  });

  it("shows the law on 3 March 2025 and a rule's detail, in English", async () => {
    const page = await signIn("viewer", "en-GB");
    await page.getByRole("navigation").getByRole("link", { name: "The law by date" }).click();
    await page.getByLabel("Date").fill("2025-03-03");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/\/law\?at=2025-03-03$/);
    const heading = await page.textContent("#in-force");
    assert.match(heading ?? "", /^Rules in force on 3 Mar 2025 \(\d+\)$/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, "03-law-2025-03-03-en");
    await page.getByRole("link", { name: "conso-d223-9/hours" }).first().click();
    assert.equal(await page.textContent("h1"), "conso-d223-9/hours");
    assert.ok(await page.getByText("D.223-9").first().isVisible());
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.context().close();
  });

  it("verifies the audit trail from the audit page", async () => {
    const page = await signIn("viewer", "fr-FR");
    await page.getByRole("navigation").getByRole("link", { name: "Audit" }).click();
    await page.getByRole("button", { name: "Vérifier la chaîne" }).click();
    const status = page.getByRole("status");
    assert.match((await status.textContent()) ?? "", /Chaîne intacte/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, "05-audit-fr");
    await page.context().close();
  });
});
