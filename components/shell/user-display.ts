import type { SessionUser } from "../api/types";

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function displayName(user: Pick<SessionUser, "name" | "email" | "walletAddress">): string {
  return user.name?.trim() || user.email || (user.walletAddress ? shortAddress(user.walletAddress) : "Account");
}

export function initials(user: Pick<SessionUser, "name" | "email" | "walletAddress">): string {
  const name = user.name?.trim();
  if (name) {
    const words = name.split(/\s+/).filter(Boolean);
    const first = words[0]?.[0] ?? "";
    const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "";
    return (first + last).toUpperCase();
  }
  if (user.email) return user.email.slice(0, 2).toUpperCase();
  if (user.walletAddress) return user.walletAddress.slice(2, 4).toUpperCase();
  return "?";
}
