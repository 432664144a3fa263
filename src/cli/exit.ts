// Exit statuses scripts can rely on (README "Exit status").
export const EXIT = { ok: 0, blocked: 1, invalid: 2 } as const;

/** A mistake in how vigie was called: printed as one line, exit 2. */
export class UsageError extends Error {}
