// Turns a `frame` event into a decoded image, fetching the JPEG the way the app sends
// it (see `Transport` in src-tauri/src/args.rs): inside the event (base64), over a
// Tauri Channel (raw bytes, an 8-byte little-endian seq first), or from the `frame:`
// URI scheme. Decoding uses createImageBitmap, off the main thread in WebKit, except
// for the base64 path, which decodes a data: URL image.
import { Channel } from "@tauri-apps/api/core";
import type { FrameEvent } from "../generated/FrameEvent";
import type { Transport } from "../generated/Transport";

/** A decoded frame, ready to draw. */
export interface Decoded {
  image: CanvasImageSource;
  width: number;
  height: number;
  close(): void;
}

/** Fetches and decodes the JPEG of a frame event; null when a newer frame replaced it. */
export type Loader = (frame: FrameEvent) => Promise<Decoded | null>;

/** Where the `frame:` scheme answers: `frame://localhost` on Linux and macOS, `http://frame.localhost` on Windows. */
export function schemeUrl(seq: number, windows = navigator.userAgent.includes("Windows")): string {
  return windows ? `http://frame.localhost/${seq}` : `frame://localhost/${seq}`;
}

/** Splits a channel message into its seq and its JPEG. */
export function splitChannelMessage(buffer: ArrayBuffer): { seq: number; jpeg: Uint8Array } | null {
  if (buffer.byteLength < 8) return null;
  const seq = Number(new DataView(buffer).getBigUint64(0, true));
  return { seq, jpeg: new Uint8Array(buffer, 8) };
}

async function bitmap(blob: Blob): Promise<Decoded> {
  const image = await createImageBitmap(blob);
  return { image, width: image.width, height: image.height, close: () => image.close() };
}

function fromBase64(frame: FrameEvent): Promise<Decoded> {
  const image = new Image();
  image.src = `data:image/jpeg;base64,${frame.jpeg ?? ""}`;
  return image
    .decode()
    .then(() => ({ image, width: image.naturalWidth, height: image.naturalHeight, close: () => undefined }));
}

/**
 * The loader for a transport. `register` hands the app a Channel (for `channel`); it is
 * called once here.
 */
export function loaderFor(
  transport: Transport,
  register: (channel: Channel<ArrayBuffer>) => Promise<void>,
): Loader {
  switch (transport) {
    case "event":
      return fromBase64;
    case "scheme":
      return async (frame) => {
        const response = await fetch(schemeUrl(frame.seq), { cache: "no-store" });
        if (!response.ok) throw new Error(`frame ${frame.seq}: HTTP ${response.status}`);
        return bitmap(await response.blob());
      };
    case "channel": {
      // The bytes and the event travel separately; whichever comes second completes
      // the pair. Only the newest of each is kept.
      let bytes: { seq: number; jpeg: Uint8Array } | null = null;
      let waiting: { seq: number; resolve: (jpeg: Uint8Array | null) => void } | null = null;
      const channel = new Channel<ArrayBuffer>();
      channel.onmessage = (buffer) => {
        const message = splitChannelMessage(buffer);
        if (!message) return;
        if (waiting && message.seq >= waiting.seq) {
          waiting.resolve(message.jpeg);
          waiting = null;
        } else {
          bytes = message;
        }
      };
      void register(channel);
      return async (frame) => {
        let jpeg: Uint8Array | null;
        if (bytes && bytes.seq >= frame.seq) {
          jpeg = bytes.jpeg;
          bytes = null;
        } else {
          waiting?.resolve(null);
          jpeg = await new Promise<Uint8Array | null>((resolve) => {
            waiting = { seq: frame.seq, resolve };
          });
        }
        return jpeg ? bitmap(new Blob([jpeg as BlobPart], { type: "image/jpeg" })) : null;
      };
    }
  }
}
