// The dashboard in a real browser (chromium through playwright-core), over a store holding the
// bundled sample evidence (as `npm run demo` imports it): sign in by keyboard, screen the bundled
// "pige" list, look a person up, read the law at a date, verify the audit trail — in French and in
// English, with axe-core finding no WCAG A/AA violation on any page. Screenshots go to
// test-artifacts/screenshots/.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { ImportKind } from "../../src/services/import/kinds.ts";
import { importFile } from "../../src/services/import/run.ts";
import { dayStart } from "../../src/time/dates.ts";
import {
  accessibilityViolations,
  browserMissing,
  launch,
  screenshot,
  unreachableByKeyboard,
} from "./browser.ts";
import { type Dashboard, PASSWORD, startDashboard } from "./helpers.ts";

const missing = browserMissing();

describe("dashboard in a browser", { skip: missing ?? false }, () => {
  let d: Dashboard;
  let browser: Browser;
  before(async () => {
    d = await startDashboard();
    const imports: [ImportKind, string, string?, boolean?][] = [
      ["contacts", "examples/evidence/contacts.csv"],
      ["consents", "examples/evidence/consents.csv"],
      ["objections", "examples/evidence/objections.csv"],
      ["history", "examples/evidence/history.csv"],
      ["bloctel", "examples/evidence/bloctel-2026-08-03.csv", "2026-08-03"],
      ["bloctel", "examples/lists/pige-bloctel-2025-03-01.csv", "2025-03-01", true],
    ];
    for (const [kind, file, date, complete] of imports) {
      const r = await importFile(d.session, {
        kind,
        file,
        ignoreUnknown: false,
        date: date === undefined ? undefined : dayStart(date),
        complete,
        recordedBy: "import:e2e",
        now: Date.now(),
      });
      assert.deepEqual(r.rejected, [], `${file} imports cleanly`);
    }
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

  it("screens the bundled pige list for the March 2025 call campaign, as npm run demo does", async () => {
    const page = await signIn("operator", "en-GB");
    await page.getByRole("navigation").getByRole("link", { name: "Screen a list" }).click();
    await page.getByLabel("Contact file (CSV, Excel or JSON Lines)").setInputFiles("examples/lists/pige.csv");
    await page.getByRole("button", { name: "Upload and map the columns" }).click();
    await page.waitForURL(/\/map$/);
    assert.deepEqual(await accessibilityViolations(page), []);
    // The campaign of examples/campaigns/pige-call-2025.json, typed into the form.
    await page.getByLabel("Controller").fill("Agence Dupont");
    await page.getByLabel("Channel").selectOption("voice_live");
    await page.getByLabel("Sector").selectOption("other");
    await page.getByLabel("Caller ID").fill("+33 1 44 00 00 00");
    await page.getByLabel("Dialer").selectOption("manual");
    await page.getByLabel("Phone prospecting is a habitual activity").selectOption("true");
    await page.getByLabel("In a window (each allowed contact gets its next lawful slot)").check();
    await page.getByLabel("Window start").fill("2025-03-04T08:00");
    await page.getByLabel("Window end").fill("2025-03-04T12:00");
    await screenshot(page, "04-screen-map-en");
    await page.click("form[action$='/map'] button[type=submit]");
    await page.waitForURL(/\/screen\/[0-9a-f]{32}$/);
    await page.waitForSelector("iframe.report", { timeout: 60_000 });
    // The same figures as the README's demo: 32 rows = 21 allowed + 9 blocked + 2 rejected.
    assert.match((await page.textContent("main")) ?? "", /32 read = 21 allowed \+ 9 blocked \+ 2 rejected/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, "05-screen-result-en");
    await screenshot(page, "05-screen-result-en-window", false);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "blocked.csv" }).click();
    const blocked = await (await download).path();
    assert.ok(blocked !== null);
    await page.context().close();
  });

  it("looks a person up: the evidence timeline and the decision for the stored campaign, in French", async () => {
    const page = await signIn("viewer", "fr-FR");
    await page.getByRole("navigation").getByRole("link", { name: "Personnes" }).click();
    await page.getByLabel("Téléphone ou adresse e-mail").fill("06 12 34 56 78");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/people\?point=/);
    const main = (await page.textContent("main")) ?? "";
    assert.match(main, /\+33612345678/);
    assert.match(main, /double_opt_in/);
    await page.getByLabel("Instant du contact prévu (heure de Paris)").fill("2026-12-01T11:00");
    await page.getByRole("button", { name: "Décider" }).click();
    await page.waitForSelector("#verdict");
    assert.match((await page.textContent("#verdict")) ?? "", /Autorisé|Bloqué/);
    assert.match((await page.textContent("main")) ?? "", /conso-l223-1\/phone-consent/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, "06-person-fr");
    await page.context().close();
  });

  it("the keyboard check reports a control Tab cannot reach", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(
      '<a href="#a">reached</a><a href="#b" tabindex="-1">skipped</a><input type="radio" name="g"><input type="radio" name="g">',
    );
    assert.deepEqual(await unreachableByKeyboard(page), [
      '<a href="#b" tabindex="-1" data-kbd="1">skipped</a>',
    ]);
    await context.close();
  });

  it("every page: in French and in English, every control reached by the keyboard, no axe violation", async () => {
    const fr = await signIn("admin", "fr-FR");
    await fr.goto(`${d.url}/screen`);
    const screening = await fr.getAttribute("main a[href^='/screen/']", "href");
    assert.ok(screening !== null, "the screening of the earlier test is listed");
    const paths = [
      "/",
      "/screen",
      screening,
      "/people",
      "/people?point=0612345678",
      "/people/erase?point=0612345678",
      "/law?at=2025-03-03",
      `/law/${encodeURIComponent("conso-l223-1/bloctel")}?at=2025-03-03`,
      "/audit",
      "/webhooks",
    ];
    const en = await signIn("admin", "en-GB");
    await en.goto(`${d.url}/lang?to=en&back=%2F`);
    for (const path of paths) {
      const texts: string[] = [];
      for (const [lang, page] of [
        ["fr", fr],
        ["en", en],
      ] as const) {
        const res = await page.goto(`${d.url}${path}`);
        assert.equal(res?.status(), 200, `${path} (${lang})`);
        assert.equal(await page.getAttribute("html", "lang"), lang, path);
        texts.push((await page.textContent("main")) ?? "");
        assert.deepEqual(await accessibilityViolations(page), [], `${path} (${lang})`);
        assert.deepEqual(await unreachableByKeyboard(page), [], `${path} (${lang})`);
      }
      assert.notEqual(texts[0], texts[1], `${path} reads differently in French and English`);
    }
    await fr.context().close();
    await en.context().close();
  });

  it("verifies the audit trail from the audit page", async () => {
    const page = await signIn("viewer", "fr-FR");
    await page.getByRole("navigation").getByRole("link", { name: "Audit" }).click();
    await page.getByRole("button", { name: "Vérifier la chaîne" }).click();
    const status = page.getByRole("status");
    assert.match((await status.textContent()) ?? "", /Chaîne intacte/);
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, "07-audit-fr");
    await page.context().close();
  });
});
