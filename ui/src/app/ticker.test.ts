import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Ticker } from "./ticker";

describe("the ticker", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs no timer until something starts it", () => {
    const step = vi.fn(() => true);
    new Ticker(500, step);
    vi.advanceTimersByTime(5000);
    expect(step, "an idle window must not wake up on its own").not.toHaveBeenCalled();
    expect(vi.getTimerCount(), "no timer may be pending before the first start").toBe(0);
  });

  it("repeats while its step asks to, then leaves no timer behind", () => {
    let left = 3;
    const step = vi.fn(() => --left > 0);
    const tick = new Ticker(500, step);
    tick.start();
    vi.advanceTimersByTime(499);
    expect(step, "the first step comes one period after the start").not.toHaveBeenCalled();
    vi.advanceTimersByTime(5000);
    expect(step, "the step runs until it says there is nothing left to redraw").toHaveBeenCalledTimes(3);
    expect(tick.running, "a ticker with nothing to redraw is stopped").toBe(false);
    expect(vi.getTimerCount(), "a stopped ticker leaves no timer").toBe(0);
  });

  it("keeps one timer however often it is started", () => {
    const step = vi.fn(() => false);
    const tick = new Ticker(500, step);
    for (let i = 0; i < 60; i++) tick.start();
    expect(vi.getTimerCount(), "a start per frame must not become a timer per frame").toBe(1);
    vi.advanceTimersByTime(500);
    expect(step).toHaveBeenCalledTimes(1);
  });
});
