/** The public score badge (GET /score/{sid}/badge.svg): a shields-style SVG, pure. */
import type { Recommendation } from "./model";

const COLOR: Record<Recommendation, string> = { clear: "#2e7d32", review: "#b26a00", caution: "#c62828" };

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
/** Roughly 6.5 px per character at 11 px Verdana, plus padding. */
const width = (text: string) => Math.round(text.length * 6.5 + 12);

export function badgeSvg(input: { composite: number; recommendation: Recommendation }): string {
  const label = "trust score";
  const value = `${input.composite} ${input.recommendation}`;
  const lw = width(label);
  const vw = width(value);
  const total = lw + vw;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${escapeXml(`${label}: ${value}`)}">`,
    `<title>${escapeXml(`${label}: ${value}`)}</title>`,
    `<rect width="${lw}" height="20" fill="#555"/>`,
    `<rect x="${lw}" width="${vw}" height="20" fill="${COLOR[input.recommendation]}"/>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">`,
    `<text x="${lw / 2}" y="14">${escapeXml(label)}</text>`,
    `<text x="${lw + vw / 2}" y="14">${escapeXml(value)}</text>`,
    `</g></svg>`,
  ].join("");
}
