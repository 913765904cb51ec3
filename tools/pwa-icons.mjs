#!/usr/bin/env node
// Renders the PWA icons (public/icons/*.png) from the same shield-and-check mark as the favicon
// (app/layout.tsx), with node only: a tiny rasterizer (distance to the strokes, 4x4 supersampling)
// and a PNG encoder on node:zlib. Run: node tools/pwa-icons.mjs
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const BG = [0x43, 0x38, 0xca];
const FG = [0xff, 0xff, 0xff];

function cubic(p0, p1, p2, p3, n = 24) {
  const out = [];
  for (let i = 1; i <= n; i++) {
    const t = i / n, u = 1 - t;
    out.push([u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0], u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1]]);
  }
  return out;
}
// The favicon's paths in its 32x32 viewBox.
const shield = [[16, 5.5], [8.5, 8.8], [8.5, 13.9], ...cubic([8.5, 13.9], [8.5, 18.2], [11.6, 22.1], [16, 23.3]), ...cubic([16, 23.3], [20.4, 22.1], [23.5, 18.2], [23.5, 13.9]), [23.5, 8.8], [16, 5.5]];
const check = [[12.8, 14.6], [15.1, 16.9], [19.3, 12.2]];
const STROKE = 0.9;

function segDist(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
const onPath = (x, y, pts) => pts.some((p, i) => i > 0 && segDist(x, y, pts[i - 1], p) <= STROKE);

function inRoundRect(x, y, size, r) {
  const cx = Math.max(r, Math.min(size - r, x)), cy = Math.max(r, Math.min(size - r, y));
  return Math.hypot(x - cx, y - cy) <= r;
}

/** maskable: full-bleed background, mark scaled into the 80% safe zone. */
function render(size, maskable) {
  const px = Buffer.alloc(size * size * 4);
  const S = 4;
  const scale = maskable ? 0.62 : 1; // of the 32-unit viewBox
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0, fg = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const ux = ((x + (sx + 0.5) / S) / size) * 32, uy = ((y + (sy + 0.5) / S) / size) * 32;
          const inside = maskable || inRoundRect(ux, uy, 32, 8);
          if (!inside) continue;
          bg++;
          const mx = (ux - 16) / scale + 16, my = (uy - 14.4) / scale + 14.4;
          if (onPath(mx, my, shield) || onPath(mx, my, check)) fg++;
        }
      }
      const a = bg / (S * S), f = bg ? fg / bg : 0;
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) px[i + c] = Math.round(BG[c] * (1 - f) + FG[c] * f);
      px[i + 3] = Math.round(a * 255);
    }
  }
  return png(size, px);
}

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

const dir = new URL("../public/icons/", import.meta.url);
for (const [name, size, maskable] of [["icon-192.png", 192, false], ["icon-512.png", 512, false], ["maskable-192.png", 192, true], ["maskable-512.png", 512, true], ["apple-touch-icon.png", 180, true], ["badge-96.png", 96, false]]) {
  writeFileSync(new URL(name, dir), render(size, maskable));
  console.log(`public/icons/${name}`);
}
