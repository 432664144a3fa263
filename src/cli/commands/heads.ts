// `vigie audit head` and `vigie audit key`: the store's signed heads and the key that signs them
// (src/services/heads.ts), and what `vigie import` publishes after each import.
import { existsSync } from "node:fs";
import { proveConsistency } from "../../services/consistency.ts";
import type { SignedHead } from "../../services/head-statement.ts";
import { signHeads } from "../../services/heads.ts";
import {
  checkHeadsFile,
  type HeadsFileResult,
  headsFile,
  publishHeads,
  readHeads,
} from "../../services/heads-file.ts";
import { type Session, storeName } from "../../services/session.ts";
import {
  createSigningKeyFor,
  defaultSigningKeyPath,
  noSigningKey,
  type SigningKey,
} from "../../services/signing-key.ts";
import { EXIT, UsageError } from "../exit.ts";
import { type StoreOptions, withSession } from "../store-options.ts";

export interface HeadsOptions {
  /** A shell command given the signed heads on its standard input (or $VIGIE_HEADS_HOOK). */
  headsHook?: string;
}

export const hookOf = (o: HeadsOptions): string | undefined =>
  o.headsHook ?? (process.env.VIGIE_HEADS_HOOK || undefined);

function signerOf(session: Session, o: StoreOptions): SigningKey {
  if (session.signer === undefined || session.signer === null) throw noSigningKey(storeName(o));
  return session.signer;
}

const publicPem = (key: SigningKey): string =>
  key.publicKey.export({ type: "spki", format: "pem" }).toString();

/**
 * Prints the signed head of the tenant (every tenant when `allTenants`), one JSON line each; with
 * `--append`, also appends them to the heads file and hands them to the hook.
 */
export async function runAuditHead(
  o: StoreOptions & HeadsOptions & { json?: boolean; append?: boolean; allTenants: boolean },
): Promise<number> {
  return withSession(o, async (session) => {
    const key = signerOf(session, o);
    const tenants = o.allTenants ? await session.store.tenants() : [session.tenant];
    const heads = await signHeads(session.store, key, tenants, Date.now());
    if (o.json) {
      const shown = { keyId: key.keyId, publicKey: publicPem(key), heads };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    } else for (const h of heads) process.stdout.write(`${JSON.stringify(h)}\n`);
    if (!o.append) return EXIT.ok;
    return (await publish(heads, o)) ? EXIT.ok : EXIT.blocked;
  });
}

/** Prints the public key that verifies the store's heads; `--create` gives a store made before signed heads one. */
export async function runAuditKey(o: StoreOptions & { json?: boolean; create?: boolean }): Promise<number> {
  return withSession(o, async (session) => {
    let key = session.signer ?? null;
    let created = false;
    if (o.create)
      ({ key, created } = await createSigningKeyFor(session.store, defaultSigningKeyPath(), storeName(o)));
    if (key === null) throw noSigningKey(storeName(o));
    if (o.json) {
      process.stdout.write(
        `${JSON.stringify({ keyId: key.keyId, algorithm: "Ed25519", publicKey: publicPem(key) })}\n`,
      );
    } else {
      if (created) process.stderr.write(`vigie: ${storeName(o)} now signs its heads with key ${key.keyId}\n`);
      process.stdout.write(`key ${key.keyId} (Ed25519)\n${publicPem(key)}`);
    }
    return EXIT.ok;
  });
}

/**
 * After an import: the tenant's new head, signed, appended to the heads file and handed to the
 * hook. The import is committed whatever happens here, so a failure is a warning, not an error.
 */
export async function publishImportHead(session: Session, o: StoreOptions & HeadsOptions): Promise<void> {
  if (session.signer === undefined || session.signer === null) {
    process.stderr.write(`vigie: ${noSigningKey(storeName(o)).message}\n`);
    return;
  }
  await publish(await signHeads(session.store, session.signer, [session.tenant], Date.now()), o);
}

/** Publishes; false (the reason on standard error) when the hook failed. */
async function publish(heads: readonly SignedHead[], o: StoreOptions & HeadsOptions): Promise<boolean> {
  const failed = await publishHeads(heads, { file: headsFile(o), hook: hookOf(o) });
  if (failed !== null) process.stderr.write(`vigie: ${failed}\n`);
  return failed === null;
}

/** `vigie audit verify --heads FILE`: the file's signed heads against the log; null without --heads. */
export async function headsFileCheck(
  session: Session,
  o: StoreOptions & { heads?: string },
): Promise<HeadsFileResult | null> {
  if (o.heads === undefined) return null;
  if (!existsSync(o.heads)) throw new UsageError(`--heads ${o.heads}: no such file`);
  return checkHeadsFile(session.store, signerOf(session, o), o.heads);
}

export function printHeadsCheck(r: HeadsFileResult): void {
  if (r.ok) {
    process.stdout.write(`heads: the log extends all ${r.checked} signed head(s) of ${r.file}\n`);
    return;
  }
  for (const p of r.problems) {
    const which = p.tenant === undefined ? "" : ` (tenant ${p.tenant}, size ${p.size}, at ${p.at})`;
    process.stdout.write(`heads: FAILED ${r.file}:${p.line}${which}: ${p.problem}\n`);
  }
}

/** A signed head from `FILE` (one statement) or `FILE:LINE` (a line of a heads file). */
function headArg(which: string, arg: string): SignedHead {
  const m = /^(.*):(\d+)$/.exec(arg);
  const file = m?.[1] ?? arg;
  if (!existsSync(file)) throw new UsageError(`${which} ${file}: no such file`);
  const lines = readHeads(file);
  const picked = m === null ? lines : lines.filter((l) => l.line === Number(m[2]));
  if (picked.length !== 1) {
    throw new UsageError(
      `${which} ${arg}: ${picked.length === 0 ? "no signed head there" : `${picked.length} signed heads: name one as FILE:LINE`}`,
    );
  }
  const [only] = picked;
  if (only === undefined || "error" in only) throw new UsageError(`${which} ${arg}: ${only?.error}`);
  return only.signed;
}

/** `vigie audit consistency OLD NEW`: the proof that the log only grew from OLD to NEW. */
export async function runAuditConsistency(
  args: readonly string[],
  o: StoreOptions & { json?: boolean },
): Promise<number> {
  if (args.length !== 2)
    throw new UsageError("audit consistency: give OLD and NEW, two signed heads (FILE or FILE:LINE)");
  const older = headArg("OLD", args[0] as string);
  const newer = headArg("NEW", args[1] as string);
  return withSession({ ...o, tenant: older.statement.tenant }, async (session) => {
    const r = await proveConsistency(session.store, older, newer, signerOf(session, o).publicKey);
    if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else if (r.ok) {
      process.stdout.write(
        `consistency: the log of ${r.new.size} events (signed ${r.new.at}) extends the one of ${r.old.size} (signed ${r.old.at}), tenant ${r.tenant}; proof: ${r.proof.length} hash(es)\n`,
      );
    } else process.stdout.write(`consistency: FAILED (tenant ${r.tenant}): ${r.problem}\n`);
    return r.ok ? EXIT.ok : EXIT.blocked;
  });
}
