import Link from "next/link";
import { db } from "@/lib/db/client";
import { overviewNetworks, probeNetwork, type Overview } from "@/lib/overview/load";
import { Badge } from "../ui/badge";
import { CardSection } from "./overview-card";

/** Each enabled network's RPC, asked now (bounded by the probe's timeout). */
export async function NetworkReachability() {
  const networks = await overviewNetworks(db());
  if (networks.length === 0) return <p className="text-sm text-fg-muted">No network is configured. Set DEVNET_RPC_URL or COUNTERSIGN_NETWORKS (see the README).</p>;
  const probes = await Promise.all(networks.map((n) => probeNetwork(n)));
  return (
    <ul className="space-y-2" aria-label="Networks">
      {probes.map((p) => (
        <li key={p.chainId} className="flex items-center justify-between gap-3 text-sm" data-testid={`network-${p.chainId}`}>
          <span className="min-w-0 truncate text-fg">{p.name}</span>
          <span className="flex shrink-0 items-center gap-2">
            <span className="hidden text-xs text-fg-muted sm:inline">{p.detail}</span>
            <Badge tone={p.reachable ? "success" : "danger"}>{p.reachable ? "Reachable" : "Unreachable"}</Badge>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function PushAndPrimes({ health }: { health: Overview["health"] }) {
  const { push, primePool } = health;
  const poolLow = primePool.target > 0 && primePool.available < primePool.target;
  return (
    <>
      <CardSection title="Push delivery">
        <p className="text-sm text-fg" data-testid="push-health">
          {push.failedLast7Days === 0 && push.devicesFailing === 0 ? (
            "No failed deliveries in the last 7 days."
          ) : (
            <>
              {push.failedLast7Days} failed deliver{push.failedLast7Days === 1 ? "y" : "ies"} in the last 7 days · {push.devicesFailing} device
              {push.devicesFailing === 1 ? "" : "s"} failing
            </>
          )}
        </p>
        {push.lastError ? <p className="break-words text-xs text-fg-muted">Last error: {push.lastError}</p> : null}
        <Link href="/settings/devices" className="text-xs font-medium text-accent-soft-fg underline-offset-2 hover:underline">
          Devices
        </Link>
      </CardSection>
      <CardSection title="Prime pool">
        <p className="flex items-center justify-between gap-3 text-sm text-fg" data-testid="prime-pool">
          <span>
            {primePool.available} of {primePool.target} safe primes ({primePool.bits}-bit) ready
          </span>
          {primePool.target === 0 ? <Badge>Off</Badge> : <Badge tone={poolLow ? "warning" : "success"}>{poolLow ? "Refilling" : "Full"}</Badge>}
        </p>
        <p className="text-xs text-fg-muted">
          {primePool.target === 0
            ? "COUNTERSIGN_PRIME_POOL_TARGET is 0: each new signer generates its primes while it is created."
            : "New signers take four; the server refills the pool in the background."}
        </p>
      </CardSection>
    </>
  );
}
