/** Compact address form for one-line summaries: "0x" + first 2 hex digits + "…" + last 2, lower-case (0xab…cd). */
export function shortAddress(address: string): string {
  const hex = address.toLowerCase();
  return `${hex.slice(0, 4)}…${hex.slice(-2)}`;
}

const FULL_ADDRESS = /0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g;

/** Replaces every full 20-byte address in `text` with its short form. */
export function shortenAddresses(text: string): string {
  return text.replace(FULL_ADDRESS, (a) => shortAddress(a));
}
