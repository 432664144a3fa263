// `vigie suppression export --channel C --format F [--since DATE] [--controller NAME] [--out FILE]`:
// the points a sender must not contact (src/services/suppression.ts), recorded in the audit trail.
import { writePrivateFile } from "../../io/private-files.ts";
import { recordActivity } from "../../services/activity.ts";
import {
  renderSuppression,
  SUPPRESSION_CHANNELS,
  SUPPRESSION_FORMATS,
  suppressionList,
} from "../../services/suppression.ts";
import { parseInstant } from "../../time/zoned.ts";
import { EXIT, nameOption, oneOf, UsageError } from "../exit.ts";
import { cliActor, type StoreOptions, withSession } from "../store-options.ts";

export interface SuppressionOptions extends StoreOptions {
  channel: string;
  format: string;
  since?: string;
  controller?: string;
  out?: string;
}

export async function runSuppressionExport(o: SuppressionOptions): Promise<number> {
  const channel = oneOf("--channel", o.channel, SUPPRESSION_CHANNELS);
  const format = oneOf("--format", o.format, SUPPRESSION_FORMATS);
  if (format === "mailchimp" && channel !== "email") {
    throw new UsageError("--format mailchimp holds e-mail addresses: use it with --channel email");
  }
  nameOption("--controller", o.controller);
  const since = o.since === undefined ? undefined : parseInstant(o.since);
  if (since === undefined && o.since !== undefined) {
    throw new UsageError(`--since ${o.since}: not a date (YYYY-MM-DD or ISO 8601 with an offset)`);
  }
  return withSession(o, async (session) => {
    const at = Date.now();
    const entries = await suppressionList(session, { channel, controller: o.controller, since, at });
    const out = renderSuppression(entries, channel, format);
    if (o.out === undefined) process.stdout.write(out.text);
    else writePrivateFile(o.out, out.text);
    await recordActivity(session, {
      action: "suppression.exported",
      target: "",
      by: cliActor(),
      at,
      detail: {
        kind: `${channel} ${format}`,
        ...(o.out === undefined ? {} : { file: o.out.split("/").pop() as string }),
        counts: { rows: out.rows, omitted: out.omitted },
      },
    });
    process.stderr.write(
      `suppression (${channel}, ${format}): ${out.rows} point(s)${out.omitted > 0 ? `; ${out.omitted} erased point(s) left out: only their key remains (--format csv lists them by key)` : ""}\n`,
    );
    return EXIT.ok;
  });
}
