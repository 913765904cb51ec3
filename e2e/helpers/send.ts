import { expect, type Locator } from "@playwright/test";
import { getAddress, type Address, type Hex, type PublicClient } from "viem";

/**
 * After "Sign and send": the dialog reports the transaction mined; the chain agrees it succeeded,
 * came from the signer and left `recipient` with `balance`; the dialog then closes.
 */
export async function expectMinedAndClose(dialog: Locator, chain: Pick<PublicClient, "getTransactionReceipt" | "getBalance">, expected: { from: string; recipient: Address; balance: bigint }) {
  await expect(dialog.getByTestId("send-status")).toContainText(/Mined in block \d+/, { timeout: 300_000 });
  const txHash = ((await dialog.getByTestId("send-tx-hash").textContent()) ?? "").trim() as Hex;
  const receipt = await chain.getTransactionReceipt({ hash: txHash });
  expect(receipt.status).toBe("success");
  expect(getAddress(receipt.from)).toBe(getAddress(expected.from));
  expect(await chain.getBalance({ address: expected.recipient })).toBe(expected.balance);
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(dialog).toBeHidden();
}
