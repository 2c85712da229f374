import { describe, expect, it } from "vitest";
import { fitFrame } from "./fit";

describe("fitFrame", () => {
  const frame = { width: 1280, height: 720 };

  it("keeps the page's aspect ratio in a box of another shape", () => {
    expect(fitFrame(frame, { width: 640, height: 1000 }, 1), "limited by width").toEqual({ width: 640, height: 360 });
    expect(fitFrame(frame, { width: 2000, height: 360 }, 1), "limited by height").toEqual({ width: 640, height: 360 });
  });

  it("never upscales past the frame's own pixels", () => {
    expect(fitFrame(frame, { width: 3000, height: 3000 }, 1)).toEqual(frame);
    expect(
      fitFrame(frame, { width: 3000, height: 3000 }, 2),
      "on a 2x screen, one frame pixel per screen pixel",
    ).toEqual({ width: 640, height: 360 });
  });

  it("draws nothing into nothing", () => {
    expect(fitFrame(frame, { width: 0, height: 500 }, 1)).toEqual({ width: 0, height: 0 });
    expect(fitFrame({ width: 0, height: 0 }, { width: 500, height: 500 }, 1)).toEqual({ width: 0, height: 0 });
  });
});
