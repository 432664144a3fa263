import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.ts";
import { auditStateContract } from "./audit-contract.ts";
import { bulkRollbackContract, storeContract } from "./contract.ts";

const dir = mkdtempSync(join(tmpdir(), "vigie-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

storeContract("sqlite", async () => new SqliteStore(join(dir, "contract.db")));
bulkRollbackContract("sqlite", async () => new SqliteStore(join(dir, "rollback.db")));
auditStateContract("sqlite", async () => new SqliteStore(join(dir, "audit-state.db")));
