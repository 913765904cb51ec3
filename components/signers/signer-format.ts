import { isAddress, parseEther } from "viem";
import type { OrganizationRole } from "../api/types";
import type { Network, SignerStatus, SimulationRequest } from "../api/signers";
import type { BadgeTone } from "../ui/badge";

export const signerStatusLabel: Record<SignerStatus, string> = {
  creating: "Creating",
  active: "Active",
  paused: "Paused",
  failed: "Failed",
};

export const signerStatusTone: Record<SignerStatus, BadgeTone> = {
  creating: "accent",
  active: "success",
  paused: "warning",
  failed: "danger",
};

/** Owners and admins hold `signers:manage`; approvers and viewers only read. */
export function canManageSigners(role: OrganizationRole): boolean {
  return role === "owner" || role === "admin";
}

/** `0x1234…abcd`: enough to recognise an address without wrapping on a phone. */
export function shortAddress(address: string): string {
  if (address.length <= 12) return address;
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function networkFor(networks: readonly Network[] | undefined, chainId: number): Network | undefined {
  return networks?.find((network) => network.chainId === chainId);
}

export function networkLabel(networks: readonly Network[] | undefined, chainId: number): string {
  return networkFor(networks, chainId)?.name ?? `Chain ${chainId}`;
}

/** Link to an address page on a block explorer, or null when the network has none. */
export function explorerAddressUrl(explorerUrl: string | undefined, address: string): string | null {
  if (!explorerUrl) return null;
  return `${explorerUrl.replace(/\/+$/, "")}/address/${address}`;
}

export class InvalidAmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidAmountError";
  }
}

/** A decimal ETH amount ("0.5", "1", ".25") as a wei string; rejects negatives, exponents and >18 decimals. */
export function ethToWei(input: string): string {
  const value = input.trim();
  if (value === "") return "0";
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value)) throw new InvalidAmountError("Enter an amount like 0.1");
  const fraction = value.split(".")[1] ?? "";
  if (fraction.length > 18) throw new InvalidAmountError("At most 18 decimal places");
  return parseEther(value.startsWith(".") ? `0${value}` : value).toString();
}

export interface SimulationForm {
  to: string;
  value: string;
  data: string;
}

export type SimulationFormErrors = Partial<Record<keyof SimulationForm, string>>;

export type SimulationValidation = { ok: true; request: SimulationRequest } | { ok: false; errors: SimulationFormErrors };

/** Checks the Simulate form and builds the POST …/simulate body (an empty recipient means contract creation). */
export function validateSimulation(form: SimulationForm): SimulationValidation {
  const errors: SimulationFormErrors = {};
  const to = form.to.trim();
  const data = form.data.trim();
  if (to !== "" && !isAddress(to, { strict: false })) errors.to = "Enter a 0x address with 40 hex characters";
  let value = "0";
  try {
    value = ethToWei(form.value);
  } catch (error) {
    errors.value = error instanceof InvalidAmountError ? error.message : "Invalid amount";
  }
  if (data !== "" && !/^0x([0-9a-fA-F]{2})*$/.test(data)) errors.data = "Calldata must be 0x followed by whole bytes in hex";
  if (to === "" && data === "") errors.to = "Enter a recipient (or calldata to simulate a contract creation)";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: { to: to === "" ? null : to, value, ...(data !== "" && data !== "0x" ? { data } : {}) } };
}

/** Null when the text is a usable token contract address, otherwise the reason. */
export function tokenAddressError(input: string): string | null {
  const value = input.trim();
  if (value === "") return "Enter the token contract address";
  if (!isAddress(value, { strict: false })) return "Enter a 0x address with 40 hex characters";
  return null;
}

/** Gas units with thousands separators ("21,000"). */
export function formatGas(gas: string): string {
  return /^\d+$/.test(gas) ? BigInt(gas).toLocaleString("en-US") : gas;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signer ids are UUIDs; anything else in the URL cannot name a signer and is shown as not found. */
export function isSignerId(value: string): boolean {
  return UUID.test(value);
}
