// Paints frames on the canvas, newest first: a frame that arrives while another is
// decoding replaces the waiting one, so nothing queues. Each frame is acked (through
// `onPainted`) once it is on the canvas, which lets the daemon send the next one.
import type { FrameEvent } from "../generated/FrameEvent";
import { fitFrame } from "./fit";

export interface PaintStats {
  fps: number;
  latencyMs: number | null;
}

export class Painter {
  private waiting: FrameEvent | null = null;
  private busy = false;
  private paintTimes: number[] = [];
  private lastLatency: number | null = null;
  private natural = { width: 0, height: 0 };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onPainted: (seq: number) => void,
  ) {
    new ResizeObserver(() => this.layout()).observe(canvas.parentElement ?? canvas);
  }

  push(frame: FrameEvent): void {
    this.waiting = frame;
    if (!this.busy) void this.drain();
  }

  stats(now = performance.now()): PaintStats {
    this.paintTimes = this.paintTimes.filter((t) => now - t < 1000);
    return { fps: this.paintTimes.length, latencyMs: this.lastLatency };
  }

  clear(): void {
    this.waiting = null;
    this.natural = { width: 0, height: 0 };
    this.canvas.getContext("2d")?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.waiting) {
      const frame = this.waiting;
      this.waiting = null;
      const image = new Image();
      image.src = `data:image/jpeg;base64,${frame.jpeg}`;
      try {
        // Decodes off the main thread where the webview can.
        await image.decode();
      } catch {
        // A frame that does not decode is skipped; ack it so the stream goes on.
        this.onPainted(frame.seq);
        continue;
      }
      this.paint(image);
      const captured = frame.metadata.timestamp;
      this.lastLatency = captured ? Math.max(0, Date.now() - captured) : null;
      this.paintTimes.push(performance.now());
      this.onPainted(frame.seq);
    }
    this.busy = false;
  }

  private paint(image: HTMLImageElement): void {
    const { naturalWidth: width, naturalHeight: height } = image;
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
