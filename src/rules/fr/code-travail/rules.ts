// Code du travail, art. L.6323-8-1 (loi n° 2022-1587): no canvassing of holders of a compte
// personnel de formation (docs/law.md, C3).
import { msg, type Rule } from "../../../engine/rule.ts";
import { CPF_BAN } from "../../../params/fr/params.ts";
import { NATURAL_PERSONS } from "../common.ts";
import { banVerdict, SECTOR_BAN_EXCEPTIONS } from "../sector-ban.ts";

const cpfBan: Rule = {
  id: "travail-l6323-8-1/cpf-ban",
  law: "C3",
  remedy: msg(
    "Aucune démarche ne lève l'interdiction de prospecter pour le compte personnel de formation, hors les exceptions que la loi prévoit.",
    "No step lifts the ban on canvassing for personal training accounts, outside the exceptions the law provides.",
  ),
  title: msg("Interdiction du démarchage CPF", "CPF canvassing ban"),
  confidence: "V",
  channels: ["voice_live", "voice_automated", "sms", "email", "inbox_ad", "social_dm"],
  // CPF holders are natural persons, whether reached at home or at work.
  kinds: NATURAL_PERSONS,
  params: [CPF_BAN],
  versions: [
    {
      from: "2022-12-21",
      article: "C. trav., art. L.6323-8-1 (loi n° 2022-1587 du 19 décembre 2022)",
      text: "Toute prospection commerciale des titulaires d'un compte personnel de formation par voie téléphonique, par message via un service de communications interpersonnelles, par courrier électronique ou sur un service de réseaux sociaux en ligne, visant à collecter leurs données à caractère personnel ou à conclure des contrats portant sur des actions mentionnées à l'article L. 6323-6, est interdite, sauf en cas de sollicitation intervenant dans le cadre d'une action en cours et présentant un lien direct avec l'objet de celle-ci.",
    },
  ],
  exceptions: SECTOR_BAN_EXCEPTIONS,
  evaluate(ctx) {
    return banVerdict(ctx, CPF_BAN, "travail-l6323-8-1.cpf_ban");
  },
};

export const CODE_TRAVAIL_RULES: readonly Rule[] = [cpfBan];
