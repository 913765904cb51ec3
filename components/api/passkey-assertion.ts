/** base64url of UTF-8 JSON, for the X-Countersign-Assertion header. */
export function assertionHeader(challengeId: string, response: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ challengeId, response }));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
