import assert from "node:assert/strict";
import { test } from "node:test";
import { newSecret, signatureOf, signedHeaders } from "./sign.ts";

test("the Standard Webhooks specification's published vector", () => {
  assert.equal(
    signatureOf(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    ),
    "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  );
});

test("headers: the id, the instant in seconds, and a signature that changes with the body", () => {
  const secret = newSecret();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  const h = signedHeaders(secret, "evt_1", 1_614_265_330_999, "{}");
  assert.equal(h["webhook-id"], "evt_1");
  assert.equal(h["webhook-timestamp"], "1614265330");
  assert.notEqual(
    h["webhook-signature"],
    signedHeaders(secret, "evt_1", 1_614_265_330_999, "{ }")["webhook-signature"],
  );
});
