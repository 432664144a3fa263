// Suppression lists: every point that must not be contacted on a channel, for the tools that send
// (an e-mail platform, an SMS gateway, a dialer) to hold as their own blocklist. An objection in
// vigie only protects a person once the sender knows it: this is how it learns it without asking
// vigie contact by contact. Objections (the person's, or another point's of the same person, or
// heard during a call), withdrawn consents, and erasures — as keyed entries only, the point being gone. Bloctel is not in
// it: the store keeps registrations by key only, so a dialer scrubs against Bloctel's own file.
import { createHash } from "node:crypto";
import { Context } from "../engine/context.ts";
import { factsFromEvidence } from "../evidence/facts-from-evidence.ts";
import { parseCampaign } from "../facts/parse.ts";
import { controllerKeyOf } from "../facts/types.ts";
import type { Channel } from "../facts/vocabulary.ts";
import type { Evidence } from "../store/store.ts";
import type { Session } from "./session.ts";

export const SUPPRESSION_CHANNELS = ["email", "sms", "phone"] as const;
export type SuppressionChannel = (typeof SUPPRESSION_CHANNELS)[number];
export const SUPPRESSION_FORMATS = ["csv", "brevo", "mailchimp", "hashed-sha256"] as const;
export type SuppressionFormat = (typeof SUPPRESSION_FORMATS)[number];

/** The channels of the facts each suppression channel covers. */
const COVERED: Readonly<Record<SuppressionChannel, readonly Channel[]>> = {
  email: ["email"],
  sms: ["sms"],
  phone: ["voice_live", "voice_automated"],
};

export type SuppressionReason = "objection" | "withdrawn" | "erased";

export interface SuppressionEntry {
  /** The normalized point (E.164, or the address); null once erased or never held. */
  readonly point: string | null;
  /** Its key (HMAC): what names an erased point. */
  readonly key: string;
  readonly reason: SuppressionReason;
  /** Since when (epoch ms). */
  readonly since: number;
}

export interface SuppressionRequest {
  readonly channel: SuppressionChannel;
  /** Only the sender's: objections to it or to every controller, its own consents withdrawn. */
  readonly controller?: string | undefined;
  /** Only entries since this instant (epoch ms): a nightly pull takes what is new. */
  readonly since?: number | undefined;
  readonly at: number;
}

const BATCH = 1000;

/**
 * Whether a decision for the sender on one of the list's channels would find an objection binding
 * — asked of the engine itself (`Context.objection`), so that the list says what decisions say.
 */
function objectionBindsSender(
  ev: Evidence,
  channels: readonly Channel[],
  sender: string,
  type: "phone" | "email",
  at: number,
): boolean {
  return channels.some((channel) => {
    const parsed = parseCampaign({ campaign: { controller: sender, channel } });
    if (!parsed.ok) return true; // no campaign to ask about: the objection stands
    const point = { type, value: ev.point?.value ?? "" };
    const facts = factsFromEvidence(ev, { campaign: parsed.campaign, policy: parsed.policy, at, point });
    return new Context(facts).objection !== null;
  });
}

/** Why a point may not be contacted on the channel, and since when; null when nothing says so. */
function restriction(
  ev: Evidence,
  channels: readonly Channel[],
  sender: string | undefined,
  type: "phone" | "email",
  at: number,
): { reason: SuppressionReason; since: number } | null {
  const erased = [ev.point?.erasedAt ?? null, ev.person.erasedAt].filter((x): x is number => x !== null);
  if (erased.length > 0) return { reason: "erased", since: Math.min(...erased) };
  const controller = sender === undefined ? null : controllerKeyOf(sender);
  const binds = (c: string) => controller === null || c === "" || controllerKeyOf(c) === controller;
  // An objection binds whatever channel it names, as decisions read GDPR art. 21 (docs/readings.md,
  // H17): "STOP" to an SMS, or "ne m'appelez plus", is an objection to the prospecting, so the
  // number goes on the dialer's list as on the SMS gateway's, and the person's e-mail on the
  // e-mail platform's: a sender trusts its list where every decision would block.
  const objections = [...ev.objections, ...ev.person.objections].filter(
    (o) => o.at <= at && binds(o.controller),
  );
  // An objection heard during a call (or in reply on the channel used) binds the caller and the
  // advertiser, as decisions read it (src/engine/context.ts).
  const heard = [...ev.contacts, ...ev.person.contacts].filter(
    (c) =>
      c.outcome === "objected" &&
      c.at <= at &&
      (binds(c.controller) || (c.advertiser !== null && binds(c.advertiser))),
  );
  const said = [...objections, ...heard].map((o) => o.at);
  // One limited to another channel is set aside for a sender the person later gave a valid consent
  // on this one (H17): only a sender's own list can say so, the engine deciding. A list for every
  // controller keeps it, the consent lifting it for its controller alone.
  const limited = (c: Channel | "all") => c !== "all" && !channels.includes(c);
  const mayBeLifted =
    sender !== undefined &&
    objections.every((o) => limited(o.channel)) &&
    heard.every((c) => limited(c.channel));
  if (said.length > 0 && !(mayBeLifted && !objectionBindsSender(ev, channels, sender, type, at))) {
    return { reason: "objection", since: Math.min(...said) };
  }
  // A consent withdrawn and none given since, for the channel: the person said no more.
  const consents = ev.consents.filter(
    (c) => channels.includes(c.channel) && binds(c.controller) && c.givenAt <= at,
  );
  const standing = consents.some((c) => c.withdrawnAt === null || c.withdrawnAt > at);
  const withdrawn = consents.map((c) => c.withdrawnAt).filter((w): w is number => w !== null && w <= at);
  if (!standing && withdrawn.length > 0) return { reason: "withdrawn", since: Math.max(...withdrawn) };
  return null;
}

/** Every entry of the list, one per point (its keys under every keyring version folded). */
export async function suppressionList(
  session: Session,
  req: SuppressionRequest,
): Promise<SuppressionEntry[]> {
  const { store, tenant } = session;
  const channels = COVERED[req.channel];
  const type = req.channel === "email" ? "email" : "phone";
  const entries = new Map<string, SuppressionEntry>();
  let keys: string[] = [];
  const flush = async () => {
    const found = await store.evidenceMany(
      tenant,
      keys.map((k) => [k]),
    );
    found.forEach((ev, i) => {
      const key = keys[i] as string;
      // A key with no point row is a link's other end or a Bloctel row: nothing says its type.
      if (ev.point === null || ev.point.type !== type) return;
      const r = restriction(ev, channels, req.controller, type, req.at);
      if (r === null || (req.since !== undefined && r.since < req.since)) return;
      const point = ev.point.value;
      const id = point ?? key;
      const held = entries.get(id);
      if (held === undefined || r.since < held.since) entries.set(id, { point, key, ...r });
    });
    keys = [];
  };
  for await (const key of store.pointKeys(tenant)) {
    keys.push(key);
    if (keys.length >= BATCH) await flush();
  }
  await flush();
  return [...entries.values()].sort(
    (a, b) => a.since - b.since || (a.point ?? a.key).localeCompare(b.point ?? b.key),
  );
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * The list in the layout each tool imports. Entries without a point (erased) only fit vigie's own
 * CSV, by key: the other layouts leave them out, and say how many in `omitted`.
 */
export function renderSuppression(
  entries: readonly SuppressionEntry[],
  channel: SuppressionChannel,
  format: SuppressionFormat,
): { text: string; rows: number; omitted: number } {
  const withPoint = entries.filter((e) => e.point !== null);
  const omitted = format === "csv" ? 0 : entries.length - withPoint.length;
  const iso = (ms: number) => new Date(ms).toISOString();
  let lines: string[];
  switch (format) {
    case "csv":
      lines = [
        "point,reason,since,key",
        ...entries.map((e) => `${e.point ?? ""},${e.reason},${iso(e.since)},${e.key}`),
      ];
      break;
    case "brevo":
      // Brevo's contact import: EMAIL, or SMS as the number with its country code, no "+".
      lines =
        channel === "email"
          ? ["EMAIL", ...withPoint.map((e) => e.point as string)]
          : ["SMS", ...withPoint.map((e) => (e.point as string).replace(/^\+/, ""))];
      break;
    case "mailchimp":
      if (channel !== "email") throw new RangeError("the mailchimp layout holds e-mail addresses only");
      lines = ["Email Address", ...withPoint.map((e) => e.point as string)];
      break;
    case "hashed-sha256":
      // As ad and messaging platforms match hashed lists: the normalized point, lower case, hashed.
      lines = withPoint.map((e) => sha256((e.point as string).toLowerCase()));
      break;
  }
  const rows = format === "hashed-sha256" ? lines.length : lines.length - 1;
  return { text: `${lines.join("\r\n")}\r\n`, rows, omitted };
}
