// `vigie subject export|erase POINT`: the person's rights of access and erasure.

import { apiFile } from "../../api/paths.ts";
import { eraseSubject, exportSubject, exportText } from "../../services/rights.ts";
import { isoDate } from "../../time/dates.ts";
import { EXIT } from "../exit.ts";
import { cliActor, type StoreOptions, subjectArg, withSession } from "../store-options.ts";

export async function runSubjectExport(point: string, o: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(o, async (session) => {
    const x = await exportSubject(session, subjectArg(session, point));
    process.stdout.write(o.json ? `${JSON.stringify(x, null, 2)}\n` : exportText(x));
    return EXIT.ok;
  });
}

export async function runSubjectErase(point: string, o: StoreOptions): Promise<number> {
  return withSession(o, async (session) => {
    const subject = subjectArg(session, point);
    const files = { outbox: { file: apiFile(o, "outbox") }, screenings: apiFile(o, "screenings") };
    const r = await eraseSubject(session, subject, Date.now(), cliActor(), files);
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
