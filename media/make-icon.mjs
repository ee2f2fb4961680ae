// Draws media/icon.png (128x128): a chat bubble with a plug on a blue rounded square.
// Dependency-free (node:zlib) so anyone can regenerate it: node media/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4; // supersampling per axis, for smooth edges

function insideRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function insideTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const TOP = [31, 111, 235];
const BOTTOM = [18, 50, 74];
const WHITE = [255, 255, 255];

/** Colour (RGBA) of one sample point in a 128-unit coordinate space. */
function sample(x, y) {
  if (!insideRoundRect(x, y, 0, 0, 128, 128, 24)) return [0, 0, 0, 0];
  const background = mix(TOP, BOTTOM, y / 128);
  const bubble =
    insideRoundRect(x, y, 24, 28, 104, 84, 14) ||
    insideTriangle(x, y, [40, 80], [40, 104], [62, 82]);
  if (!bubble) return [...background, 255];
  // The plug: two prongs over a body, in the background colours.
  if (insideRoundRect(x, y, 48, 42, 55, 56, 2) || insideRoundRect(x, y, 73, 42, 80, 56, 2)) {
    return [...TOP, 255];
  }
  if (insideRoundRect(x, y, 42, 52, 86, 70, 6)) return [...BOTTOM, 255];
  return [...WHITE, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const [r, g, b, a] = sample(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        acc[0] += r * a;
        acc[1] += g * a;
        acc[2] += b * a;
        acc[3] += a;
      }
    }
    const offset = py * (SIZE * 4 + 1) + 1 + px * 4;
    const alpha = acc[3] / (SAMPLES * SAMPLES);
    for (let c = 0; c < 3; c++) raw[offset + c] = acc[3] ? Math.round(acc[c] / acc[3]) : 0;
    raw[offset + 3] = Math.round(alpha);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(join(dirname(fileURLToPath(import.meta.url)), 'icon.png'), png);
