// E-mail addresses to one canonical form, so that a suppression list matches every way the same
// address gets written.
//
// - The whole address is lower-cased, local part included. RFC 5321 lets a server treat the local
//   part case-sensitively, but providers do not in practice, and an opposition recorded for
//   "Jean.Dupont@…" must also stop mail to "jean.dupont@…".
// - The domain is converted to ASCII (punycode) with the WHATWG/UTS 46 mapping of
//   node:url's domainToASCII, so "exämple.fr" and "xn--exmple-cua.fr" are one domain.
// - "+tags" and Gmail's ignored dots are kept: those rules belong to some providers only, and
//   merging "jean.dupont@" with "jeandupont@" elsewhere would apply one person's consent or
//   opposition to another's address.
// - Quoted local parts ("john doe"@…) and IP-address domains are rejected: they are valid
//   RFC 5322 but never seen in prospect data, and accepting them would widen what "equal" means.

import { domainToASCII } from "node:url";
import { type Reason, type ReasonCode, renderReason } from "../i18n/reasons.ts";

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string; problem: Reason };

const reject = (problem: Reason): EmailResult => ({
  ok: false,
  reason: renderReason(problem, "en"),
  problem,
});
const said = (code: ReasonCode, args?: Reason["args"]): Reason =>
  args === undefined ? { code } : { code, args };

// RFC 5322 atext plus the dot; anything at or above U+0080 is allowed (RFC 6531 UTF-8 local parts).
const LOCAL_CHAR = /^[a-z0-9!#$%&'*+/=?^_`{|}~.\u0080-\u{10ffff}-]$/iu;
// Before IDN conversion only letters, digits, hyphens and dots (any script) may appear: the WHATWG
// host parser would otherwise percent-decode "%41" or cut the domain at a "/".
const DOMAIN_INPUT = /^[\p{L}\p{M}\p{N}.\u3002\uff0e\uff61-]+$/u;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const utf8Length = (s: string): number => Buffer.byteLength(s, "utf8");

function localPartProblem(local: string): Reason | undefined {
  if (local === "") return said("email.local_empty");
  if (local.startsWith(".") || local.endsWith(".")) return said("email.local_dot_edge");
  if (local.includes("..")) return said("email.local_double_dot");
  for (const char of local) {
    if (!LOCAL_CHAR.test(char)) return said("email.local_character", { character: JSON.stringify(char) });
  }
  if (utf8Length(local) > 64) return said("email.local_too_long", { octets: utf8Length(local) });
  return undefined;
}

function asciiDomain(domain: string): { domain: string } | { problem: Reason } {
  const no = (code: ReasonCode, args?: Reason["args"]) => ({ problem: said(code, args) });
  if (domain === "") return no("email.domain_empty");
  if (!DOMAIN_INPUT.test(domain)) return no("email.domain_invalid", { domain: JSON.stringify(domain) });
  const ascii = domainToASCII(domain);
  if (ascii === "") return no("email.domain_idn_invalid", { domain: JSON.stringify(domain) });
  const labels = ascii.split(".");
  if (labels.length < 2) return no("email.domain_no_dot");
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad === "") return no("email.domain_empty_label");
  if (bad !== undefined && bad.length > 63) return no("email.domain_label_too_long");
  if (bad !== undefined) return no("email.domain_label_invalid", { label: JSON.stringify(bad) });
  // domainToASCII turns "0x7f.1" into "127.0.0.1"; a numeric top-level label is an IP address.
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return no("email.domain_ip");
  if (ascii.length > 253) return no("email.domain_too_long");
  return { domain: ascii };
}

// An address of ASCII letters, digits and atext, one "@", a dotted domain of letters, digits and
// hyphens: nearly every address in a list. Such an address needs no NFC and no IDN mapping
// (domainToASCII only lower-cases it), so it is checked here at a fraction of the cost
// (bench/screen.ts); anything else, or anything this finds wrong, goes the whole way below,
// which says why.
const PLAIN = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/i;
// WHATWG reads a host whose last label is a number (decimal, or 0x hex) as an IPv4 address, and
// "xn--" labels are punycode to check: both left to domainToASCII.
const NOT_PLAIN_DOMAIN = /(?:^|\.)xn--|\.(?:\d+|0x[0-9a-f]*)$/i;

/** The canonical form of a plain address (above), or null: not plain, or not valid. */
export function plainEmail(text: string): string | null {
  if (text.length > 254 || !PLAIN.test(text)) return null;
  const email = text.toLowerCase();
  const at = email.indexOf("@");
  const domain = email.slice(at + 1);
  if (email.charCodeAt(0) === 46 || email.charCodeAt(at - 1) === 46 || email.lastIndexOf("..", at) >= 0) {
    return null;
  }
  if (domain.length > 253 || NOT_PLAIN_DOMAIN.test(domain)) return null;
  for (const label of domain.split(".")) if (!LABEL.test(label)) return null;
  return email;
}

export function normalizeEmail(raw: string): EmailResult {
  const plain = plainEmail(raw.trim());
  return plain === null ? normalizeAnyEmail(raw) : { ok: true, email: plain };
}

/** Any address, its reason when it is refused: the whole way, NFC and IDN included. */
export function normalizeAnyEmail(raw: string): EmailResult {
  const text = raw.trim();
  if (text === "") return reject(said("email.empty"));
  // What lists copied from mail programs and web pages hold, said for what it is (never cut out:
  // which address of a cell is the person's is for whoever made the list to say).
  if (/^mailto:/i.test(text)) return reject(said("email.mailto"));
  if (/<[^<>@\s]+@[^<>\s]+>\s*$/.test(text)) return reject(said("email.display_name"));
  if (/@[^,;\s]*[,;\s]+\S*@/.test(text)) return reject(said("email.several"));
  if (/\s/u.test(text)) return reject(said("email.spaces"));
  if (/[\p{Cc}\p{Cf}]/u.test(text)) return reject(said("email.control"));
  const at = text.indexOf("@");
  if (at < 0) return reject(said("email.no_at"));
  if (text.indexOf("@", at + 1) >= 0) return reject(said("email.several_at"));
  // NFC so that "é" typed as one code point or as e + combining accent is one address.
  const local = text.slice(0, at).normalize("NFC").toLowerCase();
  const problem = localPartProblem(local);
  if (problem) return reject(problem);
  const domain = asciiDomain(text.slice(at + 1));
  if ("problem" in domain) return reject(domain.problem);
  const email = `${local}@${domain.domain}`;
  if (utf8Length(email) > 254) return reject(said("email.too_long", { octets: utf8Length(email) }));
  return { ok: true, email };
}
