// The closed vocabularies of the facts contract (docs/contract.md §1). String-literal unions backed by
// `as const` arrays, so validation, docs and types come from one list.

export const CHANNELS = [
  "voice_live",
  "voice_automated",
  "sms",
  "email",
  "fax",
  "social_dm",
  "inbox_ad",
  "postal",
] as const;
export type Channel = (typeof CHANNELS)[number];

export const SECTORS = [
  "energy_renovation",
  "home_adaptation",
  "cpf_training",
  "insurance",
  "press",
  "non_commercial",
  "other",
] as const;
export type Sector = (typeof SECTORS)[number];

export const KINDS = ["consumer", "professional", "legal_entity"] as const;
export type Kind = (typeof KINDS)[number];

export const POINT_TYPES = ["phone", "email", "postal", "social"] as const;
export type PointType = (typeof POINT_TYPES)[number];

export const ORIGIN_TYPES = ["direct", "partner", "broker", "scraped_public", "directory"] as const;
export type OriginType = (typeof ORIGIN_TYPES)[number];

export const RELATIONSHIP_STATUSES = [
  "active_contract",
  "past_customer",
  "account_only",
  "prospect",
] as const;
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];

export const CONSENT_METHODS = [
  "unticked_checkbox",
  "pre_ticked_checkbox",
  "terms_acceptance",
  "double_opt_in",
  "verbal_recorded",
  "written_signed",
  "sms_code",
] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Who collected a consent: the controller itself, or a partner or broker that passed it on (A8). */
export const COLLECTORS = ["self", "partner", "broker"] as const;
export type Collector = (typeof COLLECTORS)[number];

/**
 * How a partner's or broker's form named the consent's controller: on the form itself (alone or in
 * a list shown there), in a list of partners the form linked to, or not at all ("nos partenaires").
 */
export const SENDER_NAMINGS = ["named", "listed_with_link", "not_named"] as const;
export type SenderNaming = (typeof SENDER_NAMINGS)[number];

export const CONSENT_SCOPES = ["standard", "out_of_hours"] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** "erasure": the person asked for erasure; the keyed suppression that remains is an objection. */
export const OBJECTION_VIAS = [
  "unsubscribe_link",
  "stop_sms",
  "during_call",
  "letter",
  "email",
  "web_form",
  "erasure",
] as const;
export type ObjectionVia = (typeof OBJECTION_VIAS)[number];

/**
 * How a call ended, in the words the texts use: the consumer refused the canvassing (D.223-9),
 * did not wish to continue the conversation (L.221-16 from 2026-08-11), showed no interest in an
 * insurance offer (C. assur. L.112-2-2), or objected to prospecting (GDPR art. 21).
 */
export const OUTCOMES = [
  "no_answer",
  "answered",
  "refused_offer",
  "declined_to_continue",
  "no_interest",
  "objected",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The outcomes that are a refusal of the canvassing during the conversation (D.223-9's pause). */
export const REFUSALS: readonly Outcome[] = ["refused_offer", "declined_to_continue", "no_interest"];

export const DIALERS = ["manual", "automatic"] as const;
export type Dialer = (typeof DIALERS)[number];

/** The point type each channel needs (social DMs go to a social-network handle). */
export const POINT_TYPE_OF_CHANNEL: Readonly<Record<Channel, PointType>> = {
  voice_live: "phone",
  voice_automated: "phone",
  sms: "phone",
  fax: "phone",
  email: "email",
  inbox_ad: "email",
  social_dm: "social",
  postal: "postal",
};

/**
 * The kind of point a channel reaches when a phone number or an e-mail address of `type` is not
 * it (an SMS reaches a phone, an e-mail an address), else null. Postal mail and social messages
 * reach points the store does not key (an address, a handle): there a phone number or an e-mail
 * address names the person, and null is returned.
 */
export function otherPointOf(channel: Channel, type: "phone" | "email"): "phone" | "email" | null {
  const needed = POINT_TYPE_OF_CHANNEL[channel];
  return (needed === "phone" || needed === "email") && needed !== type ? needed : null;
}

/** Why a consent to `channel` is not one of a point of `type` (otherPointOf), or null. */
export function consentPointError(channel: Channel, type: "phone" | "email"): string | null {
  const other = otherPointOf(channel, type);
  return other === null ? null : `${channel} reaches a ${other} point, not ${type}`;
}
