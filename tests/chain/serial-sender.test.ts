/**
 * Transactions from server-held keys (lib/chain/serial-sender.ts) fired concurrently from two app
 * "instances" (two Prisma clients, each with its own connection pool, on one database) against anvil:
 * every transaction is mined, each with its own nonce, consecutive, none lost or replaced — for raw
 * sends, the local proof provider's registrations and the demo relayer's meta-transactions. In
 * tools/test.ts's PostgreSQL lane the two pools race on a real server, where only the advisory lock
 * serialises them. On PGlite the raw sends still come from two clients (all their queries are in
 * the lock's transactions, which its socket server runs one at a time), but the registrations and
 * relays, which also read outside transactions, share the app's one connection: the socket server
 * interleaves concurrent connections' extended-protocol messages outside a transaction (one app
 * instance per embedded database, lib/db/README.md), so there they are concurrent requests of one
 * instance.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BaseError, ContractFunctionRevertedError, numberToHex, parseEther, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Devnet } from "@/lib/chain/devnet";
import { publicClientFor, type Network } from "@/lib/chain/networks";
import { contractCall, sendFromServerKey, senderLockName } from "@/lib/chain/serial-sender";
import { db, type Db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { registerWithLocalProvider } from "@/lib/identity/local-provider";
import { providerKeyAddress } from "@/lib/identity/provider-key";
import type { IdentityChain } from "@/lib/identity/registry";
import { metaVerifyTypedData, relayChainVerify, relayerAddress } from "@/lib/demo/chain-verify";
import { demoVerifierAbi } from "@/lib/demo/verifier-abi";
import { setUpDevnetDemoVerifier } from "@/lib/demo/verifier-setup";
import { useTestDatabase } from "../helpers/db";
import { startIdentityDevnet } from "../helpers/identity-devnet";

const database = useTestDatabase();

let devnet: Devnet;
let network: Network;
let chain: IdentityChain;
let verifier: Address;
let instances: [Db, Db];
/** The instances the registrations and relays run on (see above). */
let callers: [Db, Db];

const credentials = { nationality: "GBR", olderThan: 18, ofac: [false, false, false] as const };
const metadata = { name: "serial sender test", description: "", a2aEndpoint: "", mcpEndpoint: "" };

function instance(): Db {
  // PGlite serves one connection at a time; on a real server each instance gets a pool of 4.
  const max = database.current.kind === "postgres" ? 4 : 1;
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: database.current.url, max }), transactionOptions: { maxWait: 60_000, timeout: 60_000 } }) as Db;
}

beforeAll(async () => {
  let owner: PrivateKeyAccount;
  ({ devnet, network, chain, owner } = await startIdentityDevnet());
  verifier = (await setUpDevnetDemoVerifier(db(), network, owner)).verifier;
  instances = [instance(), instance()];
  callers = database.current.kind === "postgres" ? instances : [db(), db()];
}, 240_000);

afterAll(async () => {
  await Promise.all((instances ?? []).map((i) => i.$disconnect()));
  await devnet?.stop();
});

const client = () => publicClientFor(network);

/** The transactions' nonces, sorted; all from `from`, all mined successfully. */
async function minedNonces(hashes: readonly Hex[], from: Address): Promise<number[]> {
  const receipts = await Promise.all(hashes.map((hash) => client().waitForTransactionReceipt({ hash })));
  expect(receipts.map((r) => r.status)).toEqual(hashes.map(() => "success"));
  const txs = await Promise.all(hashes.map((hash) => client().getTransaction({ hash })));
  for (const t of txs) expect(t.from.toLowerCase()).toBe(from.toLowerCase());
  return txs.map((t) => t.nonce).sort((a, b) => a - b);
}

const consecutive = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + i);

describe("sendFromServerKey", () => {
  it("names the lock per chain and address (case-insensitive)", () => {
    const a = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01" as Address;
    expect(senderLockName(31337, a)).toBe(senderLockName(31337, a.toLowerCase() as Address));
    expect(senderLockName(31337, a)).not.toBe(senderLockName(1, a));
  });

  it("12 concurrent sends of one key from two instances: all mined, with the nonces 0..11, none lost", async () => {
    const key = privateKeyToAccount(generatePrivateKey());
    await client().request({ method: "anvil_setBalance" as never, params: [key.address, numberToHex(parseEther("10"))] as never });
    const N = 12;
    const recipients = Array.from({ length: N }, () => privateKeyToAccount(generatePrivateKey()).address);
    const hashes = await Promise.all(recipients.map((to, i) => sendFromServerKey(instances[i % 2]!, network, key, { to, value: BigInt(i + 1) })));
    expect(new Set(hashes).size).toBe(N);
    expect(await minedNonces(hashes, key.address)).toEqual(consecutive(0, N));
    expect(await client().getTransactionCount({ address: key.address })).toBe(N);
    // none replaced: every recipient got exactly its own value
    expect(await Promise.all(recipients.map((address) => client().getBalance({ address })))).toEqual(recipients.map((_, i) => BigInt(i + 1)));
  }, 120_000);

  it("a contract call that would revert is refused with the revert decoded by name; nothing is sent (the next send takes nonce 0)", async () => {
    const key = privateKeyToAccount(generatePrivateKey());
    await client().request({ method: "anvil_setBalance" as never, params: [key.address, numberToHex(parseEther("1"))] as never });
    // Not an attester of the demo verifier: attestEd25519Verification reverts.
    const call = contractCall({ address: verifier, abi: demoVerifierAbi, functionName: "attestEd25519Verification", args: [`0x${"11".repeat(32)}`, 0n, 2n ** 40n] });
    const err = await sendFromServerKey(instances[0], network, key, call).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BaseError);
    const revert = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    expect(revert?.data?.errorName).toBe("NotAttester");
    const hash = await sendFromServerKey(instances[1], network, key, { to: key.address, value: 1n });
    expect(await minedNonces([hash], key.address)).toEqual([0]);
  }, 60_000);

  it("the local proof provider's registrations from two instances at once all land, on consecutive provider nonces", async () => {
    const provider = await providerKeyAddress(db());
    const start = await client().getTransactionCount({ address: provider, blockTag: "pending" });
    const N = 6;
    const agents = Array.from({ length: N }, () => privateKeyToAccount(generatePrivateKey()).address);
    const results = await Promise.all(
      agents.map((agentAddress, i) => registerWithLocalProvider(callers[i % 2]!, chain, { nullifier: 900n + BigInt(i), agentAddress, verificationStrength: 2, credentials, metadata })),
    );
    expect(new Set(results.map((r) => r.agentId)).size).toBe(N);
    expect(await minedNonces(results.map((r) => r.txHash), provider)).toEqual(consecutive(start, N));
  }, 120_000);

  it("the demo relayer's meta-transactions from two instances at once are all relayed, on consecutive relayer nonces", async () => {
    const N = 6;
    const agents = Array.from({ length: N }, () => privateKeyToAccount(generatePrivateKey()));
    const ids: number[] = [];
    for (const [i, a] of agents.entries()) {
      ids.push((await registerWithLocalProvider(db(), chain, { nullifier: 950n + BigInt(i), agentAddress: a.address, verificationStrength: 2, credentials, metadata })).agentId);
    }
    const relayer = await relayerAddress(db());
    const start = await client().getTransactionCount({ address: relayer, blockTag: "pending" });
    const totalBefore = (await client().readContract({ address: verifier, abi: demoVerifierAbi, functionName: "totalVerifications" })) as bigint;
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const results = await Promise.all(
      agents.map(async (a, i) => {
        const eip712Signature = await a.signTypedData(metaVerifyTypedData({ chainId: devnet.chainId, verifier, agentKey: a.address, nonce: 0n, deadline }) as never);
        const caller = { agentAddress: a.address, chainId: devnet.chainId, agentId: String(ids[i]), recordId: null, organizationId: null };
        return relayChainVerify(callers[i % 2]!, caller, { agentKey: a.address, nonce: 0, deadline: deadline.toString(), eip712Signature }, "ecdsa");
      }),
    );
    expect(results.map((r) => r.verified)).toEqual(agents.map(() => true));
    expect(await minedNonces(results.map((r) => r.txHash as Hex), relayer)).toEqual(consecutive(start, N));
    expect(await client().readContract({ address: verifier, abi: demoVerifierAbi, functionName: "totalVerifications" })).toBe(totalBefore + BigInt(N));
  }, 180_000);
});
