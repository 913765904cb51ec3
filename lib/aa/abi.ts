/** Pure: the parts of the v0.7 contracts the server calls (lib/aa). */
import { parseAbi, parseAbiItem } from "viem";

/** The canonical EntryPoint v0.7 (CREATE2 through the deterministic deployer; the npm artifact lands there). */
export const ENTRY_POINT_V07 = "0x0000000071727De22E5E9d8BAf0edAc6f37da032" as const;
/** Arachnid's deterministic deployment proxy (present on anvil and most chains). */
export const DETERMINISTIC_DEPLOYER = "0x4e59b44847b379578588920ca78fbf26c0b4956c" as const;
/** The salt the EntryPoint v0.7 was deployed with everywhere. */
export const ENTRY_POINT_V07_SALT = "0x90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3" as const;

export const entryPointAbi = parseAbi([
  "function balanceOf(address account) view returns (uint256)",
  "function depositTo(address account) payable",
  "function getNonce(address sender, uint192 key) view returns (uint256)",
  "function getDepositInfo(address account) view returns ((uint256 deposit, bool staked, uint112 stake, uint32 unstakeDelaySec, uint48 withdrawTime) info)",
]);

export const simpleAccountFactoryAbi = parseAbi([
  "function createAccount(address owner, uint256 salt) returns (address)",
  "function getAddress(address owner, uint256 salt) view returns (address)",
  "function accountImplementation() view returns (address)",
]);

export const verifyingPaymasterAbi = parseAbi([
  "struct PackedUserOperation { address sender; uint256 nonce; bytes initCode; bytes callData; bytes32 accountGasLimits; uint256 preVerificationGas; bytes32 gasFees; bytes paymasterAndData; bytes signature; }",
  "function getHash(PackedUserOperation userOp, uint48 validUntil, uint48 validAfter) view returns (bytes32)",
  "function verifyingSigner() view returns (address)",
  "function entryPoint() view returns (address)",
  "function owner() view returns (address)",
  "function deposit() payable",
  "function getDeposit() view returns (uint256)",
  "function addStake(uint32 unstakeDelaySec) payable",
]);

/** lib/aa/contracts/PasskeyAccount.sol's factory: accounts owned by a WebAuthn P-256 key (qx, qy). */
export const passkeyAccountFactoryAbi = parseAbi([
  "function createAccount(bytes32 qx, bytes32 qy, uint256 salt) returns (address)",
  "function getAddress(bytes32 qx, bytes32 qy, uint256 salt) view returns (address)",
  "function entryPoint() view returns (address)",
]);

/** What the EntryPoint emits for every executed operation: `actualGasCost` is what it took from the paymaster's deposit. */
export const userOperationEvent = parseAbiItem(
  "event UserOperationEvent(bytes32 indexed userOpHash, address indexed sender, address indexed paymaster, uint256 nonce, bool success, uint256 actualGasCost, uint256 actualGasUsed)",
);
