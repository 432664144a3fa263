// `vigie consent add|withdraw` and `vigie object`: one piece of evidence from the command line.

import type { Proof } from "../../evidence/events.ts";
import {
  CHANNELS,
  type Channel,
  COLLECTORS,
  CONSENT_METHODS,
  CONSENT_SCOPES,
  type Collector,
  type ConsentMethod,
  type ConsentScope,
  consentPointError,
  OBJECTION_VIAS,
  type ObjectionVia,
  SENDER_NAMINGS,
  type SenderNaming,
} from "../../facts/vocabulary.ts";
import { consentEvent, objectionEvent, withdrawalEvent } from "../../services/record.ts";
import { erasedAt, erasedMessage } from "../../services/rights.ts";
import type { AppendResult } from "../../store/store.ts";
import { evidenceDateOption } from "../dates.ts";
import { EXIT, nameOption, oneOf, plainOption, UsageError } from "../exit.ts";
import { cliActor, type StoreOptions, subjectArg, withSession } from "../store-options.ts";

export interface ConsentOptions extends StoreOptions {
  controller: string;
  channel: string;
  at?: string;
  method?: string;
  scope: string;
  json?: boolean;
  proof: boolean;
  wordingVersion?: string;
  wordingSha256?: string;
  collectionPoint?: string;
  proofRef?: string;
  ip?: string;
  userAgent?: string;
  collectedBy?: string;
  namedHow?: string;
}

function proofOf(o: ConsentOptions): Proof {
  nameOption("--controller", o.controller);
  plainOption("--wording-version", o.wordingVersion);
  plainOption("--collection-point", o.collectionPoint);
  plainOption("--proof-ref", o.proofRef);
  plainOption("--user-agent", o.userAgent);
  return {
    recordedBy: cliActor(),
    ...(o.collectionPoint === undefined ? {} : { collectionPoint: o.collectionPoint }),
    ...(o.wordingVersion === undefined ? {} : { wordingVersion: o.wordingVersion }),
    ...(o.wordingSha256 === undefined ? {} : { wordingSha256: o.wordingSha256 }),
    ...(o.proofRef === undefined ? {} : { proofRef: o.proofRef }),
  };
}

/** What was recorded: in words, or with --json as the API answers (`{ seq }`, or a duplicate). */
function say(o: { json?: boolean }, r: AppendResult, recorded: string, already: string): void {
  const seq = r.seqs[0] ?? null;
  if (o.json) {
    process.stdout.write(`${JSON.stringify(seq === null ? { seq: null, duplicate: true } : { seq })}\n`);
  } else process.stdout.write(`${seq === null ? already : recorded}\n`);
}

export async function runConsentAdd(point: string, o: ConsentOptions): Promise<number> {
  const channel = oneOf<Channel>("--channel", o.channel, CHANNELS);
  const method = o.method === undefined ? null : oneOf<ConsentMethod>("--method", o.method, CONSENT_METHODS);
  const scope = oneOf<ConsentScope>("--scope", o.scope, CONSENT_SCOPES);
  if (o.wordingSha256 !== undefined && !/^[0-9a-f]{64}$/.test(o.wordingSha256)) {
    throw new UsageError("--wording-sha256: expected 64 lower-case hex digits");
  }
  const collectedBy =
    o.collectedBy === undefined ? undefined : oneOf<Collector>("--collected-by", o.collectedBy, COLLECTORS);
  const namedHow =
    o.namedHow === undefined ? undefined : oneOf<SenderNaming>("--named-how", o.namedHow, SENDER_NAMINGS);
  if (namedHow !== undefined && collectedBy !== "partner" && collectedBy !== "broker") {
    throw new UsageError("--named-how: only for a consent collected by a partner or broker (--collected-by)");
  }
  const at = evidenceDateOption("--at", o.at);
  return withSession(o, async (session) => {
    const subject = subjectArg(session, point);
    // A consent is given for the point its channel reaches (import/kinds.ts consentPoints).
    const unreached = consentPointError(channel, subject.point.type);
    if (unreached !== null) throw new UsageError(`--channel ${unreached}`);
    const erased = await erasedAt(session, subject);
    if (erased !== null) {
      process.stderr.write(`vigie: ${point}: ${erasedMessage(erased)}\n`);
      return EXIT.invalid;
    }
    const recording = { tenant: session.tenant, subject, controller: o.controller, proof: proofOf(o) };
    const r = await session.store.append([
      consentEvent(recording, {
        channel,
        givenAt: at,
        method,
        scope,
        proof: o.proof,
        ip: o.ip,
        userAgent: o.userAgent,
        collectedBy,
        namedHow,
      }),
    ]);
    if (r.suppressed.length > 0) {
      process.stderr.write(
        `vigie: ${point} was erased; a new consent cannot be recorded against an erased subject\n`,
      );
      return EXIT.invalid;
    }
    say(o, r, "consent recorded", "consent already recorded (no change)");
    return EXIT.ok;
  });
}

export async function runConsentWithdraw(point: string, o: ConsentOptions): Promise<number> {
  const channel = oneOf<Channel>("--channel", o.channel, CHANNELS);
  const at = evidenceDateOption("--at", o.at);
  return withSession(o, async (session) => {
    const subject = subjectArg(session, point);
    const recording = { tenant: session.tenant, subject, controller: o.controller, proof: proofOf(o) };
    const r = await session.store.append([withdrawalEvent(recording, channel, at)]);
    say(o, r, "withdrawal recorded", "withdrawal already recorded (no change)");
    return EXIT.ok;
  });
}

export async function runObject(
  point: string,
  o: StoreOptions & { controller?: string; channel: string; via?: string; at?: string; json?: boolean },
): Promise<number> {
  const channel = o.channel === "all" ? "all" : oneOf<Channel>("--channel", o.channel, CHANNELS);
  const via = o.via === undefined ? null : oneOf<ObjectionVia>("--via", o.via, OBJECTION_VIAS);
  nameOption("--controller", o.controller, true); // "": every controller, as when absent
  const at = evidenceDateOption("--at", o.at);
  return withSession(o, async (session) => {
    const subject = subjectArg(session, point);
    const recording = {
      tenant: session.tenant,
      subject,
      controller: o.controller,
      proof: { recordedBy: cliActor() },
    };
    const r = await session.store.append([objectionEvent(recording, channel, via, at)]);
    say(
      o,
      r,
      `objection recorded (${o.controller ? `controller ${o.controller}` : "every controller"}, ${channel})`,
      "objection already recorded (no change)",
    );
    return EXIT.ok;
  });
}
