// One person, several points: a list row naming a phone and an e-mail is one person, as are points
// the store linked because they were recorded together. What binds one of their points — an
// objection, an erasure, calls made — binds the point decided on; consents and sources never
// cross from one point to another. The same fact held under two points (a call recorded for the
// phone and the e-mail of one row) is counted once by the facts assembly.
import type { Evidence, PersonRestrictions } from "../store/store.ts";

/** Another point of the person, with its keys and what the store holds on it. */
export interface OtherPoint {
  readonly keys: readonly string[];
  readonly evidence: Evidence;
}

const earliest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/** `own` with the restrictions held on the person's other points (and on their links) added. */
export function joinPerson(own: Evidence, others: readonly OtherPoint[]): Evidence {
  if (others.length === 0) return own;
  const keys = new Set(own.person.keys);
  let erasedAt = own.person.erasedAt;
  const objections = [...own.person.objections];
  const contacts = [...own.person.contacts];
  const add = (r: Omit<PersonRestrictions, "keys">) => {
    objections.push(...r.objections);
    contacts.push(...r.contacts);
    erasedAt = earliest(erasedAt, r.erasedAt);
  };
  for (const { keys: k, evidence: ev } of others) {
    for (const key of k) keys.add(key);
    add({ objections: ev.objections, contacts: ev.contacts, erasedAt: ev.point?.erasedAt ?? null });
    for (const key of ev.person.keys) keys.add(key);
    add(ev.person);
  }
  return {
    ...own,
    person: {
      keys: [...keys].sort(),
      erasedAt,
      objections: objections.sort((a, b) => a.at - b.at),
      contacts: contacts.sort((a, b) => a.at - b.at),
    },
  };
}
