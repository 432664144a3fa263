// Rights of the person (GDPR arts. 15, 17, 21): everything held about a contact point, and its
// erasure — personal data gone, the keyed suppression kept so no later import brings it back.

import type { StoredEvent } from "../store/events.ts";
import type { Evidence } from "../store/store.ts";
import { isoDate } from "../time/dates.ts";
import { erasureEvent } from "./record.ts";
import type { Session, Subject } from "./session.ts";

export interface SubjectExport {
  readonly point: Subject["point"];
  readonly tenant: string;
  readonly evidence: Evidence;
  readonly events: readonly StoredEvent[];
}

export async function exportSubject(session: Session, subject: Subject): Promise<SubjectExport> {
  const { store, tenant } = session;
  return {
    point: subject.point,
    tenant,
    evidence: await store.evidence(tenant, subject.keys),
    events: await store.eventsOf(tenant, subject.keys),
  };
}

const when = (ms: number | null) => (ms === null ? "—" : isoDate(ms));

/** The export as a person reads it: one line per fact, sources first. */
export function exportText(x: SubjectExport): string {
  const e = x.evidence;
  const lines = [
    `Données détenues sur ${x.point.value} / Data held about ${x.point.value}`,
    `Tenant: ${x.tenant}`,
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
    `Event log: ${x.events.length} event(s), seq ${x.events.map((ev) => ev.seq).join(", ") || "—"}`,
  ];
  return `${lines.filter((l, i) => l !== "" || lines[i - 1] !== "").join("\n")}\n`;
}

export interface ErasureResult {
  readonly erasedAt: number;
  readonly alreadyErasedAt: number | null;
  readonly keys: number;
}

/**
 * Erases under every keyring version's key. The events stay (pseudonymous, keyed, needed to show
 * the objection was honoured); their personal data, the point's value and source URLs go.
 */
export async function eraseSubject(
  session: Session,
  subject: Subject,
  at: number,
  recordedBy: string,
): Promise<ErasureResult> {
  const { store, tenant } = session;
  const before = await store.evidence(tenant, subject.keys);
  const recording = { tenant, subject, proof: { recordedBy } };
  await store.append(subject.keys.map((key) => erasureEvent(recording, key, "request", at)));
  return { erasedAt: at, alreadyErasedAt: before.point?.erasedAt ?? null, keys: subject.keys.length };
}

/** When the point was erased, or null: no new consent may bring its personal data back. */
export async function erasedAt(session: Session, subject: Subject): Promise<number | null> {
  return (await session.store.evidence(session.tenant, subject.keys)).point?.erasedAt ?? null;
}

/** Why a consent for an erased point is refused, in the API's and the CLI's words. */
export const erasedMessage = (at: number): string =>
  `this contact point was erased on ${new Date(at).toISOString()}: ` +
  "no new consent or double opt-in request can be recorded for it";
