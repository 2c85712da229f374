// Where a frame goes in the viewport: the page's aspect ratio, centred, never larger
// than the frame's own pixels (on a 2x screen a 1280-pixel frame is 640 CSS pixels
// wide at most, so every frame pixel lands on one screen pixel).

export interface Size {
  width: number;
  height: number;
}

export function fitFrame(frame: Size, box: Size, devicePixelRatio: number): Size {
  if (frame.width <= 0 || frame.height <= 0 || box.width <= 0 || box.height <= 0) {
    return { width: 0, height: 0 };
  }
  const dpr = devicePixelRatio > 0 ? devicePixelRatio : 1;
  const scale = Math.min(box.width / frame.width, box.height / frame.height, 1 / dpr);
  return {
    width: Math.round(frame.width * scale),
    height: Math.round(frame.height * scale),
  };
}
