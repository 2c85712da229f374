// Paints frames on the canvas, newest first: a frame that arrives while another is
// decoding replaces the waiting one, so nothing queues. Each frame is acked once it is on
// the canvas, which lets the daemon send the next one: a frame event's through
// `onPainted(seq)`; the `frame:` scheme's newest frame (pushed as null) through
// `onShown()`, which answers which frame that was.
import type { FrameEvent } from "../generated/FrameEvent";
import { fitFrame } from "./fit";
import type { FrameGeometry } from "./input";
import type { Decoded, Loader } from "./transport";

export interface PaintStats {
  fps: number;
  latencyMs: number | null;
}

export class Painter {
  /** The frame to paint next: an event's, or (`frame: null`) the scheme's newest. */
  private waiting: { frame: FrameEvent | null } | null = null;
  private busy = false;
  private paintTimes: number[] = [];
  private lastLatency: number | null = null;
  private natural = { width: 0, height: 0 };
  private deviceWidth = 0;

  private panelSize = { width: 0, height: 0 };
  private paintListeners: Array<() => void> = [];

  /**
   * `onPanelSize` hears the panel's size in device pixels whenever it changes: the
   * largest frame worth sending, which a DevTools browser then sends.
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly load: Loader,
    private readonly onPainted: (seq: number) => void,
    private readonly onPanelSize: (size: { width: number; height: number }) => void = () => {},
    private readonly onShown: () => Promise<FrameEvent | null> = async () => null,
  ) {
    new ResizeObserver(() => {
      this.layout();
      this.reportPanelSize();
    }).observe(canvas.parentElement ?? canvas);
  }

  private reportPanelSize(): void {
    const box = this.canvas.parentElement;
    if (!box) return;
    const dpr = window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
    const size = { width: Math.round(box.clientWidth * dpr), height: Math.round(box.clientHeight * dpr) };
    if (size.width <= 0 || size.height <= 0) return;
    if (size.width === this.panelSize.width && size.height === this.panelSize.height) return;
    this.panelSize = size;
    this.onPanelSize(size);
  }

  /** Paints `frame`, or with null the newest frame the `frame:` scheme holds. */
  push(frame: FrameEvent | null): void {
    this.waiting = { frame };
    if (!this.busy) void this.drain();
  }

  /** Calls `listener` after every frame painted on the canvas. */
  onPaint(listener: () => void): void {
    this.paintListeners.push(listener);
  }

  stats(now = performance.now()): PaintStats {
    this.paintTimes = this.paintTimes.filter((t) => now - t < 1000);
    return { fps: this.paintTimes.length, latencyMs: this.lastLatency };
  }

  /** The frame on the canvas, for mapping input onto the page; null before the first. */
  geometry(): FrameGeometry | null {
    if (this.natural.width === 0) return null;
    return { imageWidth: this.natural.width, imageHeight: this.natural.height, deviceWidth: this.deviceWidth };
  }

  clear(): void {
    this.waiting = null;
    this.natural = { width: 0, height: 0 };
    this.deviceWidth = 0;
    // An empty canvas until the next frame: the panel shows the canvas only once it holds one.
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.canvas.style.removeProperty("width");
    this.canvas.style.removeProperty("height");
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.waiting) {
      const { frame } = this.waiting;
      this.waiting = null;
      let image: Decoded | null;
      try {
        image = await this.load(frame);
      } catch {
        // A frame that does not load or decode is skipped; ack it so the stream goes on.
        if (frame) this.onPainted(frame.seq);
        else void this.onShown();
        continue;
      }
      // A newer frame took its place before its bytes came; that one will be acked.
      if (!image) continue;
      this.paint(image);
      image.close();
      this.paintTimes.push(performance.now());
      for (const listener of this.paintListeners) listener();
      if (frame) {
        this.painted(frame);
        this.onPainted(frame.seq);
      } else {
        void this.onShown().then((shown) => {
          if (shown) this.painted(shown);
        });
      }
    }
    this.busy = false;
  }

  /** What a painted frame says about the page: its width, and how late it came. */
  private painted(frame: FrameEvent): void {
    this.deviceWidth = frame.metadata.deviceWidth;
    const captured = frame.metadata.timestamp;
    this.lastLatency = captured ? Math.max(0, Date.now() - captured) : null;
  }

  private paint({ image, width, height }: Decoded): void {
    if (width !== this.natural.width || height !== this.natural.height) {
      this.natural = { width, height };
      this.canvas.width = width;
      this.canvas.height = height;
      this.layout();
    }
    this.canvas.getContext("2d")?.drawImage(image, 0, 0);
  }

  private layout(): void {
    const box = this.canvas.parentElement;
    if (!box || this.natural.width === 0) return;
    const size = fitFrame(this.natural, { width: box.clientWidth, height: box.clientHeight }, window.devicePixelRatio);
    this.canvas.style.width = `${size.width}px`;
    this.canvas.style.height = `${size.height}px`;
  }
}
