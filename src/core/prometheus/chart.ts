// A small, deterministic SVG line chart of range-query series: one polyline per series (gaps where
// samples are missing), min/max on the y axis, UTC times on the x axis and a legend. Hand-written so the
// extension bundle carries no chart library; the same answer always gives the same bytes (digests).
import { seriesName, type Series } from './query.js';

const W = 760;
const H = 300;
const PAD = { left: 70, right: 16, top: 28, bottom: 36 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const MAX_LEGEND = 8;

export interface ChartInput {
  title: string;
  series: Series[];
  start: number;
  end: number;
  step: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A number short enough for an axis label. */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

function clock(t: number): string {
  return new Date(t * 1000).toISOString().slice(11, 19);
}

export function lineChart(input: ChartInput): string {
  const { series, start, end, step } = input;
  const values = series.flatMap((s) => s.samples.map(([, v]) => v)).filter(Number.isFinite);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (lo === hi) {
    lo -= lo === 0 ? 1 : Math.abs(lo) * 0.1;
    hi += hi === 0 ? 1 : Math.abs(hi) * 0.1;
  }
  const span = Math.max(end - start, 1e-9);
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const x = (t: number): string => (PAD.left + ((t - start) / span) * pw).toFixed(1);
  const y = (v: number): string => (PAD.top + (1 - (v - lo) / (hi - lo)) * ph).toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="16" font-size="12" fill="#222">${esc(input.title)}</text>`,
  ];
  // Axes and grid: min, middle, max.
  for (const v of [lo, (lo + hi) / 2, hi]) {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${(Number(y(v)) + 4).toFixed(1)}" text-anchor="end" fill="#444">${esc(shortNumber(v))}</text>`);
  }
  out.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#888"/>`);
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#888"/>`);
  for (const [t, anchor] of [[start, 'start'], [(start + end) / 2, 'middle'], [end, 'end']] as const) {
    out.push(`<text x="${x(t)}" y="${H - PAD.bottom + 14}" text-anchor="${anchor}" fill="#444">${clock(t)}</text>`);
  }
  out.push(`<text x="${W - PAD.right}" y="${H - 6}" text-anchor="end" fill="#666">UTC, step ${shortNumber(step)}s</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    // Split where a sample is missing (more than 1.5 steps apart) so gaps stay visible.
    let run: string[] = [];
    let prev: number | undefined;
    const flush = (): void => {
      if (run.length === 1) out.push(`<circle cx="${run[0]!.split(',')[0]}" cy="${run[0]!.split(',')[1]}" r="2" fill="${color}"/>`);
      else if (run.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${run.join(' ')}"/>`);
      run = [];
    };
    for (const [t, v] of s.samples) {
      if (!Number.isFinite(v)) {
        flush();
        prev = undefined;
        continue;
      }
      if (prev !== undefined && t - prev > step * 1.5) flush();
      run.push(`${x(t)},${y(v)}`);
      prev = t;
    }
    flush();
  });
  const legend = series.slice(0, MAX_LEGEND).map((s, i) => {
    const name = seriesName(s.labels);
    const label = name.length > 100 ? `${name.slice(0, 99)}…` : name;
    return `<text x="${PAD.left + 8}" y="${PAD.top + 12 + i * 13}" fill="${COLORS[i % COLORS.length]}">${esc(label)}</text>`;
  });
  if (series.length > MAX_LEGEND) legend.push(`<text x="${PAD.left + 8}" y="${PAD.top + 12 + MAX_LEGEND * 13}" fill="#666">… ${series.length - MAX_LEGEND} more series</text>`);
  if (!series.length) legend.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#666">no data</text>`);
  out.push(...legend, '</svg>');
  return out.join('\n') + '\n';
}
