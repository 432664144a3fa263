// A progress line on standard error, only when it is a terminal: rows, rate, percentage and ETA,
// redrawn at most 4 times a second (per-row updates would cost more than the work).
export interface Progress {
  update(done: number, total: number, rows: number): void;
  finish(): void;
}

const SILENT: Progress = { update() {}, finish() {} };

export function progressLine(label: string): Progress {
  if (!process.stderr.isTTY) return SILENT;
  const started = Date.now();
  let last = 0;
  return {
    update(done, total, rows) {
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      const seconds = (now - started) / 1000;
      const rate = rows / Math.max(seconds, 0.001);
      const fraction = total > 0 ? done / total : 0;
      const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : 0;
      const width = 24;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString("en")} rows  ${Math.round(rate).toLocaleString("en")} rows/s  ETA ${Math.ceil(eta)} s `,
      );
    },
    finish() {
      if (last !== 0) process.stderr.write("\n");
    },
  };
}
