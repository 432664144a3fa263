// A screening kept on disk (the dashboard makes them; evidence packs read them), one private
// directory per screening under a screenings directory (api/paths.ts):
//
//   <id>/list.csv | list.xlsx | list.jsonl   the upload, byte for byte
//   <id>/campaign.json           the screen campaign file used (as `vigie screen --campaign` takes)
//   <id>/meta.json               SavedScreening below
//   <id>/out/                    allowed.csv, blocked.csv, rejected.csv, summary.json, report.html
//
// Ids are 128 random bits in hex, checked against their pattern before any path is built, so an id
// from a URL can neither be guessed nor climb out of the directory.
import { join } from "node:path";
import type { ListFormat } from "./list.ts";

export const SCREENING_STATUSES = ["mapping", "running", "done", "failed", "cancelled"] as const;
export type ScreeningStatus = (typeof SCREENING_STATUSES)[number];

export interface ScreeningCounts {
  readonly in: number;
  readonly allowed: number;
  readonly blocked: number;
  readonly rejected: number;
}

export interface ScreeningProgress {
  readonly bytes: number;
  readonly total: number;
  readonly rows: number;
}

/** meta.json. */
export interface ScreeningMeta {
  readonly id: string;
  readonly createdAt: string;
  /** The user who uploaded the list. */
  readonly by: string;
  /** The uploaded file's name, as the browser gave it (display only: never used as a path). */
  readonly listName: string;
  readonly listSha256: string;
  readonly listFormat: ListFormat;
  readonly listBytes: number;
  readonly campaignId: string | null;
  readonly status: ScreeningStatus;
  readonly error?: string;
  readonly counts?: ScreeningCounts;
  /** Who started the screening, and when (ISO). */
  readonly startedBy?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** The language of blocked.csv's reasons and of the report. */
  readonly lang?: "fr" | "en";
  /** Recognised columns read from columns of other names, as in summary.json. */
  readonly columns?: Readonly<Record<string, string>>;
  /** While running; null while waiting for an earlier screening to finish. */
  readonly progress?: ScreeningProgress | null;
}

const ID = /^[0-9a-f]{32}$/;
export const isScreeningId = (id: string): boolean => ID.test(id);

/** The files of screening `id` under `root`; throws on anything but a screening id. */
export function screeningPaths(root: string, id: string) {
  if (!isScreeningId(id)) throw new Error(`not a screening id: ${id}`);
  const home = join(root, id);
  return {
    home,
    meta: join(home, "meta.json"),
    campaign: join(home, "campaign.json"),
    out: join(home, "out"),
    list: (format: ListFormat) => join(home, `list.${format}`),
  };
}
