// The Context a compiled plan hands to rules: what depends on the campaign, the instant or the
// person's zone is computed once per plan and shared by every contact.
import type { Contact, Facts } from "../facts/types.ts";
import type { ParamSet } from "../params/fr/params.ts";
import { REGION_TIME_ZONE, type Region } from "../params/fr/regions.ts";
import { type LocalTime, localTime } from "../time/zoned.ts";
import { Context, regionOf, type Zone } from "./context.ts";

/** One zone at the plan's instant: the local clock, and what the plan memoized for it. */
export class ZoneAt {
  readonly zone: Zone;
  /** Per-zone values of the plan's resolvers, by slot; undefined until first asked. */
  readonly memo: unknown[] = [];
  /** The last next-allowed instant formatted in this zone, and its text. */
  lastNext = Number.NaN;
  lastNextText = "";
  private readonly at: number;
  private localMemo: LocalTime | undefined;

  constructor(region: Region, timeZone: string, at: number) {
    this.zone = Object.freeze({ region, timeZone });
    this.at = at;
  }

  /** Computed on first use, as Context does: a zone no rule asks the clock of is never read. */
  get local(): LocalTime {
    if (this.localMemo === undefined) this.localMemo = Object.freeze(localTime(this.at, this.zone.timeZone));
    return this.localMemo;
  }
}

/** Where a plan finds a contact's zone. */
export interface ZoneFinder {
  of(contact: Contact): ZoneAt;
}

/** The zones met by one plan; there are a handful (the regions, and any time zone given). */
export class Zones implements ZoneFinder {
  private readonly at: number;
  private readonly byRegion = new Map<Region, Map<string, ZoneAt>>();

  constructor(at: number) {
    this.at = at;
  }

  of(contact: Contact): ZoneAt {
    const region = regionOf(contact);
    const timeZone = contact.location?.timeZone ?? REGION_TIME_ZONE[region];
    let byZone = this.byRegion.get(region);
    if (byZone === undefined) {
      byZone = new Map();
      this.byRegion.set(region, byZone);
    }
    let zone = byZone.get(timeZone);
    if (zone === undefined) {
      zone = new ZoneAt(region, timeZone, this.at);
      byZone.set(timeZone, zone);
    }
    return zone;
  }
}

/** What every context of one plan shares. */
export interface PlanShared {
  readonly advertiserKey: string;
  readonly zones: ZoneFinder;
  readonly params: ParamSet;
}

/** One contact's context under a plan: its zone is the plan's shared one. */
export class PlannedContext extends Context {
  private readonly shared: PlanShared;
  private zoneEntry: ZoneAt | undefined;

  constructor(facts: Facts, at: number, shared: PlanShared) {
    super(facts, at, shared.params);
    this.shared = shared;
  }

  zoneAt(): ZoneAt {
    if (this.zoneEntry === undefined) this.zoneEntry = this.shared.zones.of(this.facts.contact);
    return this.zoneEntry;
  }

  override get zone(): Zone {
    return this.zoneAt().zone;
  }

  override get local(): LocalTime {
    return this.zoneAt().local;
  }

  override get advertiserKey(): string {
    return this.shared.advertiserKey;
  }
}
