#!/usr/bin/env node
// vigie's command line. Each command imports what it needs when it runs, so `vigie rules` never
// pays for what `vigie check` loads.
import { Command, CommanderError } from "commander";
import { KeyRingError } from "../services/keyring-check.ts";
import { SealError } from "../services/seal.ts";
import { SigningKeyError } from "../services/signing-key.ts";
import { StoreIntegrityError, StoreOpenError } from "../store/store.ts";
import { EXIT, UsageError } from "./exit.ts";
import { withStoreOptions } from "./store-options.ts";

const program = new Command()
  .name("vigie")
  .description("Lawful commercial prospecting by construction: decisions that cite the French law in force.")
  .version("0.1.0")
  .showHelpAfterError()
  .exitOverride();

program
  .command("check")
  .description("decide facts (docs/contract.md §1): one object with --facts, or one per line with --jsonl")
  .option("--facts <file>", "a JSON file holding one facts object ('-' = standard input)")
  .option("--jsonl [file]", "JSON Lines: one facts object per line (default: standard input)")
  .addHelpText(
    "after",
    "\nExit status: 0 when every input was decided, 2 when some input was invalid.\nExamples:\n  vigie check --facts examples/facts/pige-2026.json\n  vigie check --jsonl examples/facts.jsonl",
  )
  .action(async (opts: { facts?: string; jsonl?: string | true }) => {
    const { runCheck } = await import("./commands/check.ts");
    process.exitCode = await runCheck(opts);
  });

program
  .command("rules")
  .description("list the rules in force at a date, with their articles and periods")
  .option("--at <date>", "the date (YYYY-MM-DD or an ISO instant); default: today")
  .option("--json", "print JSON")
  .option("--lang <lang>", "fr or en", "en")
  .action(async (opts: { at?: string; json?: boolean; lang: string }) => {
    const { runRules } = await import("./commands/rules.ts");
    process.exitCode = runRules(opts);
  });

program
  .command("explain")
  .description("print a rule: its article and words, its periods, exceptions and parameter values")
  .argument("<rule>", "a rule id, e.g. conso-d223-9/hours")
  .option("--at <date>", "the date whose version and parameters to show; default: today")
  .option("--lang <lang>", "fr or en", "en")
  .action(async (ruleId: string, opts: { at?: string; lang: string }) => {
    const { runExplain } = await import("./commands/explain.ts");
    process.exitCode = runExplain(ruleId, opts);
  });

withStoreOptions(
  program
    .command("import")
    .description("import evidence from a CSV file: contacts, consents, objections, bloctel or history")
    .argument("<kind>", "contacts | consents | objections | bloctel | history")
    .argument(
      "<file>",
      "the CSV file (any of , ; tab | as delimiter; UTF-8, UTF-16 with BOM or Windows-1252)",
    )
    .option("--ignore-unknown", "ignore columns the kind does not know instead of refusing the file")
    .option(
      "--map <pairs>",
      "read the kind's columns from others, e.g. phone=Téléphone,given_at=Date de consentement",
    )
    .option(
      "--encoding <name>",
      "the file's encoding: utf8, utf16le, utf16be or windows-1252 (default: detected from its bytes)",
    )
    .option("--date <day>", "bloctel: the day of the check (required)")
    .option("--complete", "bloctel: the file lists every registered number that day")
    .option("--json", "print the report as JSON")
    .option(
      "--heads-hook <cmd>",
      "also hand the new signed head to this shell command, on its standard input",
    )
    .addHelpText(
      "after",
      "\nA file is imported whole or not at all, and importing it again changes nothing.\nExit status: 0 all rows imported; 2 some rows rejected (the others imported) or the file refused.",
    ),
).action(async (kind: string, file: string, opts) => {
  const { runImport } = await import("./commands/import.ts");
  process.exitCode = await runImport(kind, file, opts);
});

withStoreOptions(
  program
    .command("screen")
    .description(
      "decide every contact of a list for one campaign: allowed, blocked (with the rule), rejected",
    )
    .argument(
      "<list>",
      "the list: CSV (delimiter , ; tab or |; UTF-8, UTF-16 with BOM or Windows-1252), Excel .xlsx or JSON Lines",
    )
    .requiredOption(
      "--campaign <file>",
      "JSON: the campaign object of the facts, plus at (or a window from/to)",
    )
    .requiredOption(
      "--out <dir>",
      "where to write allowed.csv, blocked.csv, rejected.csv, summary.json, report.html",
    )
    .option(
      "--excel",
      "CSV outputs as Excel opens them: UTF-8 with BOM, ; and CRLF (default: the list's own; a workbook's is this)",
    )
    .option(
      "--xlsx",
      "also write allowed.xlsx, blocked.xlsx and rejected.xlsx: one sheet each, every cell text",
    )
    .option("--map <pairs>", "read recognised columns from others, e.g. phone=Téléphone,email=Courriel")
    .option(
      "--encoding <name>",
      "a CSV list's encoding: utf8, utf16le, utf16be or windows-1252 (default: detected from its bytes)",
    )
    .option("--sheet <name>", "an Excel workbook's sheet, by name or number from 1 (default: the first)")
    .option(
      "--set <column=value>",
      "a value for every row whose cell is empty or absent, e.g. origin=scraped_public (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      "--map-values <column=word:value,…>",
      "read the list's own words, e.g. origin=LeBonCoin:scraped_public,SeLoger:scraped_public (repeatable)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option("--map-values-file <file>", 'the same as JSON: {"origin": {"LeBonCoin": "scraped_public"}}')
    .option("--lang <lang>", "fr or en: blocked.csv's reason, and the language report.html opens in", "en")
    .addHelpText(
      "after",
      '\nRecognised columns: id, phone, email, kind, origin, collected_at, source_url, relationship, department,\ntime_zone, publisher_refused (true/false or the ad\'s words, e.g. "pas de démarchage"), and what a contacts import\ncarries: sender_named, opt_out_offered, informed_at, customer_since, customer_until, last_inbound_at, obtained_at,\ntransfers, free_account_of_paid_model (checked alike; stored evidence wins); others pass through. Evidence comes from --store/--database, else ./vigie.db if it exists,\nelse none (summary.json says so). Outputs appear in DIR only once complete, summary.json last.\nExit status: 0 every row decided; 2 some rows rejected (see rejected.csv), or an invalid campaign or list.\nExample:\n  vigie screen examples/lists/pige.csv --campaign examples/campaigns/pige-call.json --out out/pige',
    ),
).action(async (list: string, opts) => {
  const { runScreen } = await import("./commands/screen.ts");
  process.exitCode = await runScreen(list, opts);
});

const consent = program.command("consent").description("record a consent with its proof, or its withdrawal");
withStoreOptions(
  consent
    .command("add")
    .description("record a consent given by a person")
    .argument("<point>", "phone number or e-mail address")
    .requiredOption("--controller <name>", "to whom the consent was given")
    .requiredOption("--channel <channel>", "the channel consented to")
    .option("--at <date>", "when it was given (default: now)")
    .option(
      "--method <method>",
      "unticked_checkbox, double_opt_in, verbal_recorded, written_signed, sms_code…",
    )
    .option("--scope <scope>", "standard, or out_of_hours (calls outside D.223-9's hours)", "standard")
    .option("--no-proof", "no evidence of the consent is held")
    .option("--wording-version <v>", "version of the text the person agreed to")
    .option("--wording-sha256 <hex>", "SHA-256 of that text")
    .option("--collection-point <where>", "form, page or call script where it was collected")
    .option("--proof-ref <ref>", "reference of the evidence file (recording, scan)")
    .option("--collected-by <who>", "self, partner or broker: who collected it (docs/readings.md)")
    .option(
      "--named-how <how>",
      "partner or broker: named, listed_with_link or not_named (was the sender named?)",
    )
    .option("--ip <address>", "IP address of the person (personal data, erasable)")
    .option("--user-agent <ua>", "user agent of the person's browser (personal data, erasable)")
    .option("--json", "print what was recorded as JSON: { seq }, or { seq: null, duplicate: true }"),
).action(async (point: string, opts) => {
  const { runConsentAdd } = await import("./commands/evidence.ts");
  process.exitCode = await runConsentAdd(point, opts);
});
withStoreOptions(
  consent
    .command("withdraw")
    .description("record the withdrawal of a consent")
    .argument("<point>", "phone number or e-mail address")
    .requiredOption("--controller <name>", "to whom the consent had been given")
    .requiredOption("--channel <channel>", "the channel")
    .option("--at <date>", "when it was withdrawn (default: now)")
    .option("--json", "print what was recorded as JSON: { seq }, or { seq: null, duplicate: true }"),
).action(async (point: string, opts) => {
  const { runConsentWithdraw } = await import("./commands/evidence.ts");
  process.exitCode = await runConsentWithdraw(point, { ...opts, scope: "standard", proof: true });
});

withStoreOptions(
  program
    .command("object")
    .description("record a person's objection to prospecting (GDPR art. 21)")
    .argument("<point>", "phone number or e-mail address")
    .option("--controller <name>", "the controller objected to (default: every controller)")
    .option("--channel <channel>", "channel the objection came by, or all", "all")
    .option("--via <via>", "unsubscribe_link, stop_sms, during_call, letter, email, web_form")
    .option("--at <date>", "when (default: now)")
    .option("--json", "print what was recorded as JSON: { seq }, or { seq: null, duplicate: true }"),
).action(async (point: string, opts) => {
  const { runObject } = await import("./commands/evidence.ts");
  process.exitCode = await runObject(point, opts);
});

const subject = program.command("subject").description("a person's rights: access and erasure");
withStoreOptions(
  subject
    .command("export")
    .description("everything held about a contact point, sources included")
    .argument("<point>", "phone number or e-mail address")
    .option("--json", "print JSON"),
).action(async (point: string, opts) => {
  const { runSubjectExport } = await import("./commands/subject.ts");
  process.exitCode = await runSubjectExport(point, opts);
});
withStoreOptions(
  subject
    .command("erase")
    .description("erase a contact point's personal data, keeping its keyed suppression")
    .argument("<point>", "phone number or e-mail address")
    .option("--yes", "do not ask for the point again (scripts); on a terminal it is asked")
    .option("--json", "print what was erased as JSON (as the API answers)"),
).action(async (point: string, opts) => {
  const { runSubjectErase } = await import("./commands/subject.ts");
  process.exitCode = await runSubjectErase(point, opts);
});

withStoreOptions(
  program
    .command("audit")
    .description(
      "verify the evidence log's hash chain, its Merkle tree and the state folded from it; signed heads",
    )
    .argument(
      "<action>",
      "verify | head (the signed heads) | key (the key that signs them) | consistency OLD NEW (the log only grew)",
    )
    .argument("[heads...]", "consistency: two signed heads, each a FILE or FILE:LINE of a heads file")
    .option("--quick", "verify: check the hash chains only, not the state decisions read")
    .option("--json", "print JSON")
    .option("--heads <file>", "verify: also check every signed head of this file against the log")
    .option("--append", "head: also append the signed heads to the heads file (and the hook)")
    .option("--heads-hook <cmd>", "head --append: hand the signed heads to this shell command")
    .option("--create", "key: give a store made before signed heads a signing key"),
).action(async (action: string, heads: string[], opts, cmd: Command) => {
  if (action === "consistency") {
    const { runAuditConsistency } = await import("./commands/heads.ts");
    process.exitCode = await runAuditConsistency(heads, opts);
    return;
  }
  if (heads.length > 0) throw new UsageError(`audit ${action}: unexpected ${heads.join(" ")}`);
  if (action === "head" || action === "key") {
    const { runAuditHead, runAuditKey } = await import("./commands/heads.ts");
    const allTenants = cmd.getOptionValueSource("tenant") === "default";
    process.exitCode =
      action === "head" ? await runAuditHead({ ...opts, allTenants }) : await runAuditKey(opts);
    return;
  }
  if (action !== "verify") throw new UsageError(`audit ${action}: expected verify, head, key or consistency`);
  const { runAuditVerify } = await import("./commands/audit.ts");
  process.exitCode = await runAuditVerify(opts);
});

withStoreOptions(
  program
    .command("retention")
    .description("apply the CNIL retention limits: erase personal data past them")
    .argument("<action>", "sweep")
    .option("--dry-run", "count what would be erased, erase nothing")
    .option("--at <date>", "the date to sweep at (default: now)")
    .option("--json", "print JSON"),
).action(async (action: string, opts) => {
  if (action !== "sweep") throw new UsageError(`retention ${action}: the only action is sweep`);
  const { runRetentionSweep } = await import("./commands/retention.ts");
  process.exitCode = await runRetentionSweep(opts);
});

withStoreOptions(
  program
    .command("serve")
    .description("serve the HTTP API (docs at /docs, OpenAPI 3.1 at /openapi.json)")
    .option("--port <n>", "the port to listen on", "8080")
    .option("--host <address>", "the address to listen on", "127.0.0.1")
    .option(
      "--outbox-webhook <url>",
      "POST double opt-in messages (JSON) to this URL instead of appending them to FILE.outbox.jsonl",
    )
    .option("--upload-limit <MiB>", "the largest CSV file POST /v1/imports/… accepts, in MiB", "256")
    .option(
      "--public-url <url>",
      "where people reach this server (https://…), for the links vigie writes: double opt-in e-mails, unsubscribe headers (or $VIGIE_PUBLIC_URL); without it, e-mail opt-in requests are refused",
    )
    .option(
      "--keep-screenings <days>",
      "delete the dashboard's screenings (uploaded lists, outputs) older than this; 0 keeps them",
      "90",
    )
    .option(
      "--heads-every <seconds>",
      "append the heads that moved to the heads file this often (and at start and shutdown)",
      "3600",
    )
    .option("--heads-hook <cmd>", "also hand each batch of signed heads to this shell command")
    .option("--webhooks-every <seconds>", "deliver the webhooks due this often (vigie webhooks)", "2")
    .addHelpText(
      "after",
      "\nRequests need Authorization: Bearer vk_… (see vigie keys create). API keys, stored campaigns and double opt-in requests are kept in the store\n(FILE.keys.json and FILE.campaigns.json of earlier versions are read into it); their messages go to FILE.outbox.jsonl (personal data,\nmode 0600).",
    ),
).action(async (opts) => {
  const { runServe } = await import("./commands/serve.ts");
  process.exitCode = await runServe(opts);
});

const outbox = program
  .command("outbox")
  .description("the double opt-in messages vigie serve wrote to FILE.outbox.jsonl (personal data)");
withStoreOptions(
  outbox
    .command("list")
    .description("the messages waiting, addresses masked, links and codes not shown")
    .option("--json", "one JSON line per message: at, channel, to (unmasked), subject"),
).action(async (opts) => {
  const { runOutboxList } = await import("./commands/outbox.ts");
  process.exitCode = runOutboxList(opts);
});
withStoreOptions(
  outbox
    .command("purge")
    .description("delete the messages (once the mailer or SMS gateway has sent them)")
    .option("--before <date>", "only those written before this date or instant"),
).action(async (opts) => {
  const { runOutboxPurge } = await import("./commands/outbox.ts");
  process.exitCode = runOutboxPurge(opts);
});

const keys = program.command("keys").description("API keys for vigie serve");
withStoreOptions(
  keys
    .command("create")
    .description("create an API key and print it once (only its SHA-256 is kept)")
    .requiredOption("--scope <scopes>", "comma-separated: decide, read, write-evidence, admin")
    .option("--name <name>", "what the key is for")
    .option("--rate <n>", "requests per second this key may make (default 200; 0: unlimited)")
    .option("--burst <n>", "requests at once, before the rate applies (default 2 × --rate)"),
).action(async (opts) => {
  const { runKeysCreate } = await import("./commands/keys.ts");
  process.exitCode = await runKeysCreate(opts);
});
withStoreOptions(
  keys
    .command("list")
    .description("the keys: id, name, scopes, rate, created, active or revoked (never the key)")
    .option(
      "--json",
      "one JSON line per key: id, name, scopes, rate (0: unlimited), burst, createdAt, revokedAt",
    ),
).action(async (opts) => {
  const { runKeysList } = await import("./commands/keys.ts");
  process.exitCode = await runKeysList(opts);
});
withStoreOptions(
  keys.command("revoke <id>").description("revoke a key: vigie serve refuses it from its next request"),
).action(async (id: string, opts) => {
  const { runKeysRevoke } = await import("./commands/keys.ts");
  process.exitCode = await runKeysRevoke(id, opts);
});

const keyring = program
  .command("keyring")
  .description("the keyring that keys contact points ($VIGIE_KEYRING), and the store it belongs to");
withStoreOptions(
  keyring
    .command("adopt")
    .description(
      "record the keyring as the store's, for a store holding evidence but no point to check it against",
    )
    .addHelpText(
      "after",
      '\nOnly for a store made before stores recorded their keyring, whose points are all erased: vigie refuses\nit until told which keyring is its own. Never replaces a recorded keyring, never adopts one a held\npoint proves wrong (docs/evidence.md, "The keyring check").',
    ),
).action(async (opts) => {
  const { runKeyRingAdopt } = await import("./commands/keyring.ts");
  process.exitCode = await runKeyRingAdopt(opts);
});

const users = program.command("users").description("who may sign in to the dashboard (vigie serve, at /)");
withStoreOptions(
  users
    .command("add <name>")
    .description("add a user; the password (12 characters or more) is read from standard input")
    .requiredOption(
      "--role <role>",
      "viewer (reads), operator (also screens lists and exports) or admin (also erases)",
    ),
).action(async (name: string, opts) => {
  const { runUsersAdd } = await import("./commands/users.ts");
  process.exitCode = await runUsersAdd(name, opts);
});
withStoreOptions(users.command("remove <name>").description("remove a user")).action(
  async (name: string, opts) => {
    const { runUsersRemove } = await import("./commands/users.ts");
    process.exitCode = await runUsersRemove(name, opts);
  },
);
withStoreOptions(
  users.command("list").description("list the users and their roles").option("--json", "print JSON lines"),
).action(async (opts) => {
  const { runUsersList } = await import("./commands/users.ts");
  process.exitCode = await runUsersList(opts);
});

const suppression = program
  .command("suppression")
  .description("the points senders must not contact: objections, withdrawn consents, erasures");
withStoreOptions(
  suppression
    .command("export")
    .description("a suppression list in the layout an e-mail platform, SMS gateway or dialer imports")
    .requiredOption("--channel <channel>", "email, sms or phone")
    .option("--format <format>", "csv, brevo, mailchimp or hashed-sha256", "csv")
    .option("--since <date>", "only entries since this date (a nightly pull)")
    .option("--controller <name>", "only what binds this sender (default: every controller's)")
    .option("--out <file>", "write the list here (mode 0600) instead of standard output"),
).action(async (opts) => {
  const { runSuppressionExport } = await import("./commands/suppression.ts");
  process.exitCode = await runSuppressionExport(opts);
});

const webhooks = program
  .command("webhooks")
  .description(
    "deliver new evidence (objections, consents, withdrawals, erasures…) to the tools that send, signed",
  );
withStoreOptions(
  webhooks
    .command("add <url>")
    .description("subscribe a URL; prints its signing secret (Standard Webhooks), shown only now")
    .requiredOption(
      "--events <names>",
      "comma-separated: objection, consent, withdrawal, erasure, source, contact, notice, callback, link, bloctel",
    )
    .option("--personal-data", "deliveries carry the point's value (else keys only)")
    .option("--from-start", "deliver the whole log, not only what is recorded from now on"),
).action(async (url: string, opts) => {
  const { runWebhooksAdd } = await import("./commands/webhooks.ts");
  process.exitCode = await runWebhooksAdd(url, opts);
});
withStoreOptions(
  webhooks
    .command("list")
    .description("the subscriptions: how far behind, dead letters")
    .option("--json", "print JSON"),
).action(async (opts) => {
  const { runWebhooksList } = await import("./commands/webhooks.ts");
  process.exitCode = await runWebhooksList(opts);
});
withStoreOptions(
  webhooks
    .command("status <id>")
    .description("one subscription: progress, last error, dead letters (exit 1 while failing)")
    .option("--json", "print JSON"),
).action(async (id: string, opts) => {
  const { runWebhooksStatus } = await import("./commands/webhooks.ts");
  process.exitCode = await runWebhooksStatus(id, opts);
});
withStoreOptions(webhooks.command("remove <id>").description("remove a subscription")).action(
  async (id: string, opts) => {
    const { runWebhooksRemove } = await import("./commands/webhooks.ts");
    process.exitCode = await runWebhooksRemove(id, opts);
  },
);
withStoreOptions(
  webhooks
    .command("replay <id>")
    .description(
      "deliver again from an event (and what follows): --from-seq N, or --dead from its first dead letter",
    )
    .option("--from-seq <n>", "the first event to deliver again")
    .option("--dead", "from the first dead letter, forgetting the dead letters"),
).action(async (id: string, opts) => {
  const { runWebhooksReplay } = await import("./commands/webhooks.ts");
  process.exitCode = await runWebhooksReplay(id, opts);
});
withStoreOptions(
  webhooks
    .command("deliver")
    .description("one delivery pass now (vigie serve delivers on its own); exit 1 if failing"),
).action(async (opts) => {
  const { runWebhooksDeliver } = await import("./commands/webhooks.ts");
  process.exitCode = await runWebhooksDeliver(opts);
});

const pack = program
  .command("pack")
  .description("evidence packs for the CNIL or the DGCCRF (zip: pack.json, pack.html)");
withStoreOptions(
  pack
    .command("person")
    .description("everything held about a contact point, with its events' hashes and the chain head")
    .argument("<point>", "phone number or e-mail address")
    .requiredOption("--out <file>", "the zip to write")
    .option("--campaign <file>", "JSON: { campaign, policy? } or a campaign object; adds the decision")
    .option("--at <date>", "with --campaign: the instant decided (default: the file's at, else now)"),
).action(async (point: string, opts) => {
  const { runPackPerson } = await import("./commands/pack.ts");
  process.exitCode = await runPackPerson(point, opts);
});
pack
  .command("verify")
  .description("check a pack offline: its signature, every file, and each event's proof in the signed log")
  .argument("<file>", "the pack's zip")
  .option("--key <file>", "the public key to trust (vigie audit key; default: this machine's signing key)")
  .option("--json", "print JSON")
  .action(async (file: string, opts) => {
    const { runPackVerify } = await import("./commands/pack-verify.ts");
    process.exitCode = runPackVerify(file, opts);
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every usage error is exit 2, as scripts expect.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
  } else if (
    error instanceof UsageError ||
    error instanceof KeyRingError ||
    error instanceof SigningKeyError ||
    error instanceof SealError ||
    error instanceof StoreOpenError ||
    error instanceof StoreIntegrityError
  ) {
    process.stderr.write(`vigie: ${error.message}\n`);
    process.exitCode = EXIT.invalid;
  } else {
    throw error;
  }
}
