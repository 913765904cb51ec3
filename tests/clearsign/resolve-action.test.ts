import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { StaticDataProvider } from "@/lib/clearsign/data-provider";
import { InputError } from "@/lib/clearsign/errors";
import { DescriptorRegistry } from "@/lib/clearsign/registry";
import { aggregateDescription, resolveAction, resolveActions, type ActionResult } from "@/lib/clearsign/resolve-action";
import { shortAddress, shortenAddresses } from "@/lib/clearsign/short-address";
import type { Descriptor } from "@/lib/clearsign/types";
import { vendorRegistry } from "@/lib/clearsign/vendor-registry";
import { calldata } from "./helpers";

const USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
const WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2";
const RECIPIENT = "0xab000000000000000000000000000000000000cd";
const SAFE = "0x5afe00000000000000000000000000000000beef";
const SIGNER = "0x51600000000000000000000000000000000000aa";

const provider = new StaticDataProvider({
  tokens: { [USDC]: { symbol: "USDC", decimals: 6, name: "USD Coin" } },
  ensNames: { [SIGNER]: "signer.eth" },
});
const vendor = vendorRegistry();
const options = { registries: [vendor], provider };

function action(to: string, data: `0x${string}`, value = "0") {
  return { chainId: 1, to, data, value, from: SAFE };
}

function resolved(result: ActionResult) {
  if (!result.resolved) throw new Error(`expected a resolved action, got: ${result.reason}`);
  return result;
}

describe("short addresses", () => {
  it("keeps 0x, the first two and the last two hex digits", () => {
    expect(shortAddress(getAddress(RECIPIENT))).toBe("0xab…cd");
    expect(shortenAddresses(`to ${getAddress(RECIPIENT)} and 0x${"1".repeat(64)}`)).toBe(`to 0xab…cd and 0x${"1".repeat(64)}`);
  });
});

describe("resolveAction with the vendor registry", () => {
  it("clear-signs an ERC-20 transfer on any token the provider knows", async () => {
    const result = resolved(await resolveAction(action(USDC, calldata("transfer(address to, uint256 amount)", [RECIPIENT, 250_000_000n])), options));
    expect(result).toEqual({
      resolved: true,
      intent: "Send",
      owner: "ERC-20 token",
      fields: [
        { label: "Amount", value: "250 USDC" },
        { label: "To", value: getAddress(RECIPIENT) },
      ],
      interpolatedIntent: `Send 250 USDC to ${getAddress(RECIPIENT)}`,
      description: "Send 250 USDC to 0xab…cd",
      descriptorSource: "vendor",
      descriptorId: "erc20",
      protocolTag: "ERC-20 token",
      bindingKind: "calldata",
    });
  });

  it("shows unlimited approvals and transferFrom", async () => {
    const approve = resolved(await resolveAction(action(USDC, calldata("approve(address spender, uint256 amount)", [RECIPIENT, 2n ** 256n - 1n])), options));
    expect(approve.fields).toEqual([
      { label: "Spender", value: getAddress(RECIPIENT) },
      { label: "Amount", value: "Unlimited USDC" },
    ]);
    expect(approve.description).toBe("Allow 0xab…cd to spend Unlimited USDC");
    const pull = resolved(
      await resolveAction(action(USDC, calldata("transferFrom(address from, address to, uint256 amount)", [SIGNER, RECIPIENT, 1_500_000n])), options),
    );
    expect(pull.description).toBe("Send 1.5 USDC from signer.eth to 0xab…cd");
  });

  it("does not resolve a generic ERC-20 call when the token is unknown, but decodes it", async () => {
    const unknownToken = "0x00000000000000000000000000000000000070c1";
    const result = await resolveAction(action(unknownToken, calldata("transfer(address to, uint256 amount)", [RECIPIENT, 5n])), options);
    expect(result).toEqual({
      resolved: false,
      reason: `no token metadata for ${getAddress(unknownToken)} (needed for "Amount")`,
      to: getAddress(unknownToken),
      decoded: {
        selector: "0xa9059cbb",
        functionName: "transfer",
        signature: "transfer(address,uint256)",
        args: { to: getAddress(RECIPIENT), amount: "5" },
      },
    });
  });

  it("wraps and unwraps WETH at its canonical deployment, and treats its ERC-20 calls generically", async () => {
    const wrap = resolved(await resolveAction(action(WETH, calldata("deposit()", []), "1500000000000000000"), options));
    expect(wrap).toMatchObject({ intent: "Wrap", owner: "WETH", descriptorId: "weth", description: "Wrap 1.5 ETH", fields: [{ label: "Amount", value: "1.5 ETH" }] });
    const unwrap = resolved(await resolveAction(action(WETH, calldata("withdraw(uint256 wad)", [10n ** 17n])), options));
    expect(unwrap.description).toBe("Unwrap WETH to 0.1 ETH");
    const transfer = await resolveAction(action(WETH, calldata("transfer(address to, uint256 amount)", [RECIPIENT, 1n])), {
      registries: [vendor],
      provider: new StaticDataProvider({ tokens: { [WETH]: { symbol: "WETH", decimals: 18 } } }),
    });
    expect(resolved(transfer)).toMatchObject({ descriptorId: "erc20", description: "Send 0.000000000000000001 WETH to 0xab…cd" });
    const elsewhere = await resolveAction({ ...action(WETH, calldata("deposit()", []), "1"), chainId: 137 }, options);
    expect(elsewhere.resolved).toBe(false);
  });

  it("describes the Safe's owner management calls", async () => {
    const sentinel = "0x0000000000000000000000000000000000000001";
    const cases: [`0x${string}`, string][] = [
      [calldata("addOwnerWithThreshold(address owner, uint256 _threshold)", [SIGNER, 2n]), "Add signer signer.eth and set threshold to 2"],
      [calldata("removeOwner(address prevOwner, address owner, uint256 _threshold)", [sentinel, RECIPIENT, 1n]), "Remove signer 0xab…cd and set threshold to 1"],
      [calldata("swapOwner(address prevOwner, address oldOwner, address newOwner)", [sentinel, RECIPIENT, SIGNER]), "Replace signer 0xab…cd with signer.eth"],
      [calldata("changeThreshold(uint256 _threshold)", [3n]), "Change signing threshold to 3"],
    ];
    for (const [data, description] of cases) {
      const result = resolved(await resolveAction(action(SAFE, data), options));
      expect(result.description).toBe(description);
      expect(result.owner).toBe("Safe{Wallet}");
      expect(result.fields.some((f) => f.label === "Previous signer in list")).toBe(false);
    }
  });

  it("applies Safe owner management only to a Safe calling itself", async () => {
    const data = calldata("changeThreshold(uint256 _threshold)", [1n]);
    const elsewhere = await resolveAction(action(RECIPIENT, data), options);
    expect(elsewhere).toMatchObject({
      resolved: false,
      to: getAddress(RECIPIENT),
      decoded: { selector: "0x694e80c3", functionName: "changeThreshold", signature: "changeThreshold(uint256)", args: { _threshold: "1" } },
    });
    const noSender = await resolveAction({ chainId: 1, to: SAFE, data, value: "0" }, options);
    expect(noSender.resolved).toBe(false);
  });

  it("resolves plain native transfers and surfaces native value a descriptor does not show", async () => {
    const send = resolved(await resolveAction(action(RECIPIENT, "0x", "2000000000000000000"), options));
    expect(send).toMatchObject({ intent: "Send", descriptorId: "native-transfer", protocolTag: "ETH", description: "Send 2 ETH to 0xab…cd" });
    const paidTransfer = resolved(await resolveAction(action(USDC, calldata("transfer(address to, uint256 amount)", [RECIPIENT, 1_000_000n]), "1000000000000000"), options));
    expect(paidTransfer.fields.at(-1)).toEqual({ label: "Native value sent", value: "0.001 ETH" });
    expect(paidTransfer.description).toBe("Send 1 USDC to 0xab…cd (with 0.001 ETH)");
  });

  it("returns the selector and argument bytes for calls no registry knows", async () => {
    const data = calldata("frobnicate(uint256 level)", [7n]);
    const result = await resolveAction(action(RECIPIENT, data), options);
    expect(result).toEqual({
      resolved: false,
      reason: `no clear-signing descriptor for selector ${data.slice(0, 10)} on ${getAddress(RECIPIENT)} (chain 1)`,
      to: getAddress(RECIPIENT),
      decoded: { selector: data.slice(0, 10), argsHex: `0x${data.slice(10)}` },
    });
  });

  it("rejects malformed actions", async () => {
    await expect(resolveAction({ chainId: 1, to: "0x12", data: "0x", value: "0" }, options)).rejects.toThrow(InputError);
    await expect(resolveAction({ chainId: 1, to: USDC, data: "zz", value: "0" }, options)).rejects.toThrow(InputError);
    await expect(resolveAction({ chainId: 1, to: USDC, data: "0x", value: "1.5" }, options)).rejects.toThrow(InputError);
    const publicCopy = new DescriptorRegistry("registry", []);
    await expect(resolveAction(action(USDC, "0x"), { registries: [vendor, publicCopy] })).rejects.toThrow(/vendor and overlay/);
  });
});

describe("overlays", () => {
  const overlayDescriptor = {
    context: { $id: "usdc-overlay", contract: { deployments: [{ chainId: 1, address: getAddress(USDC) }] } },
    metadata: { owner: "Circle" },
    display: {
      formats: {
        "transfer(address to, uint256 amount)": {
          intent: "Send USDC",
          interpolatedIntent: "Pay {amount} to {to}",
          fields: [
            { path: "amount", label: "Amount", format: "tokenAmount", params: { token: USDC } },
            { path: "to", label: "Recipient", format: "addressName" },
          ],
        },
      },
    },
  } as Descriptor;
  const overlay = new DescriptorRegistry("overlay", [{ id: "usdc-overlay", descriptor: overlayDescriptor }]);

  it("prefers a descriptor bound to the deployment over a generic vendor one, in any registry order", async () => {
    const data = calldata("transfer(address to, uint256 amount)", [RECIPIENT, 3_000_000n]);
    for (const registries of [[vendor, overlay], [overlay, vendor]]) {
      const result = resolved(await resolveAction(action(USDC, data), { registries, provider }));
      expect(result).toMatchObject({ descriptorSource: "overlay", descriptorId: "usdc-overlay", description: "Pay 3 USDC to 0xab…cd" });
    }
  });
});

describe("overlay descriptors that nest calls or fail", () => {
  const ROUTER = "0x4040404040404040404040404040404040404040";
  const router = {
    context: { $id: "router", contract: { deployments: [{ chainId: 1, address: ROUTER }] } },
    metadata: { owner: "Router Inc" },
    display: {
      formats: {
        "execute(address target, bytes data)": {
          intent: "Execute",
          fields: [{ path: "data", label: "Call", format: "calldata", params: { calleePath: "target" } }],
        },
        "broken(uint256 a)": { intent: "Broken", fields: [{ path: "b", label: "B" }] },
      },
    },
  } as Descriptor;
  const overlay = new DescriptorRegistry("overlay", [{ id: "router", descriptor: router }]);

  it("renders a nested call with a vendor descriptor", async () => {
    const inner = calldata("transfer(address to, uint256 amount)", [RECIPIENT, 7_000_000n]);
    const result = resolved(await resolveAction(action(ROUTER, calldata("execute(address target, bytes data)", [USDC, inner])), { registries: [vendor, overlay], provider }));
    expect(result.fields).toEqual([
      {
        label: "Call",
        value: {
          intent: "Send",
          owner: "ERC-20 token",
          fields: [
            { label: "Amount", value: "7 USDC" },
            { label: "To", value: getAddress(RECIPIENT) },
          ],
          interpolatedIntent: `Send 7 USDC to ${getAddress(RECIPIENT)}`,
        },
      },
    ]);
    expect(result).toMatchObject({ descriptorSource: "overlay", description: "Execute" });
  });

  it("reports a descriptor that cannot render the call as unresolved, with the decoded call", async () => {
    const result = await resolveAction(action(ROUTER, calldata("broken(uint256 a)", [5n])), { registries: [overlay], provider });
    expect(result).toMatchObject({
      resolved: false,
      reason: expect.stringMatching(/^descriptor "router" could not render the call: no parameter "b"/),
      decoded: { functionName: "broken", args: { a: "5" } },
    });
  });
});

describe("aggregateDescription", () => {
  it("uses the first action's summary and counts the rest", async () => {
    const transfer = action(USDC, calldata("transfer(address to, uint256 amount)", [RECIPIENT, 250_000_000n]));
    const unknown = action(RECIPIENT, calldata("frobnicate(uint256 level)", [1n]));
    const one = await resolveActions([transfer], options);
    expect(aggregateDescription(one)).toBe("Send 250 USDC to 0xab…cd");
    expect(aggregateDescription(await resolveActions([transfer, unknown], options))).toBe("Send 250 USDC to 0xab…cd and 1 more action");
    expect(aggregateDescription(await resolveActions([transfer, unknown, transfer], options))).toBe("Send 250 USDC to 0xab…cd and 2 more actions");
    const [first] = await resolveActions([unknown], options);
    expect(first && aggregateDescription([first])).toBe(`Unverified call ${unknown.data.slice(0, 10)} to 0xab…cd`);
    expect(() => aggregateDescription([])).toThrow(InputError);
  });
});
