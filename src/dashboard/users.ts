// Dashboard users: a name, a role and a scrypt hash of the password, kept in the store (schema 15,
// each tenant its own), managed with `vigie users add|remove|list`. Every request reads its user
// again, so a user added, removed or changed through any process counts at once, on every server
// process of the store.
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { readJsonFile } from "../services/json-file.ts";
import type { Store } from "../store/store.ts";
import { PasswordHasher } from "./password-hasher.ts";

/** viewer: reads (people, law, audit, reports); operator: also screens lists and exports; admin: also erases. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

// OWASP's minimum for scrypt: N=2^17, r=8, p=1 (128 MiB per hash) is its first choice; 2^15 keeps
// a sign-in under 100 ms on this 2-core machine with 32 MiB. The parameters are stored with each
// hash, so they can be raised later without breaking older hashes.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;

const userRecord = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/),
  role: z.enum(ROLES),
  /** `scrypt$N$r$p$salt$hash`, base64url. */
  password: z.string(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userRecord>;
const userFile = z.strictObject({ users: z.array(userRecord) });

export const MIN_PASSWORD_LENGTH = 12;

export class UserError extends Error {}

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEY_LENGTH, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

/** Off the event loop, behind it (password-hasher.ts): a sign-in must not stall the server. */
const hasher = new PasswordHasher();

async function passwordMatches(stored: string, password: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || key === undefined) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await hasher.scrypt(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash to compare against when the name is unknown, so that a wrong name takes as long as a wrong password. */
const DUMMY = hashPassword(randomBytes(16).toString("hex"));

/** A user as the store holds it; a record that is not one fails loudly rather than sign anyone in. */
function userOf(record: unknown): User {
  const parsed = userRecord.safeParse(JSON.parse(String(record)));
  if (!parsed.success) throw new UserError("dashboard_users: a record that is not a vigie user");
  return parsed.data;
}

export class Users {
  private readonly store: Store;
  private readonly tenant: string;

  constructor(store: Store, tenant: string) {
    this.store = store;
    this.tenant = tenant;
  }

  /**
   * Reads an earlier version's users file (`<store>.users.json`) into the store: its users sign in
   * as before; a user already there stays as they are. The file is left as it was.
   */
  async importFile(path: string): Promise<void> {
    const raw = readJsonFile(path);
    if (raw === undefined) return;
    const parsed = userFile.safeParse(raw);
    if (!parsed.success) throw new UserError(`${path}: not a vigie user file`);
    for (const u of parsed.data.users) await this.insert(u);
  }

  async list(): Promise<User[]> {
    return (await this.store.shared("usersAll", [this.tenant])).map((r) => userOf(r.record));
  }

  async add(name: string, role: Role, password: string, now = new Date()): Promise<User> {
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
      throw new UserError(`user name ${JSON.stringify(name)}: 1 to 64 letters, digits, . _ @ or -`);
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new UserError(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const user: User = { name, role, password: hashPassword(password), createdAt: now.toISOString() };
    if (!(await this.insert(user))) throw new UserError(`user ${name} exists already`);
    return user;
  }

  async remove(name: string): Promise<boolean> {
    return (await this.store.shared("userRemove", [this.tenant, name])).length > 0;
  }

  /** The user if the password is theirs, else null (in about the same time either way). */
  async authenticate(name: string, password: string): Promise<User | null> {
    const user = await this.get(name);
    const ok = await passwordMatches(user?.password ?? DUMMY, password);
    return ok && user !== undefined ? user : null;
  }

  async get(name: string): Promise<User | undefined> {
    const [row] = await this.store.shared("userGet", [this.tenant, name]);
    return row === undefined ? undefined : userOf(row.record);
  }

  private async insert(u: User): Promise<boolean> {
    const added = await this.store.shared("userAdd", [this.tenant, u.name, u.createdAt, JSON.stringify(u)]);
    return added.length > 0;
  }
}
