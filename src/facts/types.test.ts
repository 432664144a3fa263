// Controller keys: the names of one controller, however written, match.
import assert from "node:assert/strict";
import { test } from "node:test";
import { controllerKeyOf } from "./types.ts";

test("a controller's names differing in spaces, capitals or the encoding of their characters have one key", () => {
  const nfc = "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale";
  const spellings = [
    nfc,
    nfc.normalize("NFD"), // as macOS writes files
    "  SOCI\u00c9T\u00c9   g\u00e9n\u00e9rale ",
    "Soci\u00e9t\u00e9\u00a0G\u00e9n\u00e9rale", // a no-break space
    "Soci\u200b\u00e9t\u00e9 G\u00e9n\u00e9rale\u200e", // a zero-width space, a direction mark
    "\uff33oci\u00e9t\u00e9 G\u00e9n\u00e9rale", // a full-width letter
  ];
  for (const name of spellings)
    assert.equal(controllerKeyOf(name), "soci\u00e9t\u00e9 g\u00e9n\u00e9rale", JSON.stringify(name));
  assert.equal(controllerKeyOf("L\u2019Agence"), controllerKeyOf("L'agence"));
  assert.equal(controllerKeyOf("Agence Dupont"), "agence dupont");
  assert.notEqual(controllerKeyOf("Agence Dupont"), controllerKeyOf("Agence Martin"));
});
