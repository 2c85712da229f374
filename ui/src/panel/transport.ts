// Turns a new frame into a decoded image, fetching the JPEG the way the app sends it
// (see `Transport` in src-tauri/src/args.rs): from the `frame:` URI scheme (signalled by
// `frame-ready`, which carries nothing: the frame's metadata comes back when the window
// says it drew it), inside the `frame` event (base64), or over a Tauri Channel (raw
// bytes, an 8-byte little-endian seq first).
//
// Every path decodes into one reused <img> element. WebKitGTK's createImageBitmap keeps
// memory for each Blob it decodes even after close() (measured: about 12 MB a minute at
// 25 fps, docs/ARCHITECTURE.md), and a new Image per frame holds every decoded frame
// until the garbage collector runs (hundreds of MB). One element holds one frame: its
// next src lets the previous image go.
import { Channel } from "@tauri-apps/api/core";
import type { FrameEvent } from "../generated/FrameEvent";
import type { Transport } from "../generated/Transport";

/** A decoded frame, ready to draw until `close`. */
export interface Decoded {
  image: CanvasImageSource;
  width: number;
  height: number;
  close(): void;
}

/**
 * Fetches and decodes the JPEG of a frame event (null: the newest frame at the `frame:`
 * scheme); null when a newer frame replaced it.
 */
export type Loader = (frame: FrameEvent | null) => Promise<Decoded | null>;

/** What the loader needs of an image element (a real HTMLImageElement in the window). */
export type FrameImage = Pick<HTMLImageElement, "src" | "crossOrigin" | "decode" | "naturalWidth" | "naturalHeight"> &
  CanvasImageSource;

/**
 * Decodes `src` into `image`, the one element every frame goes through. `release` runs
 * once the frame has been drawn (for a blob: URL, revoking it).
 */
async function decodeInto(image: FrameImage, src: string, release = () => {}): Promise<Decoded> {
  image.src = src;
  try {
    await image.decode();
  } catch (error) {
    release();
    throw error;
  }
  return { image, width: image.naturalWidth, height: image.naturalHeight, close: release };
}

/**
 * Where the `frame:` scheme answers (`frame://localhost` on Linux and macOS,
 * `http://frame.localhost` on Windows), at one of two paths taken in turn: a new path
 * makes the image load again, and WebKit keeps a little memory for every image URL it
 * has seen, so there are two, not one per frame.
 */
export function schemeUrl(turn: number, windows = navigator.userAgent.includes("Windows")): string {
  const path = turn % 2 === 0 ? "a" : "b";
  return windows ? `http://frame.localhost/${path}` : `frame://localhost/${path}`;
}

/** Splits a channel message into its seq and its JPEG. */
export function splitChannelMessage(buffer: ArrayBuffer): { seq: number; jpeg: Uint8Array } | null {
  if (buffer.byteLength < 8) return null;
  const seq = Number(new DataView(buffer).getBigUint64(0, true));
  return { seq, jpeg: new Uint8Array(buffer, 8) };
}

/**
 * The loader for a transport. `register` hands the app a Channel (for `channel`); it is
 * called once here. `image` is the element frames decode into.
 */
export function loaderFor(
  transport: Transport,
  register: (channel: Channel<ArrayBuffer>) => Promise<void>,
  image: FrameImage = new Image(),
): Loader {
  // The scheme answers with `Access-Control-Allow-Origin: *`; loading it as CORS keeps
  // the canvas it is drawn on readable.
  image.crossOrigin = "anonymous";
  switch (transport) {
    case "event":
      return async (frame) => (frame ? decodeInto(image, `data:image/jpeg;base64,${frame.jpeg ?? ""}`) : null);
    case "scheme": {
      // The element loads the newest frame straight from the scheme: no fetch, no Blob.
      let turn = 0;
      return () => decodeInto(image, schemeUrl(turn++));
    }
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
        if (!frame) return null;
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
        if (!jpeg) return null;
        const url = URL.createObjectURL(new Blob([jpeg as BlobPart], { type: "image/jpeg" }));
        return decodeInto(image, url, () => URL.revokeObjectURL(url));
      };
    }
  }
}
