// The crash test's hook is inert unless asked for: the import's writer is the store's own.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BulkWriter } from "../../store/store.ts";
import { PAUSE_VARIABLE, pausable } from "./test-pause.ts";

test("unset, or not a batch number, the writer is returned as it is", () => {
  const writer = {} as BulkWriter;
  const saved = process.env[PAUSE_VARIABLE];
  try {
    delete process.env[PAUSE_VARIABLE];
    assert.equal(pausable(writer), writer);
    for (const value of ["", "0", "-1", "1.5", "yes"]) {
      process.env[PAUSE_VARIABLE] = value;
      assert.equal(pausable(writer), writer, JSON.stringify(value));
    }
    process.env[PAUSE_VARIABLE] = "2";
    assert.notEqual(pausable(writer), writer);
  } finally {
    if (saved === undefined) delete process.env[PAUSE_VARIABLE];
    else process.env[PAUSE_VARIABLE] = saved;
  }
});
