// Rights of the person (GDPR arts. 15, 17, 21): everything held about a contact point, and its
// erasure — personal data gone, the keyed suppression kept so no later import brings it back.

import type { StoredEvent } from "../evidence/events.ts";
import type { NormalizedPoint } from "../normalize/point.ts";
import type { Evidence } from "../store/store.ts";
import { isoDate } from "../time/dates.ts";
import { type ErasureFiles, type PurgeReport, purgeErasedFiles } from "./erasure-files.ts";
import { erasureEvent } from "./record.ts";
import type { Session, Subject } from "./session.ts";

export interface SubjectExport {
  readonly point: Subject["point"];
  readonly tenant: string;
  readonly evidence: Evidence;
  readonly events: readonly StoredEvent[];
  /** The person's other points (recorded with this one): what is held on each. */
  readonly linked: readonly LinkedExport[];
}

export interface LinkedExport {
  readonly key: string;
  /** The point as held; null once erased. */
  readonly point: { readonly type: "phone" | "email"; readonly value: string | null } | null;
  readonly evidence: Evidence;
  readonly events: readonly StoredEvent[];
}

/** Everything held about the person: this point, and every point linked to it. */
export async function exportSubject(session: Session, subject: Subject): Promise<SubjectExport> {
  const { store, tenant } = session;
  const others = await store.personKeys(tenant, subject.keys);
  const linked: LinkedExport[] = [];
  for (const key of others) {
    const evidence = await store.evidence(tenant, [key]);
    const p = evidence.point;
    linked.push({
      key,
      point: p === null ? null : { type: p.type, value: p.value },
      evidence,
      events: await store.eventsOf(tenant, [key]),
    });
  }
  return {
    point: subject.point,
    tenant,
    evidence: await store.evidence(tenant, subject.keys),
    events: await store.eventsOf(tenant, subject.keys),
    linked,
  };
}

const when = (ms: number | null) => (ms === null ? "—" : isoDate(ms));

/** The export as a person reads it: one line per fact, sources first, then each other point. */
export function exportText(x: SubjectExport): string {
  const lines = [
    `Données détenues sur ${x.point.value} / Data held about ${x.point.value}`,
    `Tenant: ${x.tenant}`,
    ...evidenceLines(x.evidence, x.events),
    ...x.linked.flatMap((l) => [
      "",
      `La même personne, ${l.point?.type ?? "point"} ${l.point?.value ?? `${l.key} (effacé)`} / The same person's ${l.point?.type ?? "point"} ${l.point?.value ?? `${l.key} (erased)`}:`,
      ...evidenceLines(l.evidence, l.events),
    ]),
  ];
  return `${lines.filter((l, i) => l !== "" || lines[i - 1] !== "").join("\n")}\n`;
}

function evidenceLines(e: Evidence, events: readonly StoredEvent[]): string[] {
  return [
    e.point?.erasedAt ? `ERASED on ${when(e.point.erasedAt)}: only a keyed suppression remains.` : "",
    "",
    "Sources:",
    ...e.sources.map(
      (s) =>
        `  ${when(s.collectedAt)}  ${s.originType}${s.sourceUrl ? ` ${s.sourceUrl}` : ""} (controller: ${s.controller || "all"}, ${s.kind}${s.relationship ? `, ${s.relationship}` : ""})`,
    ),
    "Consents:",
    ...e.consents.map(
      (c) =>
        `  ${when(c.givenAt)}  ${c.channel} for ${c.controller} — ${c.method ?? "method unknown"}, proof ${c.proof ? "held" : "missing"}${c.withdrawnAt ? `, withdrawn ${when(c.withdrawnAt)}` : ""}`,
    ),
    "Objections:",
    ...e.objections.map(
      (o) => `  ${when(o.at)}  ${o.channel} (${o.controller || "every controller"}) via ${o.via ?? "—"}`,
    ),
    "Contacts made:",
    ...e.contacts.map((c) => `  ${when(c.at)}  ${c.channel} by ${c.controller}: ${c.outcome}`),
    "Notices sent (art. 14):",
    ...e.notices.map((n) => `  ${when(n.at)}  by ${n.controller || "every controller"}`),
    "Bloctel checks:",
    ...e.registry.map(
      (r) =>
        `  ${when(r.checkedAt)}  ${r.registered ? `registered (effective ${when(r.effectiveAt)})` : "not registered"}`,
    ),
    "",
    `Event log: ${events.length} event(s), seq ${events.map((ev) => ev.seq).join(", ") || "—"}`,
  ];
}

/** The values of the points an erasure covered, where they were still held: what to purge elsewhere. */
function erasedPoints(subject: Subject, linked: ErasureResult["linked"]): NormalizedPoint[] {
  return [
    subject.point,
    ...linked.flatMap((l) => (l.value === null ? [] : [{ type: l.type, value: l.value }])),
  ];
}

export interface ErasureResult {
  readonly erasedAt: number;
  readonly alreadyErasedAt: number | null;
  /** Keys erased: the point's under every keyring version, and those of the person's other points. */
  readonly keys: number;
  /** The person's other points erased with it (linked in the store): their type and former value. */
  readonly linked: readonly {
    readonly key: string;
    readonly type: "phone" | "email";
    readonly value: string | null;
  }[];
  /** Files beside the store purged of the person, and where they may remain. */
  readonly files: PurgeReport;
  /** What the store itself could not make unrecoverable (PostgreSQL's WAL and backups). */
  readonly store: readonly string[];
}

/**
 * Erases the person: the point under every keyring version's key, and every point linked to it
 * (a phone and an e-mail recorded together). The events stay (pseudonymous, keyed, needed to show
 * the objection was honoured); their personal data, the points' values and source URLs go, from
 * the store's files too, and from the outbox and saved screenings beside it.
 */
export async function eraseSubject(
  session: Session,
  subject: Subject,
  at: number,
  recordedBy: string,
  files: ErasureFiles,
): Promise<ErasureResult> {
  const { store, tenant } = session;
  const before = await store.evidence(tenant, subject.keys);
  const others = await store.personKeys(tenant, subject.keys);
  const held =
    others.length === 0
      ? []
      : await store.evidenceMany(
          tenant,
          others.map((key) => [key]),
        );
  const linked = others.map((key, i) => {
    const point = held[i]?.point ?? null;
    // A linked point with no stored row is an e-mail or a phone: its key alone does not say which.
    return {
      key,
      type: point?.type ?? (subject.point.type === "phone" ? "email" : "phone"),
      value: point?.value ?? null,
    } as const;
  });
  const recording = { tenant, proof: { recordedBy } };
  await store.append([
    ...subject.keys.map((key) =>
      erasureEvent(recording, { key, pointType: subject.point.type }, "request", at),
    ),
    ...linked.map((l) => erasureEvent(recording, { key: l.key, pointType: l.type }, "request", at)),
  ]);
  const purged = purgeErasedFiles(files, erasedPoints(subject, linked));
  const scrubbed = await store.scrub();
  return {
    erasedAt: at,
    alreadyErasedAt: before.point?.erasedAt ?? null,
    keys: subject.keys.length + linked.length,
    linked,
    files: purged,
    store: scrubbed,
  };
}

/** When the point was erased, or null: no new consent may bring its personal data back. */
export async function erasedAt(session: Session, subject: Subject): Promise<number | null> {
  return (await session.store.evidence(session.tenant, subject.keys)).point?.erasedAt ?? null;
}

/** Why a consent for an erased point is refused, in the API's and the CLI's words. */
export const erasedMessage = (at: number): string =>
  `this contact point was erased on ${new Date(at).toISOString()}: ` +
  "no new consent or double opt-in request can be recorded for it";
