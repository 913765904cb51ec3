export function publicToken(t: { id: string; chainId: number; address: string; symbol: string; decimals: number; name: string | null; createdAt: Date }) {
  return { id: t.id, chainId: t.chainId, address: t.address, symbol: t.symbol, decimals: t.decimals, name: t.name, createdAt: t.createdAt.toISOString() };
}
