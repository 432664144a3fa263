// Where confirmation messages (double opt-in links and SMS codes) go: a pluggable outbox. Two
// transports: a file (one JSON line per message, mode 0600 — it holds addresses and codes) that a
// mailer or SMS gateway drains, and a webhook (POST of the message as JSON).
import { appendFileSync, chmodSync } from "node:fs";
import { dirname } from "node:path";
import { makePrivateDir } from "../io/private-files.ts";

export interface OutboxMessage {
  readonly to: string;
  readonly channel: "email" | "sms";
  readonly subject?: string;
  readonly text: string;
}

export interface Outbox {
  send(message: OutboxMessage): Promise<void>;
}

/** Appends `{ at, …message }` as one line to `path` (mode 0600, even if it existed before). */
export class FileOutbox implements Outbox {
  readonly path: string;

  private checkedMode = false;

  constructor(path: string) {
    this.path = path;
  }

  async send(message: OutboxMessage): Promise<void> {
    makePrivateDir(dirname(this.path));
    const line = `${JSON.stringify({ at: new Date().toISOString(), ...message })}\n`;
    appendFileSync(this.path, line, { mode: 0o600 });
    if (!this.checkedMode) {
      chmodSync(this.path, 0o600);
      this.checkedMode = true;
    }
  }
}

/** POSTs the message as JSON; a non-2xx answer or no answer within 10 s is an error. */
export class WebhookOutbox implements Outbox {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async send(message: OutboxMessage): Promise<void> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`outbox webhook answered ${res.status}`);
  }
}
