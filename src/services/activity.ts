// The trail of what users and API keys did besides recording evidence (events.ts,
// `activity.recorded`): in the same chained log, so `vigie audit verify` vouches for it too.
import type { ActivityAction, ActivityDetail, NewEvent, StoredEvent } from "../evidence/events.ts";
import type { Session } from "./session.ts";

export interface Activity {
  readonly action: ActivityAction;
  /** A campaign or key id, a user name, a list's SHA-256: never personal data. */
  readonly target: string;
  /** The user (`user:NAME`), key (`key:ID`) or command that did it. */
  readonly by: string;
  readonly at: number;
  /** The key of the person it was about, if it was about one. */
  readonly pointKey?: string;
  readonly detail?: ActivityDetail;
}

/** The event recording an activity (for a writer that appends it with others: an import). */
export function activityEvent(tenant: string, a: Activity): NewEvent {
  return {
    tenant,
    pointKey: a.pointKey ?? "",
    controller: "",
    occurredAt: a.at,
    data: {
      type: "activity.recorded",
      action: a.action,
      target: a.target,
      ...(a.detail === undefined ? {} : { detail: a.detail }),
    },
    proof: { recordedBy: a.by },
    pii: null,
  };
}

export async function recordActivity(session: Session, a: Activity): Promise<void> {
  await session.store.append([activityEvent(session.tenant, a)]);
}

/** `pige.csv (campaign c.json, consents): rows 32, allowed 21…` — what a detail says, in one line. */
function detailText(d: ActivityDetail | undefined): string {
  if (d === undefined) return "";
  const about = [d.campaign === undefined ? null : `campaign ${d.campaign}`, d.kind ?? null].filter(
    (x) => x !== null,
  );
  const counts = Object.entries(d.counts ?? {}).map(([k, v]) => `${k} ${v}`);
  return `${d.file === undefined ? "" : ` ${d.file}`}${about.length === 0 ? "" : ` (${about.join(", ")})`}${counts.length === 0 ? "" : `: ${counts.join(", ")}`}`;
}

/** One line of the trail as the audit page shows it: who, what, when; no personal data. */
export interface TrailEntry {
  readonly seq: number;
  readonly recordedAt: number;
  readonly by: string;
  readonly what: string;
  /** Whether it concerns one person (their key, not their point). */
  readonly aboutPoint: boolean;
}

export function trailEntry(e: StoredEvent): TrailEntry {
  const d = e.data;
  const what =
    d.type === "activity.recorded"
      ? d.detail === undefined
        ? `${d.action}${d.target === "" ? "" : ` ${d.target}`}`
        : `${d.action}${detailText(d.detail)}${d.target === "" ? "" : ` [${d.target.slice(0, 12)}]`}`
      : d.type === "registry.snapshot"
        ? `${d.type} (${d.rows} rows)`
        : "channel" in d
          ? `${d.type} (${d.channel})`
          : d.type;
  return {
    seq: e.seq,
    recordedAt: e.recordedAt,
    by: e.proof.recordedBy,
    what,
    aboutPoint: e.pointKey !== "",
  };
}
