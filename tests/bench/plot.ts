// The benchmark's plot: frame rate and latency of each viewer across frame sizes, as an
// SVG written next to docs/BENCHMARKS.md. Two panels share the x axis (frame size, by
// pixel count); each viewer is one colour, latency p50 solid and p99 dashed.

export interface Series {
  name: string;
  colour: string;
  /** One point per frame size, in the order of `sizes`; NaN where nothing was measured. */
  fps: number[];
  p50: number[];
  p99: number[];
}

const W = 920;
const H = 380;
const PANEL = { width: 380, height: 250, top: 60 };
const LEFTS = [70, 530];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A round step for about five ticks up to `max`. */
function step(max: number): number {
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
}

export function plot(title: string, sizes: Array<[number, number]>, series: Series[]): string {
  const pixels = sizes.map(([w, h]) => w * h);
  const xMax = Math.max(...pixels) * 1.05;
  const x = (left: number, px: number) => left + (px / xMax) * PANEL.width;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  const panels: Array<{ label: string; values: (s: Series) => Array<[number[], string]> }> = [
    { label: "frames shown per second", values: (s) => [[s.fps, ""]] },
    { label: "latency, ms (p50 solid, p99 dashed)", values: (s) => [[s.p50, ""], [s.p99, "6 4"]] },
  ];
  panels.forEach((panel, i) => {
    const left = LEFTS[i];
    const all = series.flatMap((s) => panel.values(s).flatMap(([v]) => v)).filter(Number.isFinite);
    const yStep = step(Math.max(1, ...all) * 1.1);
    const yMax = Math.ceil((Math.max(1, ...all) * 1.1) / yStep) * yStep;
    const y = (v: number) => PANEL.top + PANEL.height - (v / yMax) * PANEL.height;
    out.push(`<text x="${left + PANEL.width / 2}" y="${PANEL.top - 12}" text-anchor="middle">${esc(panel.label)}</text>`);
    for (let v = 0; v <= yMax + 1e-9; v += yStep) {
      out.push(
        `<line x1="${left}" x2="${left + PANEL.width}" y1="${y(v)}" y2="${y(v)}" stroke="#e4e4e4"/>`,
        `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${+v.toFixed(1)}</text>`,
      );
    }
    sizes.forEach(([w, h], k) => {
      const px = x(left, pixels[k]);
      out.push(
        `<line x1="${px}" x2="${px}" y1="${PANEL.top + PANEL.height}" y2="${PANEL.top + PANEL.height + 4}" stroke="#555"/>`,
        `<text x="${px}" y="${PANEL.top + PANEL.height + 18}" text-anchor="middle" fill="#555" font-size="10">${w}x${h}</text>`,
      );
    });
    out.push(
      `<rect x="${left}" y="${PANEL.top}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#999"/>`,
    );
    for (const s of series) {
      for (const [values, dash] of panel.values(s)) {
        const points = values
          .map((v, k) => (Number.isFinite(v) ? `${x(left, pixels[k]).toFixed(1)},${y(v).toFixed(1)}` : null))
          .filter((p): p is string => p !== null);
        if (points.length === 0) continue;
        out.push(
          `<polyline points="${points.join(" ")}" fill="none" stroke="${s.colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
          ...points.map((p) => {
            const [cx, cy] = p.split(",");
            return `<circle cx="${cx}" cy="${cy}" r="3" fill="${s.colour}"/>`;
          }),
        );
      }
    }
  });
  // The legend, under the panels.
  series.forEach((s, i) => {
    const lx = 70 + i * 240;
    const ly = H - 22;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="3"/>`,
      `<text x="${lx + 30}" y="${ly + 4}">${esc(s.name)}</text>`,
    );
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
