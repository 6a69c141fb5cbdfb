/**
 * A one-line progress display (records, rate, ETA when the total is known) for a terminal; on anything else
 * it prints nothing, so piped and scripted runs stay quiet.
 */
import type { Writable } from 'node:stream';

/** How often the line is redrawn, in ms. */
export const PROGRESS_REDRAW_MS = 100;
const BAR_WIDTH = 24;

export class Progress {
  readonly #stream: (Writable & { isTTY?: boolean }) | undefined;
  readonly #label: string;
  readonly #started = Date.now();
  #total: number | undefined;
  #done = 0;
  #lastDraw = 0;

  /** Draws on `stream` only when it is a terminal. */
  constructor(stream: Writable & { isTTY?: boolean }, label: string, total?: number) {
    this.#stream = stream.isTTY === true ? stream : undefined;
    this.#label = label;
    this.#total = total;
  }

  set total(total: number | undefined) {
    this.#total = total;
  }

  /** Counts `n` more records done. */
  tick(n = 1): void {
    this.#done += n;
    const now = Date.now();
    if (this.#stream && now - this.#lastDraw >= PROGRESS_REDRAW_MS) {
      this.#lastDraw = now;
      this.#stream.write(`\r${this.line(now)}\u001b[K`);
    }
  }

  /** Ends the line (a final redraw and a newline). */
  finish(): void {
    if (this.#stream) this.#stream.write(`\r${this.line(Date.now())}\u001b[K\n`);
  }

  /** The progress text at `now`. */
  line(now: number): string {
    const seconds = Math.max(0.001, (now - this.#started) / 1000);
    const rate = this.#done / seconds;
    const parts = [`${this.#label} ${this.#done.toLocaleString('en-US')}${this.#total === undefined ? '' : `/${this.#total.toLocaleString('en-US')}`} records`, `${Math.round(rate).toLocaleString('en-US')}/s`];
    if (this.#total !== undefined && this.#total > 0) {
      const ratio = Math.min(1, this.#done / this.#total);
      const filled = Math.round(ratio * BAR_WIDTH);
      const eta = rate > 0 ? Math.max(0, (this.#total - this.#done) / rate) : undefined;
      parts.unshift(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.floor(ratio * 100)}%`);
      parts.push(`ETA ${eta === undefined ? '?' : clock(eta)}`);
    } else parts.push(`${clock(seconds)} elapsed`);
    return parts.join('  ');
  }
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
