// `vigie users add|remove|list`: who may sign in to the dashboard, with which role
// (src/dashboard/users.ts). The password is read from standard input (one line), so that it is
// neither in the shell's history nor in the process list; on a terminal it is asked without echo.
import { createInterface } from "node:readline";
import { apiFile } from "../../api/paths.ts";
import { ROLES, type Role, UserError, Users } from "../../dashboard/users.ts";
import { recordActivity } from "../../services/activity.ts";
import type { Session } from "../../services/session.ts";
import { EXIT, UsageError } from "../exit.ts";
import { type StoreOptions, withSession } from "../store-options.ts";
import { cliUser } from "../who.ts";

async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = createInterface({ input });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return "";
  }
  process.stderr.write("Password: ");
  input.setRawMode(true);
  let typed = "";
  try {
    for await (const chunk of input) {
      for (const ch of String(chunk)) {
        if (ch === "\r" || ch === "\n") return typed;
        if (ch === "\u0003") throw new UsageError("cancelled");
        typed = ch === "\u007f" ? typed.slice(0, -1) : typed + ch;
      }
    }
    return typed;
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write("\n");
  }
}

const trail = (session: Session, action: "user.created" | "user.removed", name: string) =>
  recordActivity(session, { action, target: name, by: cliUser(), at: Date.now() });

/** The tenant's users, an earlier version's users file read in first. */
async function usersOf(session: Session, opts: StoreOptions): Promise<Users> {
  const users = new Users(session.store, session.tenant);
  await users.importFile(apiFile(opts, "users"));
  return users;
}

// Each change opens the session first: a store refused (its keyring is not there) is refused
// before the password is asked and before anything changes.
export async function runUsersAdd(name: string, opts: StoreOptions & { role: string }): Promise<number> {
  if (!(ROLES as readonly string[]).includes(opts.role)) {
    throw new UsageError(`--role ${opts.role}: expected one of ${ROLES.join(", ")}`);
  }
  return withSession(opts, async (session) => {
    const users = await usersOf(session, opts);
    const password = await readPassword();
    try {
      await users.add(name, opts.role as Role, password);
    } catch (e) {
      if (e instanceof UserError) throw new UsageError(e.message);
      throw e;
    }
    await trail(session, "user.created", name);
    process.stderr.write(
      `vigie: user ${name} (${opts.role}) added to the store (tenant ${session.tenant})\n`,
    );
    return EXIT.ok;
  });
}

export async function runUsersRemove(name: string, opts: StoreOptions): Promise<number> {
  return withSession(opts, async (session) => {
    const users = await usersOf(session, opts);
    if (!(await users.remove(name))) throw new UsageError(`no user ${name} for tenant ${session.tenant}`);
    await trail(session, "user.removed", name);
    process.stderr.write(`vigie: user ${name} removed (signed out of the dashboard at their next request)\n`);
    return EXIT.ok;
  });
}

export async function runUsersList(opts: StoreOptions & { json?: boolean }): Promise<number> {
  return withSession(opts, async (session) => {
    for (const u of await (await usersOf(session, opts)).list()) {
      const { name, role, createdAt } = u;
      process.stdout.write(
        opts.json ? `${JSON.stringify({ name, role, createdAt })}\n` : `${name}\t${role}\t${createdAt}\n`,
      );
    }
    return EXIT.ok;
  });
}
