/**
 * C2SP tlog-tiles addressing (https://c2sp.org/tlog-tiles): tiles of 256 hashes per level, the
 * x001/x234/067 index encoding, partial tiles (.p/W) and entry bundles. Pure.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

export type TileRef = { level: number | "entries"; index: number; width?: number };

/** 1234067 → x001/x234/067 */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError("tile index must be a non-negative integer");
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, "0"));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

export function tilePath(t: TileRef): string {
  const w = t.width !== undefined && t.width < TILE_WIDTH ? `.p/${t.width}` : "";
  return `tile/${t.level}/${encodeTileIndex(t.index)}${w}`;
}

/**
 * Parses the part after `tile/`: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`; null when it is not a
 * canonical tile path (leading zero groups, widths outside 1..255, levels above 63).
 */
export function parseTilePath(path: string): TileRef | null {
  const segs = path.split("/");
  if (segs.length < 2) return null;
  const head = segs[0]!;
  let level: number | "entries";
  if (head === "entries") level = "entries";
  else if (/^(0|[1-9][0-9]?)$/.test(head) && Number(head) <= 63) level = Number(head);
  else return null;
  let rest = segs.slice(1);
  let width: number | undefined;
  const last = rest[rest.length - 1]!;
  const beforeLast = rest[rest.length - 2];
  if (rest.length >= 2 && beforeLast!.endsWith(".p")) {
    if (!/^[1-9][0-9]{0,2}$/.test(last) || Number(last) >= TILE_WIDTH) return null;
    width = Number(last);
    rest = [...rest.slice(0, -2), beforeLast!.slice(0, -2)];
  }
  if (rest.length > 6) return null;
  let index = 0;
  for (let i = 0; i < rest.length; i++) {
    const g = rest[i]!;
    const m = i < rest.length - 1 ? /^x([0-9]{3})$/.exec(g) : /^([0-9]{3})$/.exec(g);
    if (!m) return null;
    if (i === 0 && rest.length > 1 && m[1] === "000") return null;
    index = index * 1000 + Number(m[1]!);
  }
  if (!Number.isSafeInteger(index)) return null;
  return width === undefined ? { level, index } : { level, index, width };
}

/** Number of stored hashes at tile level L (hash level 8L) in a tree of `size` leaves. */
export function hashesAtLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** For each tile level of a tree: the count of full tiles and the width of the partial tile (0: none). */
export function tileLayout(size: number): { level: number; full: number; partial: number }[] {
  const out: { level: number; full: number; partial: number }[] = [];
  for (let level = 0; ; level++) {
    const n = hashesAtLevel(size, level);
    if (n === 0) break;
    out.push({ level, full: Math.floor(n / TILE_WIDTH), partial: n % TILE_WIDTH });
  }
  return out;
}
