import { decodeFunctionData, formatEther, parseAbi, type Hex } from "viem";

/*
 * Pure helpers for the approval page: a raw decoded view of a call that clear signing could not
 * describe (common ABIs first, else the selector and 32-byte argument words), and labels.
 */
const KNOWN = parseAbi([
  "function transfer(address to, uint256 amount)",
  "function transferFrom(address from, address to, uint256 amount)",
  "function approve(address spender, uint256 amount)",
  "function deposit()",
  "function withdraw(uint256 amount)",
  "function safeTransferFrom(address from, address to, uint256 tokenId)",
  "function setApprovalForAll(address operator, bool approved)",
  "function multiSend(bytes transactions)",
  "function addOwnerWithThreshold(address owner, uint256 threshold)",
  "function removeOwner(address prevOwner, address owner, uint256 threshold)",
  "function swapOwner(address prevOwner, address oldOwner, address newOwner)",
  "function changeThreshold(uint256 threshold)",
]);

export type DecodedCall =
  | { kind: "transfer"; value: string }
  | { kind: "known"; functionName: string; args: { name: string; value: string }[]; value: string }
  | { kind: "unknown"; selector: string; words: string[]; value: string };

function str(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(str).join(", ")}]`;
  return String(v);
}

export function ethValue(wei: string): string {
  try {
    return `${formatEther(BigInt(wei))} ETH`;
  } catch {
    return `${wei} wei`;
  }
}

export function decodeCall(action: { data: string; value: string }): DecodedCall {
  const value = ethValue(action.value);
  const data = action.data.toLowerCase();
  if (data === "0x" || data === "") return { kind: "transfer", value };
  try {
    const d = decodeFunctionData({ abi: KNOWN, data: data as Hex });
    const item = KNOWN.find((f) => f.type === "function" && f.name === d.functionName);
    const names = item && "inputs" in item ? item.inputs.map((i, n) => i.name ?? `arg${n}`) : [];
    return { kind: "known", functionName: d.functionName, args: (d.args ?? []).map((a, n) => ({ name: names[n] ?? `arg${n}`, value: str(a) })), value };
  } catch {
    const body = data.slice(10);
    const words: string[] = [];
    for (let i = 0; i < body.length && words.length < 16; i += 64) words.push(`0x${body.slice(i, i + 64)}`);
    return { kind: "unknown", selector: data.slice(0, 10), words, value };
  }
}

export function shortHex(h: string, keep = 6): string {
  return h.length <= 2 + keep * 2 ? h : `${h.slice(0, 2 + keep)}…${h.slice(-keep)}`;
}

export const SOURCE_LABEL: Record<string, string> = { sw_action: "notification button", app_ui: "approval page", unknown: "unknown surface" };

export const FINAL_STATUSES = new Set(["executed", "rejected_by_human", "proposal_failed", "execution_failed", "approval_failed", "signing_failed", "broadcast_failed"]);

export const STATUS_LABEL: Record<string, string> = {
  pending_human: "Waiting for a human",
  rejected_by_human: "Rejected",
  proposing: "Proposing",
  proposed: "Proposed",
  executing: "Executing",
  executed: "Executed",
  proposal_failed: "Proposal failed",
  execution_failed: "Execution failed",
  // Turnkey wallets
  approving: "Approving at Turnkey",
  approval_failed: "Turnkey approval failed",
  signing_failed: "Turnkey signing failed",
  broadcast_failed: "Broadcast failed",
};

/** "Chrome on Android" from a User-Agent (the device the decision came from). */
export function userAgentLabel(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "a browser";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad|iOS/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS" : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : null;
  return os ? `${browser} on ${os}` : browser;
}
