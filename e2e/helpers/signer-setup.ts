import { test, type BrowserContext } from "@playwright/test";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { bytesToHex } from "@noble/hashes/utils.js";
import { createPublicClient, createWalletClient, defineChain, http, parseEther, parseUnits, type Abi, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ACCOUNT_COUNT, DEV_MNEMONIC, deriveDevAccounts } from "../../lib/chain/dev-accounts";
import { FAST_TEST, type KeyShare, type Message } from "../../lib/mpc";
import { driveCeremony, type CeremonyResponse } from "../../lib/signing/driver";
import { localDkgParty } from "../../lib/signing/local-party";

/**
 * Each Playwright worker funds from its own account of the devnet's public test mnemonic, one the
 * server never uses: two workers sending from one account would race for its nonce. The server's
 * faucet and deployments send from the first, the bundler (Alto) from the last two.
 */
function devAccountKey(): Hex {
  const slot = test.info().parallelIndex;
  const index = DEV_ACCOUNT_COUNT - 3 - slot;
  const account = index >= 2 ? deriveDevAccounts(DEV_MNEMONIC, index + 1)[index] : undefined;
  if (!account) throw new Error(`no devnet funding account for Playwright worker slot ${slot}`);
  return account.privateKey;
}

export class SetupRequestError extends Error {
  constructor(step: string, status: number, body: string) {
    super(`${step}: HTTP ${status} ${body}`);
    this.name = "SetupRequestError";
  }
}

/** Calls the running app from Node as the signed-in browser user: its cookies plus a same-origin header. */
export class SessionClient {
  private constructor(
    private readonly baseURL: string,
    private readonly cookie: string,
  ) {}

  static async fromContext(context: BrowserContext, baseURL: string): Promise<SessionClient> {
    const cookies = await context.cookies(baseURL);
    if (cookies.length === 0) throw new SetupRequestError("session", 401, "the browser context has no cookies; sign up first");
    return new SessionClient(baseURL, cookies.map((c) => `${c.name}=${c.value}`).join("; "));
  }

  /**
   * One connection per request (no keep-alive): the local DKG parties block this process's event loop
   * for seconds between rounds, long enough for the server to close an idle pooled socket unnoticed.
   */
  async request<T>(step: string, method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { cookie: this.cookie, origin: this.baseURL, accept: "application/json" };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(new URL(path, this.baseURL), { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(payload);
    });
    if (status < 200 || status >= 300) throw new SetupRequestError(step, status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

interface CreatedSigner {
  signer: { id: string };
  dkg: { ceremonyId: string; sid: string; auxSid: string; profile: string; messages: { seq: string; message: Message }[] };
}

export interface ActiveSigner {
  id: string;
  name: string;
  address: `0x${string}`;
  chainId: number;
  apiKey: string;
  /** The user's share (party 2), for tests that store it encrypted and sign from the browser. */
  userShare: KeyShare;
}

/**
 * TEST-ONLY public safe primes (lib/mpc/fixtures). Read from disk because Playwright's ESM loader
 * rejects the fixtures module's JSON import, which has no `with { type: "json" }` attribute.
 */
const primes = (JSON.parse(readFileSync(new URL("../../lib/mpc/fixtures/safe-primes-1024.json", import.meta.url), "utf8")) as { primes: string[] }).primes.map(
  (hex) => BigInt(`0x${hex}`),
);
const auxPrimes = (offset: number) => ({ p: primes[offset]!, q: primes[offset + 1]!, pHat: primes[offset + 2]!, qHat: primes[offset + 3]! });

/**
 * Creates an active signer without the dashboard wizard: POST /signers, then the agent (0) and user (2)
 * parties run the real DKG here in Node with fixture primes against the server (FAST_TEST profile),
 * and POST /dkg/finalize activates it. Mirrors tests/helpers/signer.ts over HTTP.
 */
export async function createSignerViaDkg(client: SessionClient, name: string, chainId = 31337): Promise<ActiveSigner> {
  const created = await client.request<CreatedSigner>("create signer", "POST", "/api/v1/signers", {
    name,
    chainId,
    clientNonce: bytesToHex(crypto.getRandomValues(new Uint8Array(32))),
    // Both client parties run here, in one process: the explicit one-browser choice.
    agentParty: "browser",
  });
  const { dkg } = created;
  if (dkg.profile !== FAST_TEST.name) throw new SetupRequestError("create signer", 500, `server runs profile ${dkg.profile}, expected ${FAST_TEST.name}`);
  const party = (index: number, offset: number) =>
    localDkgParty({ index, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(offset), profile: FAST_TEST });
  const round = (body: object) => client.request<CeremonyResponse>("dkg round", "POST", "/api/v1/dkg/round", { ceremonyId: dkg.ceremonyId, ...body });
  const { outputs } = await driveCeremony<KeyShare>({
    transport: { submit: (b) => round(b), poll: ({ party: p, after }) => round({ party: p, seq: 0, messages: [], after }) },
    parties: [party(0, 0), party(2, 4)],
    initial: dkg.messages,
  });
  const agentShare = outputs.get(0);
  if (!agentShare) throw new SetupRequestError("dkg", 500, "the agent party finished without a key share");
  const finalized = await client.request<{ signer: { id: string; name: string; address: `0x${string}`; chainId: number }; apiKey: { secret: string } }>(
    "dkg finalize",
    "POST",
    "/api/v1/dkg/finalize",
    { ceremonyId: dkg.ceremonyId, publicKey: agentShare.core.publicKey },
  );
  const userShare = outputs.get(2);
  if (!userShare) throw new SetupRequestError("dkg", 500, "the user party finished without a key share");
  return { ...finalized.signer, apiKey: finalized.apiKey.secret, userShare };
}

async function devWallet(client: SessionClient, chainId: number) {
  const { networks } = await client.request<{ networks: { chainId: number; name: string; rpcUrl: string }[] }>("networks", "GET", "/api/v1/networks");
  const network = networks.find((n) => n.chainId === chainId);
  if (!network) throw new SetupRequestError("networks", 404, `no network with chain id ${chainId}`);
  const chain = defineChain({ id: chainId, name: network.name, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [network.rpcUrl] } } });
  const transport = http(network.rpcUrl);
  return {
    wallet: createWalletClient({ account: privateKeyToAccount(devAccountKey()), chain, transport }),
    publicClient: createPublicClient({ chain, transport }),
  };
}

/** Sends `ether` from the devnet's first dev account to `to`; the RPC URL comes from GET /api/v1/networks. */
export async function fundFromDevAccount(client: SessionClient, chainId: number, to: `0x${string}`, ether: string): Promise<Hex> {
  const { wallet, publicClient } = await devWallet(client, chainId);
  const hash = await wallet.sendTransaction({ to, value: parseEther(ether) });
  await publicClient.waitForTransactionReceipt({ hash });
  return hash;
}

/** Deploys OpenZeppelin's ERC20PresetFixedSupply ("Test USD", TUSD) minting `supply` whole tokens to `holder`. */
export async function deployTestToken(client: SessionClient, chainId: number, holder: `0x${string}`, supply: string): Promise<`0x${string}`> {
  const artifactUrl = new URL("../../node_modules/@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json", import.meta.url);
  const artifact = JSON.parse(readFileSync(artifactUrl, "utf8")) as { abi: Abi; bytecode: Hex };
  const { wallet, publicClient } = await devWallet(client, chainId);
  const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: ["Test USD", "TUSD", parseUnits(supply, 18), holder] });
  const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new SetupRequestError("deploy token", 500, "the deployment receipt has no contract address");
  return contractAddress;
}
