// Dashboard users: a name, a role and a scrypt hash of the password, in a 0600 JSON file beside
// the store (api/paths.ts), managed with `vigie users add|remove|list`. Read again when the file
// changes, so adding a user needs no restart.
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { WatchedJsonFile } from "../services/json-file.ts";
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

export class UserFile {
  private readonly file: WatchedJsonFile<Map<string, User>>;

  constructor(path: string) {
    this.file = new WatchedJsonFile(path, (raw) => {
      const parsed = userFile.safeParse(raw ?? { users: [] });
      if (!parsed.success) throw new UserError(`${path}: not a vigie user file`);
      return new Map(parsed.data.users.map((u) => [u.name, u]));
    });
  }

  get path(): string {
    return this.file.path;
  }

  private get users(): Map<string, User> {
    return this.file.read();
  }

  list(): User[] {
    return [...this.users.values()];
  }

  add(name: string, role: Role, password: string, now = new Date()): User {
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
      throw new UserError(`user name ${JSON.stringify(name)}: 1 to 64 letters, digits, . _ @ or -`);
    }
    if (this.users.has(name)) throw new UserError(`user ${name} exists already`);
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new UserError(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const user: User = { name, role, password: hashPassword(password), createdAt: now.toISOString() };
    this.file.write({ users: [...this.users.values(), user] });
    return user;
  }

  remove(name: string): boolean {
    if (!this.users.has(name)) return false;
    this.file.write({ users: [...this.users.values()].filter((u) => u.name !== name) });
    return true;
  }

  /** The user if the password is theirs, else null (in about the same time either way). */
  async authenticate(name: string, password: string): Promise<User | null> {
    const user = this.users.get(name);
    const ok = await passwordMatches(user?.password ?? DUMMY, password);
    return ok && user !== undefined ? user : null;
  }

  get(name: string): User | undefined {
    return this.users.get(name);
  }
}
