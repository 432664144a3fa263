// Loi n° 2025-594 du 30 juin 2025 « contre toutes les fraudes aux aides publiques », art. 13 II:
// the ban extended to home adaptation, and to SMS, e-mail and social networks (docs/law.md, C2).
import { msg, type Rule, verdict } from "../../../engine/rule.ts";
import { LAW_2025_594_BANS } from "../../../params/fr/params.ts";
import { dayStart, isoDate } from "../../../time/dates.ts";
import { CONSUMERS, channelWord } from "../common.ts";
import { bans, banVerdict, SECTOR_BAN_EXCEPTIONS } from "../sector-ban.ts";

/** The day the law was published, which the press gives as its start; vigie reads the next (H6, C2). */
const PUBLISHED = "2025-07-01";
const IN_FORCE = dayStart("2025-07-02");

const H6 =
  "H6: start date (1 or 2 July 2025) and codification of the electronic-channel limb known only from secondary sources; vigie uses 2025-07-02. H5 applies as for the energy ban.";

const sectorBan: Rule = {
  id: "loi-2025-594/sector-ban",
  law: "C2",
  remedy: msg(
    "Aucune démarche ne lève l'interdiction pour ce secteur et ce canal, hors les exceptions que la loi prévoit.",
    "No step lifts the ban for this sector and channel, outside the exceptions the law provides.",
  ),
  title: msg(
    "Interdiction étendue : adaptation du logement, SMS, courriel, réseaux sociaux",
    "Extended ban: home adaptation, SMS, e-mail, social networks",
  ),
  confidence: "V2",
  channels: ["voice_live", "voice_automated", "sms", "email", "inbox_ad", "social_dm"],
  kinds: CONSUMERS,
  contested: H6,
  params: [LAW_2025_594_BANS],
  versions: [
    {
      // From the day of publication: on it the ban is not applied but said, contested (below).
      from: PUBLISHED,
      to: "2026-08-10",
      article: "Loi n° 2025-594 du 30 juin 2025, art. 13 II",
      text: "La prospection commerciale de consommateurs, par voie téléphonique, par message électronique, par SMS ou via les réseaux sociaux, ayant pour objet l'offre de prestations de service, la vente d'équipements ou la réalisation de travaux pour des logements en vue de leur adaptation au vieillissement ou au handicap, de la réalisation d'économies d'énergie ou de la production d'énergies renouvelables est interdite, à l'exception des sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours.",
      contested: H6,
    },
    {
      from: "2026-08-11",
      // L.223-1 al. 5 is the telephone limb; the electronic one's codification is not known (H6).
      article: "Loi n° 2025-594 du 30 juin 2025, art. 13 II ; pour les appels, C. conso., art. L.223-1 al. 5",
      text: "[…] l'offre de prestations de service, la vente d'équipements ou la réalisation de travaux pour des logements en vue de leur adaptation au vieillissement ou au handicap ou de la réalisation d'économies d'énergie ou de la production d'énergies renouvelables […] est interdite, à l'exception des sollicitations intervenant dans le cadre de l'exécution d'un contrat en cours.",
      contested: H6,
    },
  ],
  exceptions: SECTOR_BAN_EXCEPTIONS,
  evaluate(ctx) {
    const ban = banVerdict(ctx, LAW_2025_594_BANS, "loi-2025-594.sector_ban");
    if (ban !== null || isoDate(ctx.at) !== PUBLISHED) return ban;
    // 1 July 2025: in force that day by the press's reading, from the next by a law publisher's,
    // which vigie follows (LAW C2: "flags 2025-07-01 as ambiguous").
    if (!bans(ctx.params.valueAt(LAW_2025_594_BANS, IN_FORCE), ctx.campaign)) return null;
    return verdict(
      "condition",
      "loi-2025-594.entry_day",
      { channel: channelWord(ctx.campaign.channel) },
      true,
    );
  },
};

export const LOI_2025_594_RULES: readonly Rule[] = [sectorBan];
