// `vigie pack person POINT --out FILE.zip [--campaign FILE --at DATE]`: a person's evidence pack
// (src/services/evidence-pack.ts), as the dashboard's /people/pack makes it, recorded in the trail.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { writePrivateFile } from "../../io/private-files.ts";
import { recordActivity } from "../../services/activity.ts";
import { type CampaignRef, PackError, personPack } from "../../services/evidence-pack.ts";
import { zipPack } from "../../services/pack-zip.ts";
import { decisionAtOption } from "../dates.ts";
import { EXIT, UsageError } from "../exit.ts";
import { cliActor, type StoreOptions, subjectArg, withSession } from "../store-options.ts";

export interface PackPersonOptions extends StoreOptions {
  out: string;
  campaign?: string;
  at?: string;
}

/**
 * A campaign file: `{ campaign, policy? }` (what POST /v1/campaigns stores), or the campaign object
 * itself, as `vigie screen --campaign` takes it (its `at` or `from` is then the default instant).
 */
function campaignFile(file: string): { ref: CampaignRef; at: string | undefined } {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--campaign ${file}: ${(e as Error).message}`);
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new UsageError(`--campaign ${file}: expected a JSON object`);
  }
  const o = input as Record<string, unknown>;
  if ("campaign" in o) return { ref: { id: basename(file), body: o }, at: undefined };
  const { at, from, to: _to, policy, ...campaign } = o;
  const when = typeof at === "string" ? at : typeof from === "string" ? from : undefined;
  return {
    ref: { id: basename(file), body: policy === undefined ? { campaign } : { campaign, policy } },
    at: when,
  };
}

export async function runPackPerson(point: string, o: PackPersonOptions): Promise<number> {
  if (!o.out.endsWith(".zip")) throw new UsageError(`--out ${o.out}: expected a .zip file name`);
  const campaign = o.campaign === undefined ? undefined : campaignFile(o.campaign);
  if (o.at !== undefined && campaign === undefined) throw new UsageError("--at goes with --campaign");
  return withSession(o, async (session) => {
    const subject = subjectArg(session, point);
    const now = Date.now();
    const at = campaign === undefined ? now : decisionAtOption(o.at ?? campaign.at);
    let pack: Awaited<ReturnType<typeof personPack>>;
    try {
      pack = await personPack(session, subject, {
        by: cliActor(),
        at: now,
        campaign: campaign?.ref,
        decisionAt: at,
      });
    } catch (e) {
      if (e instanceof PackError) {
        process.stderr.write(`vigie: ${e.message}\n`);
        return EXIT.invalid;
      }
      throw e;
    }
    writePrivateFile(o.out, zipPack(pack, session.signer));
    await recordActivity(session, {
      action: "evidence-pack.exported",
      target: campaign?.ref.id ?? "",
      pointKey: subject.key,
      by: cliActor(),
      at: now,
    });
    process.stdout.write(
      `${o.out}: evidence pack of ${subject.point.type}, ${pack.events.length} event(s)${pack.decision === null ? "" : `, decision ${pack.decision.decision.verdict}`}\n`,
    );
    return EXIT.ok;
  });
}
