/**
 * A configured price source (pure): a static table of USD prices per asset, from
 * `COUNTERSIGN_PRICES_USD`. None is configured by default, and then no value is shown anywhere.
 *
 * Format: comma-separated `<chainId>:<asset>=<usd>`, where asset is `native` (the network's own
 * currency) or an ERC-20 contract address, e.g. `1:native=3000,1:0xA0b8…eB48=1`.
 */
export type PriceTable = ReadonlyMap<string, string>;

export class PriceTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceTableError";
  }
}

/** The table's key for an asset: `<chainId>:native` or `<chainId>:<lower-case address>`. */
export function priceKey(chainId: number, asset: "native" | string): string {
  return `${chainId}:${asset === "native" ? "native" : asset.toLowerCase()}`;
}

const entryPattern = /^(\d{1,12}):(native|0x[0-9a-fA-F]{40})=(\d{1,15}(?:\.\d{1,18})?)$/;

export function parsePriceTable(text: string | undefined): PriceTable {
  const table = new Map<string, string>();
  for (const raw of (text ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = entryPattern.exec(entry);
    if (!m) throw new PriceTableError(`"${entry.slice(0, 80)}" is not <chainId>:<native|0xaddress>=<usd>`);
    const key = priceKey(Number(m[1]), m[2]!);
    if (table.has(key)) throw new PriceTableError(`${key} is priced twice`);
    table.set(key, m[3]!);
  }
  return table;
}

/** Only the entries of the networks shown (the page sends the browser no more than it needs). */
export function pricesFor(table: PriceTable, chainIds: Iterable<number>): Record<string, string> {
  const wanted = new Set([...chainIds].map(String));
  return Object.fromEntries([...table].filter(([key]) => wanted.has(key.split(":")[0]!)));
}

export type Holding = { chainId: number; asset: "native" | string; symbol: string; formatted: string };

export type Valuation = {
  /** Sum in USD of every holding that has a price (a decimal number, rounded to cents for display). */
  totalUsd: number;
  priced: number;
  /** Holdings with a non-zero balance and no price: the total leaves them out, and says so. */
  unpriced: { chainId: number; symbol: string }[];
};

/** Values holdings with the table; a balance of zero is neither priced nor counted as unpriced. */
export function valueHoldings(prices: Readonly<Record<string, string>>, holdings: readonly Holding[]): Valuation {
  let totalUsd = 0;
  let priced = 0;
  const unpriced: { chainId: number; symbol: string }[] = [];
  for (const h of holdings) {
    const amount = Number(h.formatted);
    if (!Number.isFinite(amount) || amount === 0) continue;
    const price = prices[priceKey(h.chainId, h.asset)];
    if (price === undefined) {
      if (!unpriced.some((u) => u.chainId === h.chainId && u.symbol === h.symbol)) unpriced.push({ chainId: h.chainId, symbol: h.symbol });
      continue;
    }
    totalUsd += amount * Number(price);
    priced++;
  }
  return { totalUsd, priced, unpriced };
}

export function formatUsd(value: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 }).format(value);
}
