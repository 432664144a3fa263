// What the sector bans (energy renovation, home adaptation, CPF) share: a dated table of banned
// sectors and channels, and the same two exceptions.
import type { Context } from "../../engine/context.ts";
import type { InlineException, Verdict } from "../../engine/rule.ts";
import { fixed, verdict } from "../../engine/rule.ts";
import type { Param, SectorBan } from "../../params/fr/params.ts";
import { channelWord } from "./common.ts";

const ONGOING_CONTRACT = fixed("allow", "exception.ongoing_contract");

/** "Sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours": the bans' and L.223-1's. */
export const ONGOING_CONTRACT_EXCEPTION: InlineException = {
  name: "ongoing-contract",
  test(ctx): Verdict | null {
    return ctx.ongoingRelatedContract ? ONGOING_CONTRACT : null;
  },
};

const CALLBACK_IN_SECTOR_BAN = fixed("allow", "exception.callback_in_sector_ban", true);

/** A ban's block, which names the banned sector and the channel. */
type BanCode = "conso-l223-1.energy_ban" | "loi-2025-594.sector_ban" | "travail-l6323-8-1.cpf_ban";

/** Whether a table of bans (a parameter's value at some instant) bans the campaign's sector on its channel. */
export function bans(table: readonly SectorBan[] | undefined, campaign: Context["campaign"]): boolean {
  return table?.some((b) => b.sector === campaign.sector && b.channels.includes(campaign.channel)) === true;
}

/** A block when the table in force bans the campaign's sector on its channel, else null. */
export function banVerdict(ctx: Context, table: Param<readonly SectorBan[]>, code: BanCode) {
  if (!bans(ctx.param(table), ctx.campaign)) return null;
  return verdict("block", code, { channel: channelWord(ctx.campaign.channel) });
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
