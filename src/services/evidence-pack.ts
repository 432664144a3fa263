// Evidence packs: what a company hands the CNIL or the DGCCRF, as one zip. A person's pack holds
// everything the store holds about a contact point — sources, consents with their proofs,
// objections, contacts, notices, Bloctel checks — with each event's chained hash and the head of
// the log, so an auditor can check them against `vigie audit verify`; a screening's pack holds the
// campaign, the summary and, for each allowed contact, the evidence that made it lawful. Both as
// `pack.json` (for programs) and `pack.html` (self-contained, French and English, printable).
// No HTTP here: the dashboard and the CLI both build packs with these functions.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { decide } from "../engine/decide.ts";
import type { Decision } from "../engine/decision.ts";
import { RULEBOOK_VERSION } from "../engine/rulebook-coverage.ts";
import type { EventData, Proof, StoredEvent } from "../evidence/events.ts";
import { type FactsError, parseCampaign } from "../facts/parse.ts";
import { inclusionProof } from "../log/merkle.ts";
import { allPointKeys, pointKey } from "../normalize/keys.ts";
import type { NormalizedPoint } from "../normalize/point.ts";
import type { Evidence } from "../store/store.ts";
import { type TreeHead, treeHeadOf, treeReader } from "../store/tree.ts";
import { factsFor } from "./facts.ts";
import type { SignedHead } from "./head-statement.ts";
import { signHeadAt } from "./heads.ts";
import { parseScreenCampaign } from "./screen/campaign.ts";
import { columnNames, LIST_COLUMNS, type ListColumn } from "./screen/columns.ts";
import { ListReader } from "./screen/list.ts";
import { readListPoint } from "./screen/row-facts.ts";
import { isScreeningId, type ScreeningMeta, screeningPaths } from "./screen/saved.ts";
import type { ScreenSummary } from "./screen/summary.ts";
import type { Session, Subject } from "./session.ts";

/** 2: packs carry inclusion proofs and a signed manifest (pack-zip.ts, pack-verify.ts). */
export const PACK_FORMAT = "vigie-evidence-pack/2";

/** A stored campaign as `CampaignFile` keeps it: the input of `parseCampaign` under an id. */
export interface CampaignRef {
  readonly id: string;
  readonly body: unknown;
}

export type StoredDecision =
  | { readonly ok: true; readonly decision: Decision }
  | { readonly ok: false; readonly errors: readonly FactsError[] };

/**
 * The decision for a point, a stored campaign and an instant, from the store's evidence as of
 * that instant: the code path of POST /v1/check with a stored campaign (parseCampaign, factsFor,
 * decide).
 */
export async function decideStored(
  session: Session,
  subject: Subject,
  campaign: CampaignRef,
  at: number,
): Promise<StoredDecision> {
  const parsed = parseCampaign(campaign.body);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  return { ok: true, decision: decide(await factsFor(session, subject, parsed, at)) };
}

/** An event as the pack shows it: every field its chained hash covers, and its personal data where still held. */
export interface PackEvent {
  readonly seq: number;
  readonly type: EventData["type"];
  readonly eventId: string;
  readonly pointKey: string;
  readonly controller: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: EventData;
  readonly proof: Proof;
  readonly pii: StoredEvent["pii"];
  readonly piiHash: string | null;
  readonly prevHash: string;
  readonly hash: string;
  /** The same instants in epoch ms, as the hash covers them. */
  readonly occurredAtMs: number;
  readonly recordedAtMs: number;
}

function packEvent(e: StoredEvent): PackEvent {
  return {
    seq: e.seq,
    type: e.data.type,
    eventId: e.eventId,
    pointKey: e.pointKey,
    controller: e.controller,
    occurredAt: iso(e.occurredAt),
    recordedAt: iso(e.recordedAt),
    data: e.data,
    proof: e.proof,
    pii: e.pii,
    piiHash: e.piiHash,
    prevHash: e.prevHash,
    hash: e.hash,
    occurredAtMs: e.occurredAt,
    recordedAtMs: e.recordedAt,
  };
}

/** A consent as folded in the store, with the receipt of the event that recorded it. */
export interface ConsentWithProof {
  readonly controller: string;
  readonly channel: Evidence["consents"][number]["channel"];
  readonly givenAt: string;
  readonly withdrawnAt: string | null;
  readonly method: Evidence["consents"][number]["method"];
  readonly scope: Evidence["consents"][number]["scope"];
  /** Evidence of the consent is held (a proof reference, wording hash, collection point, IP or user agent). */
  readonly proofHeld: boolean;
  /** The `consent.given` event's seq and proof fields (recordedBy, collectionPoint, wordingVersion, wordingSha256, proofRef); null when the log has none for it (a consent recorded under an earlier key version, say). */
  readonly receipt: {
    readonly seq: number;
    readonly proof: Proof;
    readonly ip: string | null;
    readonly userAgent: string | null;
  } | null;
}

function consentsWithProofs(ev: Evidence, events: readonly StoredEvent[]): ConsentWithProof[] {
  return ev.consents.map((c) => {
    const given = events.find(
      (e) =>
        e.data.type === "consent.given" &&
        e.data.consent.channel === c.channel &&
        e.controller === c.controller &&
        e.occurredAt === c.givenAt,
    );
    return {
      controller: c.controller,
      channel: c.channel,
      givenAt: iso(c.givenAt),
      withdrawnAt: c.withdrawnAt === null ? null : iso(c.withdrawnAt),
      method: c.method,
      scope: c.scope,
      proofHeld: c.proof,
      receipt:
        given === undefined
          ? null
          : {
              seq: given.seq,
              proof: given.proof,
              ip: given.pii?.ip ?? null,
              userAgent: given.pii?.userAgent ?? null,
            },
    };
  });
}

export interface PackMaking {
  /** Who made it: `user:NAME`, `cli:NAME`. */
  readonly by: string;
  /** When, in epoch ms. */
  readonly at: number;
}

export interface PersonPack {
  readonly format: typeof PACK_FORMAT;
  readonly kind: "person";
  readonly madeAt: string;
  readonly madeBy: string;
  readonly tenant: string;
  /** The version (date) of the rulebook that decides. */
  readonly rulebook: string;
  readonly point: { readonly type: "phone" | "email"; readonly value: string };
  /** Its key under the current keyring version, and under every version (what the events carry). */
  readonly pointKey: string;
  readonly pointKeys: readonly string[];
  readonly erasedAt: string | null;
  readonly sources: readonly (Evidence["sources"][number] & {
    readonly collectedAtIso: string | null;
  })[];
  readonly consents: readonly ConsentWithProof[];
  readonly objections: Evidence["objections"];
  readonly contacts: Evidence["contacts"];
  readonly notices: Evidence["notices"];
  readonly registry: Evidence["registry"];
  /** The events about the point up to the head, in log order (activity events included: exports, packs). */
  readonly events: readonly PackEvent[];
  /** The head of the tenant's whole log when the pack was made: `vigie audit verify` walks to it. */
  readonly chainHead: TreeHead | null;
  /** That head signed as of `madeAt` (src/services/heads.ts); null without a signing key. */
  readonly signedHead: SignedHead | null;
  /**
   * For each event, its inclusion proof in the signed head's Merkle tree (RFC 6962 audit path,
   * nearest sibling first; the leaf is SHA-256(0x00 ‖ event hash)): `vigie pack verify` checks
   * them without the store. Empty without a signed head.
   */
  readonly proofs: readonly { readonly seq: number; readonly path: readonly string[] }[];
  readonly decision: {
    readonly campaign: CampaignRef;
    readonly at: string;
    readonly decision: Decision;
  } | null;
}

export interface PersonPackRequest extends PackMaking {
  /** With an instant: the decision for this stored campaign at it. */
  readonly campaign?: CampaignRef | undefined;
  /** The instant of the decision; default: when the pack is made. */
  readonly decisionAt?: number | undefined;
}

export class PackError extends Error {}

export async function personPack(
  session: Session,
  subject: Subject,
  req: PersonPackRequest,
): Promise<PersonPack> {
  const { store, tenant } = session;
  // The head first: events appended after it are left out, as its tree does not hold them.
  const head = await store.chainHead(tenant);
  const size = head?.seq ?? 0;
  const [evidence, all] = await Promise.all([
    store.evidence(tenant, subject.keys),
    store.eventsOf(tenant, subject.keys),
  ]);
  const events = all.filter((e) => e.seq <= size);
  const signedHead = signHeadAt(session, head, req.at);
  const reader = treeReader(store, tenant);
  const proofs =
    signedHead === null
      ? []
      : await Promise.all(
          events.map(async (e) => ({
            seq: e.seq,
            path: (await inclusionProof(reader, e.seq - 1, size)).map((h) => h.toString("hex")),
          })),
        );
  let decision: PersonPack["decision"] = null;
  if (req.campaign !== undefined) {
    const at = req.decisionAt ?? req.at;
    const d = await decideStored(session, subject, req.campaign, at);
    if (!d.ok) {
      throw new PackError(
        `campaign ${req.campaign.id}: ${d.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`,
      );
    }
    decision = { campaign: req.campaign, at: iso(at), decision: d.decision };
  }
  return {
    format: PACK_FORMAT,
    kind: "person",
    madeAt: iso(req.at),
    madeBy: req.by,
    tenant,
    rulebook: RULEBOOK_VERSION,
    point: subject.point,
    pointKey: subject.key,
    pointKeys: subject.keys,
    erasedAt: evidence.point?.erasedAt ? iso(evidence.point.erasedAt) : null,
    sources: evidence.sources.map((s) => ({
      ...s,
      collectedAtIso: s.collectedAt === null ? null : iso(s.collectedAt),
    })),
    consents: consentsWithProofs(evidence, events),
    objections: evidence.objections,
    contacts: evidence.contacts,
    notices: evidence.notices,
    registry: evidence.registry,
    events: events.map(packEvent),
    chainHead: treeHeadOf(head),
    signedHead,
    proofs,
    decision,
  };
}

// ---------------------------------------------------------------------------------------------
// Screening packs

/** An allowed contact and what the store holds that made it lawful, for the campaign's controller. */
export interface AllowedEvidence {
  /** The row's line in allowed.csv (1 is the header). */
  readonly line: number;
  readonly point: NormalizedPoint;
  readonly pointKey: string;
  readonly sources: Evidence["sources"];
  readonly consents: Evidence["consents"];
}

export interface ScreeningPack {
  readonly format: typeof PACK_FORMAT;
  readonly kind: "screening";
  readonly madeAt: string;
  readonly madeBy: string;
  readonly tenant: string;
  /** The rulebook of the pack's maker; the summary's `rulebook` is the one that screened. */
  readonly rulebook: string;
  readonly screening: ScreeningMeta;
  /** The screen campaign file, as it was screened. */
  readonly campaign: unknown;
  readonly summary: ScreenSummary;
  readonly allowed: readonly AllowedEvidence[];
  /** The head of the tenant's log when the pack was made (the summary's `evidenceLog` is the one screened against). */
  readonly chainHead: TreeHead | null;
  /** That head signed as of `madeAt`; null without a signing key. */
  readonly signedHead: SignedHead | null;
}

/** Why a screening has no pack: unknown, not finished, or its files are not there. */
export class ScreeningNotFound extends Error {}

const BATCH = 1000;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new ScreeningNotFound(`${path}: missing`);
    throw e;
  }
}

/** The directory of a finished screening, its meta and campaign; throws ScreeningNotFound. */
export async function finishedScreening(
  screenings: string,
  id: string,
): Promise<{ dir: string; meta: ScreeningMeta; campaign: unknown; summary: ScreenSummary }> {
  if (!isScreeningId(id)) throw new ScreeningNotFound(`${id}: not a screening id`);
  const paths = screeningPaths(screenings, id);
  const meta = (await readJson(paths.meta)) as ScreeningMeta;
  if (meta === null || typeof meta !== "object" || meta.status !== "done") {
    throw new ScreeningNotFound(`${id}: not done`);
  }
  const campaign = await readJson(paths.campaign);
  const summary = (await readJson(join(paths.out, "summary.json"))) as ScreenSummary;
  return { dir: paths.home, meta, campaign, summary };
}

/** A cell of allowed.csv as the list had it: the `'` the CSV writer puts before a formula-like cell removed. */
function unguard(cell: string | undefined): string | undefined {
  return cell?.startsWith("'") && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

export async function screeningPack(
  session: Session,
  screenings: string,
  id: string,
  req: PackMaking,
): Promise<{ pack: ScreeningPack; reportHtml: string | null }> {
  const { dir, meta, campaign, summary } = await finishedScreening(screenings, id);
  const { store, ring, tenant } = session;
  const screened = parseScreenCampaign(campaign);
  if (!screened.ok) throw new ScreeningNotFound(`${id}: campaign.json is not a usable campaign`);
  const { pointType } = screened.value;
  const controllerKey = screened.value.campaign.controllerKey;
  // allowed.csv keeps the list's columns; a --map renamed some, as the summary records.
  const map = Object.entries(summary.columns ?? {})
    .filter(([k]) => (LIST_COLUMNS as readonly string[]).includes(k))
    .map(([k, v]) => `${k as ListColumn}=${v}`)
    .join(",");
  const allowedFile = join(dir, "out", "allowed.csv");
  await stat(allowedFile).catch(() => {
    throw new ScreeningNotFound(`${id}: out/allowed.csv missing`);
  });
  const allowed: AllowedEvidence[] = [];
  const reader = new ListReader(allowedFile, "csv", columnNames(map || undefined), pointType);
  let pending: { line: number; point: NormalizedPoint; key: string; keys: readonly string[] }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const found = await store.evidenceMany(
      tenant,
      pending.map((p) => p.keys),
    );
    pending.forEach((p, i) => {
      const ev = found[i] as Evidence;
      const mine = (c: { controller: string }) => c.controller === controllerKey || c.controller === "";
      allowed.push({
        line: p.line,
        point: p.point,
        pointKey: p.key,
        sources: ev.sources.filter(mine),
        consents: ev.consents.filter(mine),
      });
    });
    pending = [];
  };
  const cells = (row: { cell(c: ListColumn): string | undefined }) => ({
    cell: (c: ListColumn) => unguard(row.cell(c)),
  });
  for await (const events of reader.events()) {
    for (const e of events) {
      if (e.kind !== "row") continue;
      // The point alone: the row's other columns were read through the screening's --set and
      // --map-values, which the pack does not know, and the row was allowed with them.
      const r = readListPoint(cells(e), pointType);
      if (!r.ok) continue;
      const point = r.value;
      pending.push({ line: e.line, point, key: pointKey(ring, point), keys: allPointKeys(ring, point) });
      if (pending.length >= BATCH) await flush();
    }
  }
  await flush();
  const chainHead = await store.chainHead(tenant);
  let reportHtml: string | null = null;
  try {
    reportHtml = await readFile(join(dir, "out", "report.html"), "utf8");
  } catch {
    reportHtml = null;
  }
  return {
    pack: {
      format: PACK_FORMAT,
      kind: "screening",
      madeAt: iso(req.at),
      madeBy: req.by,
      tenant,
      rulebook: RULEBOOK_VERSION,
      screening: meta,
      campaign,
      summary,
      allowed,
      chainHead: treeHeadOf(chainHead),
      signedHead: signHeadAt(session, chainHead, req.at),
    },
    reportHtml,
  };
}

// ---------------------------------------------------------------------------------------------
// Files

/** A file name for the pack: `vigie-pack-<what>-<YYYYMMDD-HHMMSS>.zip`, no personal data in it. */
export function packFileName(what: string, madeAt: number): string {
  const stamp = new Date(madeAt).toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `vigie-pack-${what.replace(/[^A-Za-z0-9_-]/g, "_")}-${stamp}.zip`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
