// Excel lists through the dashboard, in chromium (issue #15): the bundled Windows-1252 `;` CSV and
// .xlsx workbook (examples/lists/pige-excel.*) uploaded as an office sends them, their French
// column names recognised without mapping any by hand, the list's source words and a list-wide
// date stated in the form, and the French result read: the same counts and interpretations as
// `vigie screen` gives for the same inputs against the same store. The screenshot of the
// workbook's French result is docs/img/excel-list-report.png.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { vigie } from "../screen/helpers.ts";
import { accessibilityViolations, browserMissing, launch, screenshot } from "./browser.ts";
import { type Dashboard, PASSWORD, startDashboard } from "./helpers.ts";

const SOURCES = JSON.parse(readFileSync("examples/lists/pige-sources.json", "utf8")) as {
  origin: Record<string, string>;
};
/** pige-sources.json as one line of the form, in `--map-values` syntax. */
const MAP_VALUES = `origin=${Object.entries(SOURCES.origin)
  .map(([word, origin]) => `${word}:${origin}`)
  .join(",")}`;

/** The French names of the lists' columns, each recognised as one of vigie's. */
const RECOGNISED = {
  id: "Référence",
  phone: "Téléphone",
  kind: "Type de contact",
  origin: "Source",
  collected_at: "Date de collecte",
  publisher_refused: "Mention",
  department: "Dépt",
};

/** The interpretations' French labels on the result page. */
const READINGS = {
  numbersCompleted: "Numéros complétés par leur 0 initial (perdu par le tableur)",
  datesFrench: "Dates lues au format français JJ/MM/AAAA",
  valuesMapped: "Valeurs traduites des mots de la liste",
  valuesSet: "Cellules vides remplies par une valeur pour toute la liste",
  needsReview: "Mentions d'annonce non reconnues, lues comme un refus (lignes bloquées jusqu'à relecture)",
};

interface Cli {
  readonly counts: { in: number; allowed: number; blocked: number; rejected: number };
  readonly interpretations: Record<keyof typeof READINGS, number>;
}

describe("dashboard: Excel lists in a browser", { skip: browserMissing() ?? false }, () => {
  let d: Dashboard;
  let browser: Browser;
  let page: Page;
  let work: string;
  before(async () => {
    d = await startDashboard();
    browser = await launch();
    const context = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${d.url}/login?next=%2Fscreen`);
    await page.waitForFunction("document.activeElement?.id === 'user'");
    await page.keyboard.type("operator");
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${d.url}/screen`);
    work = mkdtempSync(join(tmpdir(), "vigie-excel-upload-"));
    copyFileSync("examples/lists/pige-sources.json", join(work, "pige-sources.json"));
    copyFileSync("examples/campaigns/pige-call-2025.json", join(work, "campaign.json"));
  });
  after(async () => {
    await browser?.close();
    await d?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** `vigie screen` on the same list, campaign and values, against the dashboard's store. */
  function cli(file: string, extra: readonly string[]): Cli {
    copyFileSync(`examples/lists/${file}`, join(work, file));
    const out = `out-${file}`;
    const r = vigie(
      [
        "screen",
        file,
        "--campaign",
        "campaign.json",
        "--out",
        out,
        "--store",
        join(d.dir, "vigie.db"),
        "--tenant",
        "t",
        "--map-values-file",
        "pige-sources.json",
        ...extra,
      ],
      work,
      { VIGIE_KEYRING: process.env.VIGIE_KEYRING },
    );
    const m = /: (\d+) rows = (\d+) allowed \+ (\d+) blocked \+ (\d+) rejected/.exec(r.stdout);
    assert.ok(m, `${r.stdout}${r.stderr}`);
    const summary = JSON.parse(readFileSync(join(work, out, "summary.json"), "utf8"));
    const [, rows, allowed, blocked, rejected] = m.map(Number);
    return {
      counts: {
        in: rows as number,
        allowed: allowed as number,
        blocked: blocked as number,
        rejected: rejected as number,
      },
      interpretations: summary.interpretations,
    };
  }

  /** Uploads the list, checks what the mapping page recognised, states the values, screens. */
  async function screenInBrowser(file: string, set: string): Promise<string> {
    await page.goto(`${d.url}/screen`);
    await page
      .getByLabel("Fichier de contacts (CSV, Excel ou JSON Lines)")
      .setInputFiles(`examples/lists/${file}`);
    await page.getByRole("button", { name: "Déposer et associer les colonnes" }).click();
    await page.waitForURL(/\/map$/);
    const sample = (await page.textContent("#sample-caption ~ thead, table:has(#sample-caption)")) ?? "";
    assert.match(sample, /Référence.*Téléphone.*Date de collecte/s, "the header read with its accents");
    assert.match(sample, /Hélène/);
    // Nothing is mapped by hand: each French name is preselected.
    for (const [column, name] of Object.entries(RECOGNISED)) {
      assert.equal(await page.inputValue(`#map-${column}`), name, column);
    }
    assert.equal(await page.inputValue("#map-email"), "");
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByLabel("Mots de la liste → valeurs de vigie").fill(MAP_VALUES);
    await page.getByLabel("Valeurs des cellules vides").fill(set);
    // The campaign of examples/campaigns/pige-call-2025.json.
    await page.getByLabel("Responsable du traitement").fill("Agence Dupont");
    await page.getByLabel("Canal").selectOption("voice_live");
    await page.getByLabel("Secteur").selectOption("other");
    await page.getByLabel("Numéro affiché").fill("+33 1 44 00 00 00");
    await page.getByLabel("Numérotation").selectOption("manual");
    await page.getByLabel("La prospection téléphonique est une activité habituelle").selectOption("true");
    await page
      .getByLabel("Dans une fenêtre (chaque contact autorisé reçoit son prochain créneau licite)")
      .check();
    await page.getByLabel("Début de la fenêtre").fill("2025-03-04T08:00");
    await page.getByLabel("Fin de la fenêtre").fill("2025-03-04T12:00");
    await page.click("form[action$='/map'] button[type=submit]");
    await page.waitForURL(/\/screen\/[0-9a-f]{32}$/);
    await page.waitForSelector("iframe.report", { timeout: 60_000 });
    assert.deepEqual(await accessibilityViolations(page), []);
    return (await page.textContent("main")) ?? "";
  }

  /** The result page says the CLI's counts and each of its interpretations, in French. */
  function sameAsCli(main: string, c: Cli): void {
    const { in: n, allowed, blocked, rejected } = c.counts;
    assert.match(
      main,
      new RegExp(`${n} lues = ${allowed} autorisées \\+ ${blocked} bloquées \\+ ${rejected} rejetées`),
    );
    for (const [kind, label] of Object.entries(READINGS)) {
      const count = c.interpretations[kind as keyof typeof READINGS];
      if (count === 0) assert.ok(!main.includes(label), kind);
      else assert.ok(main.includes(`${label}${count}`), `${kind}: ${count}`);
    }
    assert.match(main, /Colonnes reconnues/);
    for (const [column, name] of Object.entries(RECOGNISED))
      assert.ok(main.includes(`${name} → ${column}`), column);
  }

  it("a Windows-1252 CSV: read as such, the 0s completed, the French dates read, the source words translated", async () => {
    const main = await screenInBrowser("pige-excel.csv", "collected_at=01/02/2025");
    const c = cli("pige-excel.csv", ["--set", "collected_at=01/02/2025"]);
    assert.deepEqual(c.counts, { in: 7, allowed: 1, blocked: 5, rejected: 1 });
    sameAsCli(main, c);
    assert.match(
      main,
      /Encodage luwindows-1252 \(reconnu à ses octets\) ; les fichiers produits sont en UTF-8/,
    );
    await screenshot(page, "excel-csv-result-fr");
  });

  it("an .xlsx workbook: its first sheet, the number cells completed, the source words translated", async () => {
    const main = await screenInBrowser("pige-excel.xlsx", "");
    const c = cli("pige-excel.xlsx", []);
    assert.deepEqual(c.counts, { in: 6, allowed: 1, blocked: 5, rejected: 0 });
    sameAsCli(main, c);
    assert.match(main, /Feuille lueAnnonces/);
    await screenshot(page, "excel-list-report");
  });

  it("refuses a value the command line refuses, beside its field, in the same words", async () => {
    await page.goto(`${d.url}/screen`);
    await page
      .getByLabel("Fichier de contacts (CSV, Excel ou JSON Lines)")
      .setInputFiles("examples/lists/pige-excel.csv");
    await page.getByRole("button", { name: "Déposer et associer les colonnes" }).click();
    await page.waitForURL(/\/map$/);
    await page.getByLabel("Valeurs des cellules vides").fill("collected_at=31/02/2025");
    await page.getByLabel("Mots de la liste → valeurs de vigie").fill("origin=LeBonCoin:internet");
    await page.getByLabel("Responsable du traitement").fill("Agence Dupont");
    await page.getByLabel("Instant", { exact: true }).fill("2025-03-04T11:00");
    await page.click("form[action$='/map'] button[type=submit]");
    await page.waitForSelector("#errors");
    const errors = (await page.textContent("#errors")) ?? "";
    assert.match(
      errors,
      /Valeurs des cellules vides : collected_at=31\/02\/2025: "31\/02\/2025": there is no 31 février 2025/,
    );
    assert.match(
      errors,
      /Mots de la liste → valeurs de vigie : origin=LeBonCoin:internet: "internet" is not one of direct/,
    );
    assert.equal(await page.getAttribute("#set", "aria-invalid"), "true");
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.equal(d.campaigns.list().length, 2, "no campaign stored for a refused form");
  });
});
