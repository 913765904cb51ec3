import { z } from "zod";
import { InputError } from "./errors";

export interface TokenInfo {
  symbol: string;
  decimals: number;
  name?: string;
}

/**
 * Where the engine gets data that is not in the calldata or the descriptor. The product plugs its own
 * sources (token lists, address book, ENS, indexers) in here; every lookup may be asynchronous and
 * returns `undefined` when it knows nothing.
 */
export interface DataProvider {
  token(chainId: number, address: string): Promise<TokenInfo | undefined>;
  /** A local label (address book, known contract name). */
  addressName(chainId: number, address: string): Promise<string | undefined>;
  /** An ENS reverse-resolution. */
  ensName(chainId: number, address: string): Promise<string | undefined>;
  nftCollectionName(chainId: number, address: string): Promise<string | undefined>;
  /** Unix timestamp (seconds) of a block. */
  blockTimestamp(chainId: number, blockNumber: bigint): Promise<bigint | undefined>;
}

const addressKey = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address");

/** The `dataProvider` object of an ERC-7730 tests file. */
export const dataProviderFileSchema = z
  .object({
    tokens: z
      .record(
        addressKey,
        z.object({ symbol: z.string(), decimals: z.number().int().min(0).max(255), name: z.string().optional() }).strict(),
      )
      .optional(),
    addressNames: z.record(addressKey, z.string()).optional(),
    ensNames: z.record(addressKey, z.string()).optional(),
    nftCollectionNames: z.record(addressKey, z.string()).optional(),
    blockTimestamps: z.record(z.string().regex(/^\d+$/, "must be a decimal block number"), z.number().int().min(0)).optional(),
  })
  .strict();

export type DataProviderFile = z.infer<typeof dataProviderFileSchema>;

function lowerKeys<T>(record: Record<string, T> | undefined): Map<string, T> {
  return new Map(Object.entries(record ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A chain-agnostic provider answering from fixed maps (tests files, the CLI's `--data-provider`). */
export class StaticDataProvider implements DataProvider {
  private readonly tokens: Map<string, TokenInfo>;
  private readonly names: Map<string, string>;
  private readonly ens: Map<string, string>;
  private readonly collections: Map<string, string>;
  private readonly timestamps: Map<string, number>;

  constructor(data: DataProviderFile = {}) {
    this.tokens = lowerKeys(data.tokens);
    this.names = lowerKeys(data.addressNames);
    this.ens = lowerKeys(data.ensNames);
    this.collections = lowerKeys(data.nftCollectionNames);
    this.timestamps = new Map(Object.entries(data.blockTimestamps ?? {}));
  }

  /** Validates `json` against the tests-file `dataProvider` shape. */
  static fromJson(json: unknown): StaticDataProvider {
    const parsed = dataProviderFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new InputError(`invalid data provider: ${z.prettifyError(parsed.error)}`);
    }
    return new StaticDataProvider(parsed.data);
  }

  async token(_chainId: number, address: string): Promise<TokenInfo | undefined> {
    return this.tokens.get(address.toLowerCase());
  }

  async addressName(_chainId: number, address: string): Promise<string | undefined> {
    return this.names.get(address.toLowerCase());
  }

  async ensName(_chainId: number, address: string): Promise<string | undefined> {
    return this.ens.get(address.toLowerCase());
  }

  async nftCollectionName(_chainId: number, address: string): Promise<string | undefined> {
    return this.collections.get(address.toLowerCase());
  }

  async blockTimestamp(_chainId: number, blockNumber: bigint): Promise<bigint | undefined> {
    const ts = this.timestamps.get(blockNumber.toString());
    return ts === undefined ? undefined : BigInt(ts);
  }
}
