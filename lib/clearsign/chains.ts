export interface NativeCurrency {
  name: string;
  symbol: string;
  decimals: number;
}

interface ChainInfo {
  name: string;
  currency: NativeCurrency;
}

const ETHER: NativeCurrency = { name: "Ether", symbol: "ETH", decimals: 18 };

// Taken from viem/chains; a static table because importing viem/chains loads every chain module
// (several seconds) just to read a name and a ticker.
const CHAINS = new Map<number, ChainInfo>([
  [1, { name: "Ethereum", currency: ETHER }],
  [10, { name: "OP Mainnet", currency: ETHER }],
  [56, { name: "BNB Smart Chain", currency: { name: "BNB", symbol: "BNB", decimals: 18 } }],
  [100, { name: "Gnosis", currency: { name: "xDAI", symbol: "XDAI", decimals: 18 } }],
  [130, { name: "Unichain", currency: ETHER }],
  [137, { name: "Polygon", currency: { name: "POL", symbol: "POL", decimals: 18 } }],
  [146, { name: "Sonic", currency: { name: "Sonic", symbol: "S", decimals: 18 } }],
  [250, { name: "Fantom", currency: { name: "Fantom", symbol: "FTM", decimals: 18 } }],
  [324, { name: "ZKsync Era", currency: ETHER }],
  [480, { name: "World Chain", currency: ETHER }],
  [999, { name: "HyperEVM", currency: { name: "HYPE", symbol: "HYPE", decimals: 18 } }],
  [1868, { name: "Soneium Mainnet", currency: ETHER }],
  [5000, { name: "Mantle", currency: { name: "MNT", symbol: "MNT", decimals: 18 } }],
  [8217, { name: "Kaia", currency: { name: "Kaia", symbol: "KAIA", decimals: 18 } }],
  [8453, { name: "Base", currency: ETHER }],
  [9745, { name: "Plasma", currency: { name: "Plasma", symbol: "XPL", decimals: 18 } }],
  [17000, { name: "Holesky", currency: { name: "Holesky Ether", symbol: "ETH", decimals: 18 } }],
  [31337, { name: "Anvil", currency: ETHER }],
  [42161, { name: "Arbitrum One", currency: ETHER }],
  [43114, { name: "Avalanche", currency: { name: "Avalanche", symbol: "AVAX", decimals: 18 } }],
  [59144, { name: "Linea Mainnet", currency: { name: "Linea Ether", symbol: "ETH", decimals: 18 } }],
  [80002, { name: "Polygon Amoy", currency: { name: "POL", symbol: "POL", decimals: 18 } }],
  [81457, { name: "Blast", currency: ETHER }],
  [84532, { name: "Base Sepolia", currency: { name: "Sepolia Ether", symbol: "ETH", decimals: 18 } }],
  [421614, { name: "Arbitrum Sepolia", currency: { name: "Arbitrum Sepolia Ether", symbol: "ETH", decimals: 18 } }],
  [534352, { name: "Scroll", currency: ETHER }],
  [560048, { name: "Hoodi", currency: { name: "Hoodi Ether", symbol: "ETH", decimals: 18 } }],
  [7777777, { name: "Zora", currency: ETHER }],
  [11155111, { name: "Sepolia", currency: { name: "Sepolia Ether", symbol: "ETH", decimals: 18 } }],
  [11155420, { name: "OP Sepolia", currency: { name: "Sepolia Ether", symbol: "ETH", decimals: 18 } }],
  [1313161554, { name: "Aurora", currency: ETHER }],
]);

/** The chain's native currency; Ether (18 decimals) for chains not in the table. */
export function nativeCurrency(chainId: number): NativeCurrency {
  return CHAINS.get(chainId)?.currency ?? ETHER;
}

/** The EIP-155 chain name, if known. */
export function chainName(chainId: number): string | undefined {
  return CHAINS.get(chainId)?.name;
}
