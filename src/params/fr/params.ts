// Values of the law that change over time, as dated rows (OpenFisca's habit): a change of the law
// is a new row here, not new code. Each row cites where its value comes from. Rules read them
// with `valueAt(PARAM, at)`; `vigie explain` prints them.
import type { Channel, ConsentMethod, Sector } from "../../facts/vocabulary.ts";
import { dayStart } from "../../time/dates.ts";

export interface DatedValue<T> {
  /** First day (Europe/Paris) the value applies. */
  readonly from: string;
  readonly value: T;
  readonly reference: string;
}

export interface Param<T> {
  readonly id: string;
  readonly description: string;
  readonly values: readonly DatedValue<T>[];
  /** `from` of each row as epoch ms, ascending. */
  readonly starts: readonly number[];
}

function param<T>(id: string, description: string, values: DatedValue<T>[]): Param<T> {
  const starts = values.map((v) => dayStart(v.from));
  for (let i = 1; i < starts.length; i++) {
    if ((starts[i] as number) <= (starts[i - 1] as number)) throw new Error(`param ${id}: rows out of order`);
  }
  return { id, description, values, starts };
}

/** The row in force at `at`, or undefined before the first row. */
export function rowAt<T>(p: Param<T>, at: number): DatedValue<T> | undefined {
  for (let i = p.starts.length - 1; i >= 0; i--) {
    if ((p.starts[i] as number) <= at) return p.values[i];
  }
  return undefined;
}

export function valueAt<T>(p: Param<T>, at: number): T | undefined {
  return rowAt(p, at)?.value;
}

/**
 * The parameters a decision reads, as the engine asks for them (`Context.param`): the law's rows
 * below (LAW), or another set — to decide under a value the law does not hold yet (a test of what
 * a new decree would change) without touching the rows every other decision reads.
 */
export interface ParamSet {
  valueAt<T>(p: Param<T>, at: number): T | undefined;
}

export const LAW: ParamSet = Object.freeze({ valueAt });

const D223_9 = "Code de la consommation, art. D.223-9 (décret n° 2022-1313 du 13 octobre 2022)";

export interface CallingHours {
  /** ISO weekdays (Monday = 1) on which calls are allowed. */
  readonly weekdays: readonly number[];
  /** Half-open local windows [start, end) in minutes after midnight. */
  readonly windows: readonly (readonly [number, number])[];
}

export const CALLING_HOURS = param<CallingHours>(
  "d223-9.calling-hours",
  "Days and hours at which a consumer may be canvassed by telephone, in the consumer's time zone; public holidays of C. trav. L.3133-1 excluded",
  [
    {
      from: "2023-03-01",
      value: {
        weekdays: [1, 2, 3, 4, 5],
        windows: [
          [10 * 60, 13 * 60],
          [14 * 60, 20 * 60],
        ],
      },
      reference: D223_9,
    },
  ],
);

export const MAX_ATTEMPTS = param<{ readonly calls: number; readonly days: number }>(
  "d223-9.max-attempts",
  "Most calls or attempts by one professional to one consumer in any period of this many calendar days",
  [{ from: "2023-03-01", value: { calls: 4, days: 30 }, reference: D223_9 }],
);

export const REFUSAL_PAUSE_DAYS = param<number>(
  "d223-9.refusal-pause-days",
  "Full calendar days without any call or attempt after the consumer refused the canvassing",
  [{ from: "2023-03-01", value: 60, reference: D223_9 }],
);

export const BLOCTEL = param<{ readonly effectiveAfterDays: number; readonly scrubMaxAgeDays: number }>(
  "bloctel.delays",
  'Days after registration by which a Bloctel registration takes effect; greatest age of the last scrub for a habitual caller ("at least monthly", read as 30 days)',
  [
    {
      from: "2016-06-01",
      value: { effectiveAfterDays: 30, scrubMaxAgeDays: 30 },
      reference:
        "C. conso. L.223-1 and R.223-3 / former R.121-7-5 (décret n° 2015-556); from 2020-07-26 L.223-1 al. 4 (loi n° 2020-901)",
    },
  ],
);

export const RETENTION_YEARS = param<{ readonly prospect: number; readonly customer: number }>(
  "cnil.retention-years",
  "Years prospecting data may be kept: prospects from collection or their last inbound contact; customers from the end of the relationship",
  [
    { from: "2016-01-01", value: { prospect: 3, customer: 3 }, reference: "CNIL norme simplifiée NS-048" },
    {
      from: "2022-04-10",
      value: { prospect: 3, customer: 3 },
      reference:
        "CNIL référentiel « gestion des activités commerciales », délib. n° 2021-131 du 23 septembre 2021",
    },
  ],
);

export const NOTICE_DEADLINE_MONTHS = param<number>(
  "gdpr-14.notice-deadline-months",
  "Months after obtaining data not collected from the person by which the notice is due (0: as soon as they are recorded)",
  [
    {
      from: "2016-01-01",
      value: 0,
      reference:
        "Loi n° 78-17 du 6 janvier 1978, art. 32 III (« dès l'enregistrement des données ou, si une communication des données à des tiers est envisagée, au plus tard lors de la première communication des données »)",
    },
    { from: "2018-05-25", value: 1, reference: "Règlement (UE) 2016/679, art. 14(3)(a)" },
  ],
);

export const INVALID_CONSENT_METHODS = param<readonly ConsentMethod[]>(
  "consent.invalid-methods",
  "Ways of collecting that never make a valid consent",
  [
    {
      from: "2015-03-11",
      value: ["terms_acceptance"],
      reference: "CE 11 mars 2015 n° 368624 (acceptance of terms is not specific consent)",
    },
    {
      from: "2018-05-25",
      value: ["terms_acceptance", "pre_ticked_checkbox"],
      reference: "RGPD art. 4(11) (clear affirmative act); CNIL SAN-2022-017 Accor",
    },
  ],
);

export const CONSENT_PROOF_REQUIRED = param<boolean>(
  "consent.proof-required",
  "Whether a consent counts only when its proof is held",
  [{ from: "2018-05-25", value: true, reference: "RGPD art. 7(1)" }],
);

export const PARTNER_CONSENT_MUST_NAME_SENDER = param<boolean>(
  "consent.partner-must-name-sender",
  "Whether a consent collected by a partner or broker for a consumer counts only if the form named the sender",
  [
    {
      from: "2018-12-28",
      value: true,
      reference:
        "CNIL, recommandation du 28 décembre 2018 (B2C, transmission à des partenaires); SAN-2023-015 Canal+",
    },
  ],
);

export interface SectorBan {
  readonly sector: Sector;
  readonly channels: readonly Channel[];
}

const PHONE: readonly Channel[] = ["voice_live", "voice_automated"];
const PHONE_AND_MESSAGES: readonly Channel[] = [
  "voice_live",
  "voice_automated",
  "sms",
  "email",
  "inbox_ad",
  "social_dm",
];

export const ENERGY_PHONE_BAN = param<readonly SectorBan[]>(
  "l223-1.energy-phone-ban",
  "Sectors in which telephone canvassing of consumers is banned outright by C. conso. L.223-1",
  [
    {
      from: "2020-07-26",
      value: [{ sector: "energy_renovation", channels: PHONE }],
      reference: "C. conso. L.223-1 al. 3 (loi n° 2020-901 du 24 juillet 2020, art. 1er)",
    },
  ],
);

export const LAW_2025_594_BANS = param<readonly SectorBan[]>(
  "loi-2025-594.sector-bans",
  "Sectors and channels of the bans added by loi n° 2025-594 (home adaptation by phone; both sectors by SMS, e-mail and social networks)",
  [
    {
      from: "2025-07-02",
      value: [
        { sector: "energy_renovation", channels: ["sms", "email", "inbox_ad", "social_dm"] },
        { sector: "home_adaptation", channels: PHONE_AND_MESSAGES },
      ],
      reference: "Loi n° 2025-594 du 30 juin 2025, art. 13 II (JO 1er juillet 2025)",
    },
  ],
);

export const CPF_BAN = param<readonly SectorBan[]>(
  "l6323-8-1.cpf-ban",
  "Channels by which holders of a compte personnel de formation may not be canvassed",
  [
    {
      from: "2022-12-21",
      value: [{ sector: "cpf_training", channels: PHONE_AND_MESSAGES }],
      reference: "C. trav. L.6323-8-1 (loi n° 2022-1587 du 19 décembre 2022)",
    },
  ],
);

export const AUTOMATED_CALLER_PREFIXES = param<readonly string[]>(
  "arcep.automated-caller-prefixes",
  "National prefixes an automated calling or messaging system must show as caller ID",
  [
    {
      from: "2023-01-01",
      value: [
        "0162",
        "0163",
        "0270",
        "0271",
        "0377",
        "0378",
        "0424",
        "0425",
        "0568",
        "0569",
        "0948",
        "0949",
        "09475",
        "09476",
        "09477",
        "09478",
        "09479",
      ],
      reference: "ARCEP décision n° 2022-1583 du 1er septembre 2022 (modifying n° 2018-0881)",
    },
  ],
);

export const INSURANCE_SOLICITED_CALL_DAYS = param<number>(
  "l112-2-2.solicited-call-days",
  "Days within which a call the prospect asked for counts as solicited (outside the two-step regime)",
  [{ from: "2022-04-01", value: 30, reference: "C. assur. R.112-7 (décret n° 2022-34 du 17 janvier 2022)" }],
);

export interface TwoStepSale {
  /** Hours between the prospect's receipt of the documents and any new call. */
  readonly waitHours: number;
  /** Years the calls' recordings are kept. */
  readonly recordingYears: number;
}

export const INSURANCE_TWO_STEP_SALE = param<TwoStepSale>(
  "l112-2-2.two-step-sale",
  "Delays of the two-step sale of insurance by telephone: hours from the documents' receipt to any new call; years the recordings are kept",
  [
    {
      from: "2022-04-01",
      value: { waitHours: 24, recordingYears: 2 },
      reference: "C. assur. L.112-2-2 (loi n° 2021-402 du 8 avril 2021) and R.112-7 (décret n° 2022-34)",
    },
  ],
);

export interface Duty {
  readonly fr: string;
  readonly en: string;
}

const IDENTITY: Duty = {
  fr: "son identité et, le cas échéant, celle de la personne pour le compte de laquelle il appelle",
  en: "their identity and, where relevant, that of the person on whose behalf they call",
};
const COMMERCIAL_NATURE: Duty = {
  fr: "la nature commerciale de l'appel",
  en: "the commercial nature of the call",
};

export const CALL_OPENING_DUTIES = param<readonly Duty[]>(
  "l221-16.call-opening-duties",
  "What the caller must say at the start of a canvassing call",
  [
    {
      from: "2014-06-14",
      value: [IDENTITY, COMMERCIAL_NATURE],
      reference: "C. conso. L.221-16 al. 1 (ex-L.121-20, loi n° 2014-344); directive 2011/83/UE art. 8(5)",
    },
    {
      from: "2020-07-26",
      value: [
        IDENTITY,
        COMMERCIAL_NATURE,
        {
          fr: "la possibilité de s'inscrire gratuitement sur la liste d'opposition au démarchage téléphonique",
          en: "that the consumer may register free of charge on the telephone opposition list",
        },
      ],
      reference:
        "C. conso. L.221-16 al. 1 (loi n° 2020-901): « de manière claire, précise et compréhensible »",
    },
    {
      from: "2026-08-11",
      value: [IDENTITY, COMMERCIAL_NATURE],
      reference: "C. conso. L.221-16 al. 1 (loi n° 2025-594: the Bloctel sentence is deleted)",
    },
  ],
);
