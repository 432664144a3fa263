// Everything a rule may ask about one planned contact, computed once per decision and only when
// a rule asks (batch screening decides millions of contacts; most never need a time zone).
import {
  type Consent,
  type Contact,
  type ContactMade,
  controllerKeyOf,
  type Facts,
  type Objection,
  UNKNOWN_ADVERTISER,
} from "../facts/types.ts";
import type { Channel, ConsentScope } from "../facts/vocabulary.ts";
import {
  CONSENT_PROOF_REQUIRED,
  INVALID_CONSENT_METHODS,
  LAW,
  PARTNER_CONSENT_MUST_NAME_SENDER,
  type Param,
  type ParamSet,
} from "../params/fr/params.ts";
import { REGION_TIME_ZONE, type Region, regionOfDepartment, regionOfPhone } from "../params/fr/regions.ts";
import { type LocalTime, localTime } from "../time/zoned.ts";
import { collectionOf, namesSender } from "./consent-collection.ts";

export type ConsentStatus =
  | "valid"
  | "no_proof"
  | "sender_not_named"
  | "invalid_method"
  | "withdrawn"
  | "none";

export interface ConsentCheck {
  readonly status: ConsentStatus;
  /** The consent that decided the status (the valid one, or the closest to valid). */
  readonly consent: Consent | null;
}

const NO_CONSENT: ConsentCheck = Object.freeze({ status: "none", consent: null });
/** Lower is closer to valid: a consent without proof beats a withdrawn one when explaining. */
const STATUS_RANK: Readonly<Record<ConsentStatus, number>> = {
  valid: 0,
  no_proof: 1,
  sender_not_named: 2,
  invalid_method: 3,
  withdrawn: 4,
  none: 5,
};

/** Nothing recorded that could bind: most contacts of a list. */
const NO_OBJECTION = Object.freeze({ binding: null, lifted: null });

export interface Zone {
  readonly region: Region;
  readonly timeZone: string;
}

/** Where the person is: the department given, else the number's overseas prefix, else mainland. */
export function regionOf(contact: Contact): Region {
  const { location, point } = contact;
  return (
    (location?.department ? regionOfDepartment(location.department) : undefined) ??
    (point?.type === "phone" ? regionOfPhone(point.value) : undefined) ??
    "metro"
  );
}

export class Context {
  readonly facts: Facts;
  /** The instant decided; differs from facts.at when looking for the next allowed instant. */
  readonly at: number;
  private zoneMemo: Zone | undefined;
  private localMemo: LocalTime | undefined;
  /** The question most rules ask (the campaign's channel, standard scope), kept apart from the map. */
  private channelConsent: ConsentCheck | undefined;
  private consentMemo: Map<string, ConsentCheck> | undefined;

  /** The dated parameters the rules read: the law's, unless a caller decides under others. */
  readonly params: ParamSet;

  constructor(facts: Facts, at: number = facts.at, params: ParamSet = LAW) {
    this.facts = facts;
    this.at = at;
    this.params = params;
  }

  /** The value of a dated parameter at the decided instant. */
  param<T>(p: Param<T>): T | undefined {
    return this.params.valueAt(p, this.at);
  }

  get campaign() {
    return this.facts.campaign;
  }
  get contact() {
    return this.facts.contact;
  }
  get policy() {
    return this.facts.policy;
  }
  get channel(): Channel {
    return this.facts.campaign.channel;
  }

  /** Where the person is (see `regionOf`), on the clock of the zone given, else of the region. */
  get zone(): Zone {
    if (this.zoneMemo === undefined) {
      const contact = this.facts.contact;
      const region = regionOf(contact);
      this.zoneMemo = { region, timeZone: contact.location?.timeZone ?? REGION_TIME_ZONE[region] };
    }
    return this.zoneMemo;
  }

  /** The planned instant on the person's own clock. */
  get local(): LocalTime {
    if (this.localMemo === undefined) this.localMemo = localTime(this.at, this.zone.timeZone);
    return this.localMemo;
  }

  /** Offer related to the object of a contract in force with the controller (L.223-1 exception). */
  get ongoingRelatedContract(): boolean {
    return (
      this.facts.contact.relationship?.status === "active_contract" && this.facts.campaign.relatedToContract
    );
  }

  /**
   * The person asked to be called back, and this call is the one they asked for (H4): inside the
   * slot they gave, else soon enough after asking (the policy's window); about what they asked,
   * when that was recorded. A call outside either is not limited to the request: prospecting.
   */
  get callbackRequested(): boolean {
    const { callbackRequestedAt: asked, callbackSlot: slot, callbackSubject: subject } = this.facts.contact;
    if (asked === null || asked > this.at) return false;
    if (subject !== null && subject !== this.facts.campaign.sector) return false;
    if (slot !== null) return slot.from <= this.at && this.at <= slot.to;
    return this.at - asked <= this.policy.callbackWindowHours * 3_600_000;
  }

  /**
   * The best consent the person gave this controller for `channel`, as of the decided instant.
   * `scope` "out_of_hours" asks for the specific consent to calls outside D.223-9's hours;
   * `givenAfter` keeps only consents given after that instant (a new consent after a refusal).
   */
  consent(channel: Channel, scope: ConsentScope = "standard", givenAfter?: number): ConsentCheck {
    if (this.facts.contact.consents.length === 0) return NO_CONSENT;
    const common =
      channel === this.facts.campaign.channel && scope === "standard" && givenAfter === undefined;
    if (common) {
      if (this.channelConsent === undefined)
        this.channelConsent = this.findConsent(channel, scope, givenAfter);
      return this.channelConsent;
    }
    const key = `${channel}/${scope}/${givenAfter ?? ""}`;
    let memo = this.consentMemo?.get(key);
    if (memo === undefined) {
      memo = this.findConsent(channel, scope, givenAfter);
      if (this.consentMemo === undefined) this.consentMemo = new Map();
      this.consentMemo.set(key, memo);
    }
    return memo;
  }

  private findConsent(channel: Channel, scope: ConsentScope, givenAfter: number | undefined): ConsentCheck {
    let memo = NO_CONSENT;
    const invalid = this.param(INVALID_CONSENT_METHODS) ?? [];
    const proofRequired = this.param(CONSENT_PROOF_REQUIRED) === true;
    // Consent is to the professional whose offer it is: the advertiser's when a call centre or a
    // lead broker prospects for one ("pour le compte de laquelle la communication est émise", L.34-5;
    // "directement ou par l'intermédiaire d'un tiers", L.223-1) — a consent given to the broker
    // that sends does not cover its advertisers' offers (CNIL SAN-2025-001 Solocal).
    const owner = this.advertiserKey;
    for (const c of this.facts.contact.consents) {
      if (c.channel !== channel || c.controllerKey !== owner || c.givenAt > this.at) continue;
      if (givenAfter !== undefined && c.givenAt <= givenAfter) continue;
      if (scope === "out_of_hours" && c.scope !== "out_of_hours") continue;
      const status: ConsentStatus =
        c.withdrawnAt !== null && c.withdrawnAt <= this.at
          ? "withdrawn"
          : c.method !== null && invalid.includes(c.method)
            ? "invalid_method"
            : this.partnerFormUnnamed(c)
              ? "sender_not_named"
              : c.proof || !proofRequired
                ? "valid"
                : "no_proof";
      if (STATUS_RANK[status] < STATUS_RANK[memo.status]) memo = { status, consent: c };
      if (status === "valid") break;
    }
    return memo;
  }

  /**
   * A consumer's consent collected by a partner or broker on a form that did not name this
   * controller, nor list it behind a link — or that may not have (CNIL 2018; docs/law.md, A8).
   */
  private partnerFormUnnamed(c: Consent): boolean {
    return (
      this.facts.contact.kind === "consumer" &&
      this.param(PARTNER_CONSENT_MUST_NAME_SENDER) === true &&
      !namesSender(collectionOf(c, this.facts.contact.origin))
    );
  }

  /** The first recorded objection that binds this controller on this channel, as of the instant. */
  get objection(): Objection | ContactMade | null {
    return this.objections.binding;
  }

  /**
   * A channel-limited objection ("ne m'appelez plus") that a later consent on this campaign's
   * channel set aside for that channel (docs/readings.md, H17), when no other objection binds.
   */
  get liftedObjection(): { readonly objection: Objection | ContactMade; readonly consent: Consent } | null {
    return this.objections.lifted;
  }

  private objectionMemo: {
    binding: Objection | ContactMade | null;
    lifted: { objection: Objection | ContactMade; consent: Consent } | null;
  } | null = null;

  /**
   * GDPR art. 21 objects to the processing for prospecting: an objection to every channel, or to
   * the campaign's channel, binds; so does one limited to another channel, unless the person gave
   * this controller a valid consent on the campaign's channel after it (a fresh, specific choice).
   * A consent never lifts an objection to every channel, nor one given after it.
   */
  private get objections() {
    if (this.objectionMemo !== null) return this.objectionMemo;
    const { objections, history } = this.facts.contact;
    if (objections.length === 0 && history.length === 0) {
      this.objectionMemo = NO_OBJECTION;
      return NO_OBJECTION;
    }
    const controller = this.facts.campaign.controllerKey;
    const channel = this.facts.campaign.channel;
    let lifted: { objection: Objection | ContactMade; consent: Consent } | null = null;
    const binds = (o: Objection | ContactMade, scope: Channel | "all"): boolean => {
      if (scope === "all" || scope === channel) return true;
      const later = this.consent(channel, "standard", o.at);
      if (later.status !== "valid" || later.consent === null) return true;
      lifted ??= { objection: o, consent: later.consent };
      return false;
    };
    let binding: Objection | ContactMade | null = null;
    // An objection to the advertiser binds the call centre or router prospecting for it too: the
    // person refused that professional's prospecting, whoever carries it out (docs/readings.md).
    const advertiser = this.advertiserKey;
    for (const o of objections) {
      if (
        o.at <= this.at &&
        (o.controllerKey === null || o.controllerKey === controller || o.controllerKey === advertiser) &&
        binds(o, o.channel)
      ) {
        binding = o;
        break;
      }
    }
    if (binding === null) {
      // Objected during a contact: to that channel, against whoever called and whoever it was for.
      for (const h of history) {
        if (
          h.outcome === "objected" &&
          h.at <= this.at &&
          (h.controllerKey === controller ||
            h.advertiserKey === advertiser ||
            h.advertiserKey === UNKNOWN_ADVERTISER) &&
          binds(h, h.channel)
        ) {
          binding = h;
          break;
        }
      }
    }
    this.objectionMemo = { binding, lifted: binding === null ? lifted : null };
    return this.objectionMemo;
  }

  /**
   * A consent to prospecting on the campaign's channel that the person withdrew — given to this
   * controller or to the advertiser — with no valid consent on that channel given since: withdrawing
   * a consent is saying no to that prospecting (GDPR art. 7(3) and 21), which no exception (the
   * soft opt-in, a legitimate interest, an ongoing contract) then sets aside (docs/readings.md).
   * A consent to calls out of hours withdrawn says no to those calls only (D.223-9's rule reads it).
   */
  get withdrawal(): Consent | null {
    if (this.withdrawalMemo !== undefined) return this.withdrawalMemo;
    const channel = this.facts.campaign.channel;
    const controller = this.facts.campaign.controllerKey;
    const advertiser = this.advertiserKey;
    let found: Consent | null = null;
    for (const c of this.facts.contact.consents) {
      if (
        c.withdrawnAt !== null &&
        c.withdrawnAt <= this.at &&
        c.channel === channel &&
        c.scope === "standard" &&
        (c.controllerKey === controller || c.controllerKey === advertiser) &&
        this.consent(channel, "standard", c.withdrawnAt).status !== "valid"
      ) {
        found = c;
        break;
      }
    }
    this.withdrawalMemo = found;
    return found;
  }

  private withdrawalMemo: Consent | null | undefined;

  /**
   * The professional the Code de la consommation counts calls for: the advertiser, else the
   * controller — D.223-9 binds him "directement ou par l'intermédiaire d'un tiers agissant pour son
   * compte", so every call centre's calls for him count.
   */
  get advertiserKey(): string {
    const c = this.facts.campaign;
    return controllerKeyOf(c.advertiser ?? c.controller);
  }

  /**
   * Calls and attempts made for this campaign's professional, by him or any call centre, strictly
   * before the decided instant. A call recorded without its advertiser was made for whoever made
   * it; one this controller made for an advertiser not recorded, or one whose records disagree on
   * the advertiser, may have been for this one, and counts (fail closed).
   */
  callsByAdvertiser(): ContactMade[] {
    const advertiser = this.advertiserKey;
    const controller = this.facts.campaign.controllerKey;
    return this.facts.contact.history.filter(
      (h) =>
        h.at < this.at &&
        (h.channel === "voice_live" || h.channel === "voice_automated") &&
        ((h.advertiserKey ?? h.controllerKey) === advertiser ||
          h.advertiserKey === UNKNOWN_ADVERTISER ||
          (h.advertiserKey === null && h.controllerKey === controller)),
    );
  }
}
