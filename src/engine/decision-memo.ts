// Decisions kept by what they read (issue #13). Under one plan, a decision is a pure function of
// the contact's fields its rules read: two contacts that agree on every field the first one's
// decision read get equal decisions. On a contact it cannot place, the memo runs the plan on a
// copy that notes each field read and its value, then files the decision in a tree of those
// reads; a later contact walks the tree, reading the same fields, and where it agrees all the way
// takes the decision without running a rule. A rented list (one source, a handful of kinds and
// zones) comes down to a few leaves. What is read is observed, never declared, so a rule that
// reads a new field cannot leave the memo stale; a run that asks for a field the contact does not
// have is not kept.
import type { Contact } from "../facts/types.ts";
import type { Decision } from "./decision.ts";
import type { ZoneAt, ZoneFinder } from "./plan-context.ts";

/** Any object read from the contact: its fields are compared on their own. */
const OBJECT: unique symbol = Symbol("an object");
/** A field under one that is not an object in this contact. */
const ABSENT: unique symbol = Symbol("no such field");

/** A field's value as the tree compares it: objects by being objects, their fields apart. */
const valueKey = (v: unknown): unknown => (v !== null && typeof v === "object" ? OBJECT : v);

/**
 * One thing a decision may read: a field path of the contact (read by the generated walk, below),
 * or something worked out from the contact (its zone) by `get`.
 */
class Read {
  /** The path's number in the walk's code; -1 for a read by `get`. */
  readonly id: number;
  readonly get: ((contact: Contact) => unknown) | null;
  /** The object this field is a field of; null for the contact's own fields and the zone. */
  readonly parent: Read | null;
  readonly path: readonly string[];
  /** The recording that last noted this read (reads are noted once each). */
  noted = 0;
  private readonly fields = new Map<string, Read>();

  constructor(
    path: readonly string[],
    parent: Read | null,
    get: ((contact: Contact) => unknown) | null = null,
  ) {
    this.path = path;
    this.parent = parent;
    this.get = get;
    this.id = get === null && path.length > 0 ? PATHS.push(this) - 1 : -1;
    if (this.id >= 0) walker = null;
  }

  /** The read of a field of the object this reads. */
  field(name: string): Read {
    let read = this.fields.get(name);
    if (read === undefined) {
      read = new Read([...this.path, name], this.path.length === 0 ? null : this);
      this.fields.set(name, read);
    }
    return read;
  }
}

/** Every field path any plan's decisions read, by id. */
const PATHS: Read[] = [];
/** Past this many paths (long histories are read entry by entry), no new decision is kept. */
const MAX_PATHS = 4096;

interface Walker {
  /** The leaf a contact reaches, if it agrees with the tree all the way. */
  find(tree: Node | undefined, contact: Contact): Decision | undefined;
  /** What the tree compares for a read of this contact. */
  valueOf(read: Read, contact: Contact): unknown;
}

/** The walk over PATHS as they are, generated when a path is added. */
let walker: Walker | null = null;

/**
 * The walk as code: each path read with property loads of its own (inline caches that see only
 * contacts), chosen by a switch on its id. A closure per path, or a loop over the path's names,
 * made the walk a few times slower. Names are those the engine's code read, quoted as JSON.
 */
function walk(): Walker {
  if (walker !== null) return walker;
  const cases = PATHS.map((read) => {
    const [first, ...rest] = read.path.map((name) => JSON.stringify(name));
    const steps = rest.map(
      (name) => `if (v !== null && typeof v === "object") v = v[${name}]; else return ABSENT;`,
    );
    return `case ${read.id}: v = contact[${first}]; ${steps.join(" ")} break;`;
  });
  const code = `
    function valueOf(read, contact) {
      let v;
      switch (read.id) {
        ${cases.join("\n")}
        default: return read.get(contact);
      }
      return v !== null && typeof v === "object" ? OBJECT : v;
    }
    function find(node, contact) {
      while (node instanceof Branch) node = node.child(valueOf(node.read, contact));
      return node;
    }
    return { find, valueOf };`;
  walker = new Function("Branch", "OBJECT", "ABSENT", code)(Branch, OBJECT, ABSENT) as Walker;
  return walker;
}

/** The contact itself, above the reads of its fields, shared by every plan. */
const CONTACT = new Read([], null);

/** Values a branch scans before it keeps its children in a Map. */
const SCANNED = 8;

/** A read, and the subtree for each value met. Most branches of a list have one or two values. */
class Branch {
  readonly read: Read;
  private readonly values: unknown[] = [];
  private readonly nodes: Node[] = [];
  private map: Map<unknown, Node> | null = null;

  constructor(read: Read) {
    this.read = read;
  }

  child(value: unknown): Node | undefined {
    if (this.map !== null) return this.map.get(value);
    const values = this.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // NaN is a value like any other (as a Map key).
      if (v === value || (Number.isNaN(v) && Number.isNaN(value))) return this.nodes[i];
    }
    return undefined;
  }

  add(value: unknown, node: Node): void {
    if (this.map === null && this.values.length < SCANNED) {
      this.values.push(value);
      this.nodes.push(node);
      return;
    }
    if (this.map === null) this.map = new Map(this.values.map((v, i) => [v, this.nodes[i] as Node]));
    this.map.set(value, node);
  }
}

type Node = Branch | Decision;

/** Numbers recordings, so that a Read knows whether the current one noted it. */
let recordings = 0;

/** What one decision read, in order, each field once. */
class Recording {
  readonly contact: Contact;
  /** The contact as the plan reads it: a copy that notes each read. */
  readonly copy: Contact;
  readonly zones: ZoneFinder;
  readonly reads: Read[] = [];
  readonly values: unknown[] = [];
  /** Asked for a field the contact does not have: the decision is not kept. */
  unsure = false;
  private readonly id = ++recordings;
  private done = false;
  /**
   * One copy per path, so that a field read twice is the same object twice. By path, not by
   * object: an object found under two paths (one frozen empty array for consents, objections and
   * history) must note its reads under each, or the tree would not compare the second.
   */
  private readonly copies = new Map<Read, object>();

  constructor(contact: Contact, root: Read, zoneRead: Read, zones: ZoneFinder) {
    this.contact = contact;
    this.copy = this.watch(contact, root) as Contact;
    this.zones = {
      // The zone is read whole (department, time zone, the number's prefix): a handful per plan.
      of: (): ZoneAt => {
        const zone = zones.of(contact);
        this.note(zoneRead, zone);
        return zone;
      },
    };
  }

  /** Ends the recording: a copy read afterwards (a reason keeping one) notes nothing. */
  end(): void {
    this.done = true;
  }

  /**
   * The reads a leaf must agree on: an object is not compared by itself when a field under it was
   * read too — a value read there (never ABSENT) says the object was there.
   */
  essential(): { reads: Read[]; values: unknown[] } {
    const implied = new Set<Read>();
    for (const read of this.reads) if (read.parent !== null) implied.add(read.parent);
    const reads: Read[] = [];
    const values: unknown[] = [];
    this.reads.forEach((read, i) => {
      if (implied.has(read)) return;
      reads.push(read);
      values.push(this.values[i]);
    });
    return { reads, values };
  }

  private note(read: Read, value: unknown): void {
    if (this.done || read.noted === this.id) return;
    read.noted = this.id;
    this.reads.push(read);
    this.values.push(value);
  }

  /**
   * A copy of `target` whose fields note their reads: an object with the original's fields as
   * accessors on a prototype shared by every copy of the same fields (copies of one shape share
   * their hidden class, so the rules' code stays fast after meeting them — a Proxy, or accessors
   * of their own, slowed every decision after); an array is copied whole, its length noted with it
   * (the array is its length; its elements' fields are read apart). The fields being inherited,
   * `Object.keys` or a spread of a copy finds none: the engine reads fields by name and never
   * lists them, and the memo's tests decide each contact through its copy first and hold that
   * decision to decide()'s on the contact itself (test/engine/decision-memo.test.ts).
   */
  private watch(target: object, read: Read): object {
    const known = this.copies.get(read);
    if (known !== undefined) return known;
    let copy: object;
    if (Array.isArray(target)) {
      this.note(read.field("length"), target.length);
      copy = Object.freeze(target.map((item: unknown, i) => this.copyOf(item, read.field(String(i)))));
    } else {
      const state: CopyState = { target: target as Record<string, unknown>, read, recording: this };
      copy = Object.freeze(Object.create(prototypeOf(target), { [STATE]: { value: state } }));
    }
    this.copies.set(read, copy);
    return copy;
  }

  /** A field of a copied object, read: noted, and copied in turn if an object. */
  read(state: CopyState, field: string): unknown {
    const v = state.target[field];
    const read = state.read.field(field);
    this.note(read, valueKey(v));
    return this.copyOf(v, read);
  }

  private copyOf(v: unknown, read: Read): unknown {
    return v !== null && typeof v === "object" ? this.watch(v, read) : v;
  }
}

/** Where a copy keeps what it copies. */
const STATE: unique symbol = Symbol("copied");

interface CopyState {
  readonly target: Readonly<Record<string, unknown>>;
  readonly read: Read;
  readonly recording: Recording;
}

/** The recording under way: decisions are worked out synchronously, one at a time. */
let recording: Recording | null = null;

/**
 * Above every copy's prototype: a field the copy does not have, asked for, makes the recording
 * unsure — another contact may have it. Object.prototype's own fields are answered as usual.
 */
const MISSING: object = new Proxy(Object.create(Object.prototype), {
  get: (proto, field) => {
    const inherited = Reflect.get(proto, field);
    if (inherited === undefined && recording !== null) recording.unsure = true;
    return inherited;
  },
  has: (proto, field) => {
    const inherited = Reflect.has(proto, field);
    if (!inherited && recording !== null) recording.unsure = true;
    return inherited;
  },
});

/** Copies' prototypes, by their fields: a handful (the contact's, its origin's, a consent's…). */
const PROTOTYPES = new Map<string, object>();

function prototypeOf(target: object): object {
  const fields = Object.keys(target);
  const key = fields.join(",");
  let proto = PROTOTYPES.get(key);
  if (proto === undefined) {
    const accessors: PropertyDescriptorMap = {};
    for (const field of fields) {
      accessors[field] = {
        enumerable: true,
        get(this: { readonly [STATE]: CopyState }) {
          const state = this[STATE];
          return state.recording.read(state, field);
        },
      };
    }
    proto = Object.freeze(Object.create(MISSING, accessors)) as object;
    PROTOTYPES.set(key, proto);
  }
  return proto;
}

/** What the memo asks of the plan it serves. */
export interface MemoPlan {
  readonly zones: ZoneFinder;
  /** The plan's decision, with the contact's zone found by `zones`. */
  decideNow(contact: Contact, zones: ZoneFinder): Decision;
}

/** Branches at most, a few hundred bytes each: past it, new decisions are not kept. */
const MAX_BRANCHES = 1 << 16;
/** Contacts over which the memo counts its hits: it rests once half of them missed. */
const WINDOW = 256;
/**
 * Contacts a plan decides before its memo starts: under a few hundred contacts a plan (a campaign
 * of a batch of many) is not paid back for recording its first decisions.
 */
export const MEMO_AFTER = 1024;
/** Contacts decided without the memo after a window of mostly misses, at first; doubled each time. */
const FIRST_REST = 128 * WINDOW;
const MAX_REST = 1 << 22;

/**
 * The decisions of one plan by what they read. Decisions it returns are frozen and shared by the
 * contacts that agree on them. A list with evidence of its own on each row (dates everywhere)
 * rarely agrees: the memo counts its hits and, after a window of mostly misses, rests (recording a
 * decision costs several times deciding it), for longer each time.
 */
export class DecisionMemo {
  private readonly zoneRead: Read;
  private tree: Node | undefined;
  private branches = 0;
  private tried = 0;
  private missed = 0;
  private resting = MEMO_AFTER;
  private rest = FIRST_REST;

  constructor(zones: ZoneFinder) {
    this.zoneRead = new Read([], null, (contact) => zones.of(contact));
  }

  decide(contact: Contact, plan: MemoPlan): Decision {
    if (this.resting > 0) {
      this.resting--;
      return plan.decideNow(contact, plan.zones);
    }
    const kept = this.find(contact);
    this.count(kept !== undefined);
    if (kept !== undefined) return kept;
    if (this.branches >= MAX_BRANCHES || PATHS.length > MAX_PATHS) return plan.decideNow(contact, plan.zones);
    const watching = new Recording(contact, CONTACT, this.zoneRead, plan.zones);
    recording = watching;
    let decision: Decision;
    try {
      decision = plan.decideNow(watching.copy, watching.zones);
    } finally {
      watching.end();
      recording = null;
    }
    if (watching.unsure) return decision;
    return this.keep(watching, freeze(decision));
  }

  private find(contact: Contact): Decision | undefined {
    return walk().find(this.tree, contact);
  }

  private count(hit: boolean): void {
    if (!hit && 2 * ++this.missed > WINDOW) {
      this.resting = this.rest;
      this.rest = Math.min(2 * this.rest, MAX_REST);
    } else if (++this.tried < WINDOW) return;
    else this.rest = FIRST_REST;
    this.tried = 0;
    this.missed = 0;
  }

  /**
   * Files the decision: down the tree as far as the contact agrees (a branch's field the decision
   * did not read is read anyway: it only narrows the leaf), then a chain of the reads not met on
   * the way. A contact that reaches the leaf agrees on every field the decision read.
   */
  private keep(recording: Recording, decision: Decision): Decision {
    const { contact } = recording;
    const { reads, values } = recording.essential();
    const met = new Set<Read>();
    let parent: Branch | undefined;
    let value: unknown;
    let node = this.tree;
    while (node instanceof Branch) {
      met.add(node.read);
      parent = node;
      value = walk().valueOf(node.read, contact);
      node = node.child(value);
    }
    if (node !== undefined) return node;
    let chain: Node = decision;
    for (let i = reads.length - 1; i >= 0; i--) {
      const read = reads[i] as Read;
      if (met.has(read)) continue;
      const branch = new Branch(read);
      branch.add(values[i], chain);
      chain = branch;
      this.branches++;
    }
    if (parent === undefined) this.tree = chain;
    else parent.add(value, chain);
    return decision;
  }
}

function freeze(d: Decision): Decision {
  Object.freeze(d.reasons);
  Object.freeze(d.obligations);
  return Object.freeze(d);
}
