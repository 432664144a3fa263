// What a rule's function (its evaluation, an exception's test, when its block lifts) depends on,
// found by running it once on a probe: a context whose contact answers its kind, and any other
// field as a contact holding no evidence — noting the read. Rules are pure functions of their
// context, so a run that read nothing of the contact gives the same answer for every contact of
// that kind: it becomes a constant. One that read only the person's zone is run again, once per
// zone met. Any other falls back to calling the function on each contact's own context — always
// correct, just not precompiled. (A probe's answer after a read is thrown away: it is what an
// empty contact would get, and no contact is asked about until it is its turn.)
import type { Contact, Facts } from "../facts/types.ts";
import type { Kind } from "../facts/vocabulary.ts";
import type { ParamSet } from "../params/fr/params.ts";
import { REGION_TIME_ZONE } from "../params/fr/regions.ts";
import type { Context } from "./context.ts";
import { PlannedContext, ZoneAt, type ZoneFinder } from "./plan-context.ts";

/** A per-zone memo entry saying that, in this zone, the function reads the contact. */
const DYNAMIC = Object.freeze({ probe: "per contact" });

/** What the probe's last run read. */
interface Reads {
  contact: boolean;
  zone: boolean;
}

/**
 * A contact with no evidence at all. Every field of Contact is required, so the type checker
 * keeps this complete, and a probe notes a read of any of them.
 */
const EMPTY: Contact = Object.freeze({
  kind: "consumer",
  point: null,
  location: null,
  origin: null,
  relationship: null,
  consents: Object.freeze([]),
  objections: Object.freeze([]),
  erasedAt: null,
  bloctel: null,
  lastBloctelScrubAt: null,
  callbackRequestedAt: null,
  callbackSlot: null,
  callbackSubject: null,
  history: Object.freeze([]),
});

/** The empty contact of `kind`, noting any read but of its kind. */
function probeContact(kind: Kind, reads: Reads): Contact {
  const contact = {} as Contact;
  for (const [key, value] of Object.entries(EMPTY)) {
    Object.defineProperty(contact, key, {
      get() {
        if (key === "kind") return kind;
        reads.contact = true;
        return value;
      },
    });
  }
  return Object.freeze(contact);
}

/** What a plan's probes of one kind of person share. */
export interface ProbeEnv {
  readonly facts: Facts;
  readonly at: number;
  readonly advertiserKey: string;
  readonly params: ParamSet;
  readonly reads: Reads;
  /** The zone a probe runs in when it asks for one before any is known: mainland France. */
  readonly anyZone: ZoneFinder;
  /** Allocates a slot in every ZoneAt's memo. */
  nextSlot(): number;
}

export function probeEnv(
  facts: Omit<Facts, "contact">,
  at: number,
  kind: Kind,
  advertiserKey: string,
  params: ParamSet,
  nextSlot: () => number,
): ProbeEnv {
  const reads: Reads = { contact: false, zone: false };
  const mainland = new ZoneAt("metro", REGION_TIME_ZONE.metro, at);
  return {
    facts: {
      at: facts.at,
      campaign: facts.campaign,
      contact: probeContact(kind, reads),
      policy: facts.policy,
    },
    at,
    advertiserKey,
    params,
    reads,
    anyZone: {
      of() {
        reads.zone = true;
        return mainland;
      },
    },
    nextSlot,
  };
}

const READS_CONTACT = Symbol("reads the contact");
const READS_ZONE = Symbol("reads the zone");

/** `fn`'s value on the probe, or what it read that its value depends on. */
function attempt<T>(fn: (ctx: Context) => T, env: ProbeEnv, zones: ZoneFinder): T | symbol {
  const reads = env.reads;
  reads.contact = false;
  reads.zone = false;
  let value: T;
  try {
    value = fn(
      new PlannedContext(env.facts, env.at, { advertiserKey: env.advertiserKey, zones, params: env.params }),
    );
  } catch {
    // An error (a date past the holiday table…) is left to each contact's own call, which throws
    // as decide() would — if it gets there at all.
    return READS_CONTACT;
  }
  return reads.contact ? READS_CONTACT : reads.zone ? READS_ZONE : value;
}

/** A function of the context, precomputed as far as its probe allows. */
export interface Resolved<T> {
  /** Whether the value is the same for every contact of the kind; `value` is then that value. */
  readonly constant: boolean;
  readonly value: T | undefined;
  readonly get: (ctx: PlannedContext) => T;
}

/**
 * `fn` resolved for a plan's contacts: a constant, a value per zone, or `perContact` (by default
 * `fn` itself) called on each contact's context — in a zone where `fn` reads the contact too.
 */
export function resolve<T>(
  fn: (ctx: Context) => T,
  env: ProbeEnv,
  perContact: (ctx: PlannedContext) => T = fn,
): Resolved<T> {
  const probed = attempt(fn, env, env.anyZone);
  if (probed === READS_CONTACT) return { constant: false, value: undefined, get: perContact };
  if (probed !== READS_ZONE) return { constant: true, value: probed as T, get: () => probed as T };
  const slot = env.nextSlot();
  const inZone = (zone: ZoneAt): unknown => {
    const value = attempt(fn, env, { of: () => zone });
    return value === READS_CONTACT ? DYNAMIC : value;
  };
  return {
    constant: false,
    value: undefined,
    get(ctx) {
      const zone = ctx.zoneAt();
      let v = zone.memo[slot];
      if (v === undefined) {
        v = inZone(zone);
        zone.memo[slot] = v;
      }
      return v === DYNAMIC ? perContact(ctx) : (v as T);
    },
  };
}
