// What the sector bans (energy renovation, home adaptation, CPF) share: a dated table of banned
// sectors and channels, and the same two exceptions.
import type { Context } from "../../engine/context.ts";
import type { InlineException, Verdict } from "../../engine/rule.ts";
import { fixed, verdict } from "../../engine/rule.ts";
import { type Param, type SectorBan, valueAt } from "../../params/fr/params.ts";
import { CHANNEL_NAME } from "./common.ts";

const ONGOING_CONTRACT = fixed(
  "allow",
  "Exception : sollicitation dans le cadre de l'exécution d'un contrat en cours, en rapport avec son objet.",
  "Exception: solicitation in the performance of an ongoing contract, related to its object.",
);

/** "Sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours": the bans' and L.223-1's. */
export const ONGOING_CONTRACT_EXCEPTION: InlineException = {
  name: "ongoing-contract",
  test(ctx): Verdict | null {
    return ctx.ongoingRelatedContract ? ONGOING_CONTRACT : null;
  },
};

const CALLBACK_IN_SECTOR_BAN = fixed(
  "allow",
  "Exception (politique callbackExceptionInSectorBans) : rappel demandé par la personne dans le délai fixé (CAA Lyon 10 nov. 2023 EDF ENR) ; la DGCCRF ne l'admet pas.",
  "Exception (policy callbackExceptionInSectorBans): callback the person asked for, within the window (CAA Lyon 10 Nov 2023 EDF ENR); the DGCCRF does not accept it.",
  true,
);

/** A block when the table in force bans the campaign's sector on its channel, else null. */
export function banVerdict(
  ctx: Context,
  table: Param<readonly SectorBan[]>,
  what: { fr: string; en: string },
) {
  const bans = valueAt(table, ctx.at);
  const { sector, channel } = ctx.campaign;
  if (bans?.some((b) => b.sector === sector && b.channels.includes(channel)) !== true) return null;
  const by = CHANNEL_NAME[channel];
  return verdict(
    "block",
    `${what.fr} : démarchage interdit par ${by.fr}, même avec le consentement de la personne.`,
    `${what.en}: canvassing by ${by.en} is banned, even with the person's consent.`,
  );
}

export const SECTOR_BAN_EXCEPTIONS: readonly InlineException[] = [
  ONGOING_CONTRACT_EXCEPTION,
  {
    name: "callback-requested",
    test(ctx): Verdict | null {
      return ctx.policy.callbackExceptionInSectorBans && ctx.callbackRequested
        ? CALLBACK_IN_SECTOR_BAN
        : null;
    },
  },
];
