// Rules of docs/law.md (#not-implemented) that decide() does not evaluate, and why. docs/rules.md lists them.

export interface NotImplemented {
  readonly law: string;
  readonly statement: string;
  readonly why: string;
}

export const NOT_IMPLEMENTED: readonly NotImplemented[] = [
  {
    law: "B4d",
    statement:
      "Information at collection of a phone number: the right to register on Bloctel (L.223-2 until 2026-08-10), then that canvassing needs prior consent (from 2026-08-11).",
    why: "A duty of the form that collects the number, not a condition of a later contact. It belongs to consent capture (the API's forms), where the wording shown is recorded with its hash.",
  },
  {
    law: "B6b",
    statement: "No sale made conditional on accepting telephone prospecting (loi 2025-594).",
    why: "Concerns the terms of a sale, which vigie does not see; its date is also disputed (H9).",
  },
  {
    law: "B7c",
    statement:
      "Caller-ID authentication (MAN / STIR-SHAKEN, CPCE L.44): operators cut unauthenticated calls from 2024-10-01.",
    why: "An obligation of telephone operators, enforced by the network, not by the caller's decision to call; B7a and B7b cover the number shown.",
  },
  {
    law: "B8",
    statement:
      "The professional who benefits from unlawful canvassing is presumed liable and a contract concluded after it is void (L.223-1, from 2020-07-26).",
    why: "A consequence of a breach, not a condition of lawfulness; the block messages of conso-l223-1/phone-consent say that a resulting contract would be void.",
  },
];
