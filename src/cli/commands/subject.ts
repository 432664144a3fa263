// `vigie subject export|erase POINT`: the person's rights of access and erasure.
import { createInterface } from "node:readline/promises";
import { apiFile } from "../../api/paths.ts";
import { recordActivity } from "../../services/activity.ts";
import { eraseSubject, exportSubject, exportText } from "../../services/rights.ts";
import { type Session, type Subject, subjectOf } from "../../services/session.ts";
import { isoDate } from "../../time/dates.ts";
import { EXIT, UsageError } from "../exit.ts";
import { cliActor, type StoreOptions, subjectArg, withSession } from "../store-options.ts";

export async function runSubjectExport(point: string, o: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(o, async (session) => {
    const subject = subjectArg(session, point);
    const x = await exportSubject(session, subject);
    process.stdout.write(o.json ? `${JSON.stringify(x, null, 2)}\n` : exportText(x));
    await recordActivity(session, {
      action: "subject.exported",
      target: "",
      pointKey: subject.key,
      by: cliActor(),
      at: Date.now(),
    });
    return EXIT.ok;
  });
}

/**
 * An erasure cannot be undone: on a terminal the point is asked again, and must name the same
 * point (any spelling); a script says --yes. Without either nothing is erased.
 */
async function confirmed(session: Session, subject: Subject, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new UsageError(
      "subject erase cannot be undone: run it on a terminal to confirm by typing the point again, or give --yes in a script",
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const typed = await rl.question(
      `This erases the personal data held about ${subject.point.value} and the points linked to it (the same person); it cannot be undone.\nType the ${subject.point.type === "phone" ? "number" : "address"} again to confirm: `,
    );
    const again = subjectOf(session.ring, typed);
    return again.ok && again.subject.key === subject.key;
  } finally {
    rl.close();
  }
}

export async function runSubjectErase(
  point: string,
  o: StoreOptions & { yes?: boolean; json?: boolean },
): Promise<number> {
  return withSession(o, async (session) => {
    const subject = subjectArg(session, point);
    if (!(await confirmed(session, subject, o.yes === true))) {
      process.stderr.write("vigie: not confirmed: nothing erased\n");
      return EXIT.invalid;
    }
    const files = { outbox: { file: apiFile(o, "outbox") }, screenings: apiFile(o, "screenings") };
    const r = await eraseSubject(session, subject, Date.now(), cliActor(), files);
    if (o.json) {
      // As DELETE's answer in the API (POST /v1/subjects/:point/erase).
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return EXIT.ok;
    }
    process.stdout.write(
      r.alreadyErasedAt !== null
        ? `already erased on ${isoDate(r.alreadyErasedAt)}; erasure recorded again\n`
        : `erased: personal data of ${subject.point.type} deleted; its keyed suppression is kept (${r.keys} key(s))\n`,
    );
    for (const l of r.linked) {
      process.stdout.write(
        `also erased, the same person's ${l.type}: ${l.value ?? `${l.key} (value already erased)`}\n`,
      );
    }
    for (const f of r.files.purged) process.stdout.write(`purged ${f.removed} record(s) from ${f.file}\n`);
    for (const n of [...r.files.notPurged.map((x) => `${x.where}: ${x.why}`), ...r.store]) {
      process.stdout.write(`not purged: ${n}\n`);
    }
    return EXIT.ok;
  });
}
