// A redraw that repeats only while there is something to redraw: the readout (fps,
// latency) while frames are painted, a reconnect countdown while it counts. It is started
// by what makes it needed (a painted frame, a reconnecting state) and stops by itself once
// its step says nothing is left, so a window on a still page or with nothing attached runs
// no timer at all.
//
// Usage: `const tick = new Ticker(500, () => redraw())`, where `redraw` returns whether
// to go on; call `tick.start()` as often as you like: at most one timer is ever pending.

export class Ticker {
  private timer: number | null = null;

  constructor(
    private readonly everyMs: number,
    private readonly step: () => boolean,
  ) {}

  /** Runs the step `everyMs` from now, then again for as long as it returns true. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = window.setTimeout(() => {
      this.timer = null;
      if (this.step()) this.start();
    }, this.everyMs);
  }

  /** Whether a step is due. */
  get running(): boolean {
    return this.timer !== null;
  }
}
