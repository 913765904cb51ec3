/** Pure helpers for the clear-signing settings page (parsing pasted JSON, listing violations). */

export type ParsedDescriptorText = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses the pasted or uploaded text; a JSON syntax error is reported before anything is sent. */
export function parseDescriptorText(text: string): ParsedDescriptorText {
  if (text.trim() === "") return { ok: false, error: "Paste an ERC-7730 descriptor or choose a .json file." };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${(err as Error).message}` };
  }
}

/** "body.descriptor.display.formats.x" → "display.formats.x", for showing a violation. */
export function violationPath(path: string | undefined): string {
  if (!path) return "descriptor";
  return path.replace(/^body\.descriptor\.?/, "") || "descriptor";
}

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}
