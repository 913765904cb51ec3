// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/** The part of the agent identity registry (lib/identity/contracts) the demo verifier reads. */
interface IAgentIdentityRegistryReader {
    function isVerifiedAgent(address agentAddress) external view returns (bool);
    function agentIdOf(address agentAddress) external view returns (uint256);
    function ed25519AgentAddress(bytes32 publicKey) external pure returns (address);
}

/**
 * Countersign demo verifier (seed 003's `AgentDemoVerifier`, the chain-verify demo).
 *
 * An agent signs the EIP-712 message `MetaVerify{agentKey, nonce, deadline}` off-chain; anyone (the
 * server's relayer) submits it and pays the gas. The contract checks the deadline, the agent's next
 * nonce (so a signature is used once), the signature, and that the agent is registered and verified
 * in the identity registry; then it records the verification (counters, last time) and emits
 * `AgentVerified`.
 *
 * Ed25519 agents: the EVM has no Ed25519 precompile, so an authorised attester (the relayer) checks
 * the Ed25519 signature over the same kind of EIP-712 digest (`MetaVerifyEd25519{agentKey (the public
 * key), nonce, deadline}`) off-chain and submits `attestEd25519Verification`, which keeps every other
 * check on-chain (deadline, nonce, registration) and records which attester vouched for the signature.
 *
 * No immutables: the domain separator is computed per call, so the runtime code equals the compiler's
 * deployedBytecode and a persisted devnet can tell whether its recorded contract is this build's.
 */
contract AgentDemoVerifier {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant META_VERIFY_TYPEHASH = keccak256("MetaVerify(address agentKey,uint256 nonce,uint256 deadline)");
    bytes32 public constant META_VERIFY_ED25519_TYPEHASH =
        keccak256("MetaVerifyEd25519(bytes32 agentKey,uint256 nonce,uint256 deadline)");
    bytes32 private constant NAME_HASH = keccak256("AgentDemoVerifier");
    bytes32 private constant VERSION_HASH = keccak256("1");

    error MetaTxExpired(uint256 deadline, uint256 nowTimestamp);
    error MetaTxInvalidNonce(uint256 expected, uint256 given);
    error MetaTxInvalidSignature();
    error NotVerifiedAgent(address agent);
    error NotAttester(address caller);
    error NotOwner(address caller);

    event AgentVerified(
        address indexed agent, uint256 indexed agentId, uint256 nonce, address relayer, bool ed25519, uint256 verificationCount
    );
    event AttesterSet(address indexed attester, bool authorised);

    IAgentIdentityRegistryReader public registry;
    address public owner;
    mapping(address => bool) public isAttester;

    /** The next nonce each agent (its registry address) must sign. */
    mapping(address => uint256) public nonces;
    mapping(address => uint256) public verificationCount;
    mapping(address => uint64) public lastVerifiedAt;
    uint256 public totalVerifications;

    constructor(address registry_, address owner_, address attester) {
        registry = IAgentIdentityRegistryReader(registry_);
        owner = owner_;
        if (attester != address(0)) {
            isAttester[attester] = true;
            emit AttesterSet(attester, true);
        }
    }

    function setAttester(address attester, bool authorised) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        isAttester[attester] = authorised;
        emit AttesterSet(attester, authorised);
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    /** The EIP-712 digest an EVM agent signs. */
    function metaVerifyDigest(address agentKey, uint256 nonce, uint256 deadline) public view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(
            domainSeparator(), keccak256(abi.encode(META_VERIFY_TYPEHASH, agentKey, nonce, deadline))
        );
    }

    /** The EIP-712 digest an Ed25519 agent signs (with its Ed25519 key, over these 32 bytes). */
    function metaVerifyEd25519Digest(bytes32 agentKey, uint256 nonce, uint256 deadline) public view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(
            domainSeparator(), keccak256(abi.encode(META_VERIFY_ED25519_TYPEHASH, agentKey, nonce, deadline))
        );
    }

    /** An EVM agent's signed verification, submitted by anyone. */
    function metaVerifyAgent(address agentKey, uint256 nonce, uint256 deadline, bytes calldata signature)
        external
        returns (uint256 agentId)
    {
        _checkWindow(agentKey, nonce, deadline);
        (address signer, ECDSA.RecoverError e,) = ECDSA.tryRecover(metaVerifyDigest(agentKey, nonce, deadline), signature);
        if (e != ECDSA.RecoverError.NoError || signer != agentKey) revert MetaTxInvalidSignature();
        return _record(agentKey, nonce, false);
    }

    /** An Ed25519 agent's verification: the attester checked the Ed25519 signature over `metaVerifyEd25519Digest`. */
    function attestEd25519Verification(bytes32 agentKey, uint256 nonce, uint256 deadline) external returns (uint256 agentId) {
        if (!isAttester[msg.sender]) revert NotAttester(msg.sender);
        address agent = registry.ed25519AgentAddress(agentKey);
        _checkWindow(agent, nonce, deadline);
        return _record(agent, nonce, true);
    }

    function _checkWindow(address agent, uint256 nonce, uint256 deadline) private view {
        if (block.timestamp > deadline) revert MetaTxExpired(deadline, block.timestamp);
        if (nonce != nonces[agent]) revert MetaTxInvalidNonce(nonces[agent], nonce);
    }

    function _record(address agent, uint256 nonce, bool ed25519) private returns (uint256 agentId) {
        if (!registry.isVerifiedAgent(agent)) revert NotVerifiedAgent(agent);
        agentId = registry.agentIdOf(agent);
        nonces[agent] = nonce + 1;
        uint256 count = ++verificationCount[agent];
        lastVerifiedAt[agent] = uint64(block.timestamp);
        totalVerifications++;
        emit AgentVerified(agent, agentId, nonce, msg.sender, ed25519, count);
    }
}
