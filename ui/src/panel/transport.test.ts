import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FrameEvent } from "../generated/FrameEvent";
import { type FrameImage, loaderFor, splitChannelMessage } from "./transport";

const frame = (seq: number, jpeg: string | null = null): FrameEvent => ({
  seq,
  jpeg,
  receivedAtMs: 0,
  metadata: { deviceWidth: 1280, deviceHeight: 720, pageScaleFactor: 1, offsetTop: 0, scrollOffsetX: 0, scrollOffsetY: 0, timestamp: null },
});

/** An image element that records what it was asked to load, and decodes instantly. */
function fakeImage(fail = false) {
  const sources: string[] = [];
  const image = {
    crossOrigin: null as string | null,
    naturalWidth: 0,
    naturalHeight: 0,
    get src() {
      return sources[sources.length - 1] ?? "";
    },
    set src(value: string) {
      sources.push(value);
    },
    decode: () => {
      if (fail) return Promise.reject(new Error("EncodingError"));
      image.naturalWidth = 1280;
      image.naturalHeight = 720;
      return Promise.resolve();
    },
  };
  return { image: image as unknown as FrameImage, sources };
}

const noChannel = () => Promise.resolve();

describe("decoding frames", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    clearMocks();
  });

  it("loads each frame from the scheme into the same image element, without fetch", async () => {
    const fetch = vi.spyOn(globalThis, "fetch");
    const { image, sources } = fakeImage();
    const load = loaderFor("scheme", noChannel, image);
    const first = await load(null);
    const second = await load(null);
    const third = await load(null);
    expect(first?.image, "every frame goes through one element, so only one decoded frame is held").toBe(image);
    expect(second?.image).toBe(image);
    expect(sources, "two URLs in turn: a new one reloads, and WebKit keeps memory per image URL").toEqual([
      "frame://localhost/a",
      "frame://localhost/b",
      "frame://localhost/a",
    ]);
    expect(third?.image).toBe(image);
    expect(fetch, "the element loads the frame itself; a fetched Blob is what leaked in WebKitGTK").not.toHaveBeenCalled();
    expect(image.crossOrigin, "a CORS load keeps the canvas readable").toBe("anonymous");
    expect(second?.width).toBe(1280);
  });

  it("decodes a base64 frame as a data: URL in the same element", async () => {
    const { image, sources } = fakeImage();
    const decoded = await loaderFor("event", noChannel, image)(frame(3, "AAAA"));
    expect(decoded?.image).toBe(image);
    expect(sources).toEqual(["data:image/jpeg;base64,AAAA"]);
  });

  it("releases a channel frame's blob: URL once it has been drawn, and when it fails to decode", async () => {
    mockIPC(() => undefined);
    const created: string[] = [];
    const revoked: string[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation(() => {
      created.push(`blob:${created.length}`);
      return created[created.length - 1];
    });
    vi.spyOn(URL, "revokeObjectURL").mockImplementation((url) => void revoked.push(url));
    let channel: { onmessage: (b: ArrayBuffer) => void } | null = null;
    const register = (c: unknown) => {
      channel = c as { onmessage: (b: ArrayBuffer) => void };
      return Promise.resolve();
    };
    const message = (seq: number) => {
      const buffer = new ArrayBuffer(12);
      new DataView(buffer).setBigUint64(0, BigInt(seq), true);
      return buffer;
    };
    const { image } = fakeImage();
    const load = loaderFor("channel", register, image);
    channel!.onmessage(message(5));
    const decoded = await load(frame(5));
    expect(decoded?.image).toBe(image);
    expect(revoked, "the URL lives until the frame is drawn").toEqual([]);
    decoded?.close();
    expect(revoked).toEqual(["blob:0"]);

    const broken = fakeImage(true);
    const failing = loaderFor("channel", register, broken.image);
    channel!.onmessage(message(6));
    await expect(failing(frame(6))).rejects.toThrow();
    expect(revoked, "a frame that does not decode gives its URL back too").toEqual(["blob:0", "blob:1"]);
  });

  it("splits a channel message into its seq and JPEG, and refuses a short one", () => {
    const buffer = new ArrayBuffer(10);
    new DataView(buffer).setBigUint64(0, 42n, true);
    expect(splitChannelMessage(buffer)?.seq).toBe(42);
    expect(splitChannelMessage(buffer)?.jpeg.byteLength).toBe(2);
    expect(splitChannelMessage(new ArrayBuffer(7))).toBeNull();
  });
});
