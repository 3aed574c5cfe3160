// Writes media/icon.png (128x128, the extension's Marketplace icon): the runbook glyph of media/runbook.svg
// in white on a red rounded square, rasterised here with anti-aliasing (no ImageMagick needed).
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const S = 4; // svg units (24) → pixels, glyph area 96px centred
const O = 16;
const glyph = [
  [[5, 3], [16, 3], [19, 6], [19, 21], [5, 21], [5, 3]],
  [[8, 9], [10.5, 11], [8, 13]],
  [[12, 13], [16, 13]],
  [[8, 17], [16, 17]],
].map((line) => line.map(([x, y]) => [O + x * S, O + y * S]));
const half = (1.6 * S) / 2;

function segDist(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
function roundRectCoverage(x, y, r) {
  const cx = Math.min(Math.max(x, r), N - r), cy = Math.min(Math.max(y, r), N - r);
  return Math.max(0, Math.min(1, r - Math.hypot(x - cx, y - cy) + 0.5));
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    const px = x + 0.5, py = y + 0.5;
    let d = Infinity;
    for (const line of glyph) for (let i = 1; i < line.length; i++) d = Math.min(d, segDist(px, py, line[i - 1], line[i]));
    const white = Math.max(0, Math.min(1, half - d + 0.5));
    const bg = [0xb3, 0x26, 0x1e];
    const o = y * (N * 4 + 1) + 1 + x * 4;
    for (let c = 0; c < 3; c++) raw[o + c] = Math.round(bg[c] * (1 - white) + 255 * white);
    raw[o + 3] = Math.round(255 * roundRectCoverage(px, py, 22));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
writeFileSync('media/icon.png', Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
]));
console.log('wrote media/icon.png (128x128)');
