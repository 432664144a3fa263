// `vigie keyring adopt`: records the keyring as the store's on the operator's word, for a store
// that holds evidence but no point left to check a keyring against (src/services/keyring-check.ts).
import { keyRingFingerprint, shortFingerprint } from "../../normalize/keyring-fingerprint.ts";
import { defaultKeyRingPath } from "../../normalize/keys.ts";
import { adoptKeyRing } from "../../services/keyring-check.ts";
import { openStore, storeName } from "../../services/session.ts";
import { EXIT } from "../exit.ts";
import type { StoreOptions } from "../store-options.ts";

export async function runKeyRingAdopt(o: StoreOptions): Promise<number> {
  const path = defaultKeyRingPath();
  const name = storeName(o);
  const store = await openStore(o);
  try {
    const { ring, adopted } = await adoptKeyRing(store, path, name);
    const fp = shortFingerprint(keyRingFingerprint(ring));
    process.stdout.write(
      adopted
        ? `${name}: keyring ${fp} (${path}) recorded as the keyring of this store\n`
        : `${name}: already keyed with keyring ${fp} (${path}): nothing to do\n`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
