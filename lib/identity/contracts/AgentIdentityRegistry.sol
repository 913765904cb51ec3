// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ERC721Enumerable} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Enumerable.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/**
 * Countersign agent identity registry (seed 003, Self Agent ID style).
 *
 * One soulbound (non-transferable) ERC-721 per agent. Only an authorised proof provider mints, with
 * the human's nullifier (a proof-of-personhood identifier that is the same for every proof the
 * same human makes under this registry's scope), the agent's key (an EVM address, or an Ed25519
 * public key whose derived address stands in for it), the verification strength and the credential
 * disclosures. A nullifier holds at most `maxAgentsPerHuman` live agents (default 1). Deregistration
 * burns the token. `tokenURI` is an ERC-8004-style registration file as a data: URI.
 *
 * A human's own account may also submit its registration (`registerAgentWithAttestation`, the
 * smartwallet mode: a passkey smart account through an ERC-4337 bundler) with the proof provider's
 * EIP-712 attestation of it; the token goes to that account.
 */
contract AgentIdentityRegistry is ERC721Enumerable, Ownable {
    using Strings for uint256;
    using Strings for address;

    struct Credentials {
        string nationality; // ISO 3166-1 alpha-3 (or empty when not disclosed)
        uint8 olderThan; // 0 when not disclosed
        bool[3] ofac; // OFAC list flags (passport number, name+DOB, name+YOB)
    }

    struct Metadata {
        string name;
        string description;
        string a2aEndpoint; // A2A agent card URL
        string mcpEndpoint; // MCP server URL (may be empty)
    }

    struct Registration {
        uint256 nullifier;
        address agentAddress; // zero for an Ed25519 agent
        bytes32 ed25519Key; // zero for an EVM agent
        address humanAddress; // the token holder in linked modes; zero in wallet-free modes
        uint8 verificationStrength; // 1 basic, 2 standard, 3 enhanced
        Credentials credentials;
        Metadata metadata;
    }

    struct AgentRecord {
        uint256 nullifier;
        address agentAddress;
        bytes32 ed25519Key;
        address humanAddress;
        address proofProvider;
        uint8 verificationStrength;
        uint64 registeredAt;
        uint64 registeredAtBlock;
        uint64 proofRefreshedAt;
        Credentials credentials;
        Metadata metadata;
    }

    error NotProofProvider(address caller);
    error Soulbound();
    error InvalidAgentKey();
    error AgentKeyAlreadyRegistered(address agentAddress);
    error TooManyAgentsForHuman(uint256 count, uint256 max);
    error InvalidStrength(uint8 strength);
    error InvalidMetadata();
    error InvalidMaxAgents();
    error AgentNotFound(uint256 agentId);
    error NullifierMismatch();
    error AttestationExpired(uint256 deadline);
    error AttestationUsed();
    error NotHumanAccount(address caller);

    event ProofProviderSet(address indexed provider, bool authorised);
    event MaxAgentsPerHumanSet(uint256 max);
    event AgentRegistered(uint256 indexed agentId, address indexed agentAddress, uint256 indexed nullifier, address proofProvider, uint8 verificationStrength);
    event ProofRefreshed(uint256 indexed agentId, address proofProvider, uint8 verificationStrength);
    event AgentDeregistered(uint256 indexed agentId, address indexed agentAddress, uint256 indexed nullifier);

    mapping(address => bool) public isProofProvider;
    uint256 public maxAgentsPerHuman = 1;
    uint256 public nextAgentId = 1;

    mapping(uint256 => AgentRecord) private _records;
    mapping(address => uint256) private _agentIdByAddress;
    mapping(uint256 => uint256[]) private _agentsByNullifier;
    mapping(uint256 => uint256) private _indexInNullifier;
    /** EIP-712 digests of attestations already used (an attestation registers once). */
    mapping(bytes32 => bool) public attestationUsed;

    bytes32 private constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /** `registration` is keccak256(abi.encode(Registration)). */
    bytes32 public constant ATTESTATION_TYPEHASH = keccak256("RegistrationAttestation(bytes32 registration,uint256 deadline)");

    constructor(address initialOwner) ERC721("Countersign Agent Identity", "AGENT") Ownable(initialOwner) {}

    modifier onlyProofProvider() {
        if (!isProofProvider[msg.sender]) revert NotProofProvider(msg.sender);
        _;
    }

    // ---- administration -------------------------------------------------------------------

    function setProofProvider(address provider, bool authorised) external onlyOwner {
        isProofProvider[provider] = authorised;
        emit ProofProviderSet(provider, authorised);
    }

    function setMaxAgentsPerHuman(uint256 max) external onlyOwner {
        if (max == 0) revert InvalidMaxAgents();
        maxAgentsPerHuman = max;
        emit MaxAgentsPerHumanSet(max);
    }

    // ---- registration ---------------------------------------------------------------------

    /** The address an Ed25519 agent is known by: the last 20 bytes of keccak256(publicKey). */
    function ed25519AgentAddress(bytes32 publicKey) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked(publicKey)))));
    }

    function registerAgent(Registration calldata r) external onlyProofProvider returns (uint256 agentId) {
        return _register(r, msg.sender);
    }

    /**
     * The human's account registers itself (`msg.sender` must be `r.humanAddress`) with an authorised
     * provider's EIP-712 signature over the registration and a deadline. Each attestation counts once.
     */
    function registerAgentWithAttestation(Registration calldata r, uint256 deadline, bytes calldata providerSignature) external returns (uint256 agentId) {
        if (block.timestamp > deadline) revert AttestationExpired(deadline);
        if (r.humanAddress == address(0) || msg.sender != r.humanAddress) revert NotHumanAccount(msg.sender);
        bytes32 digest = attestationDigest(r, deadline);
        if (attestationUsed[digest]) revert AttestationUsed();
        address provider = ECDSA.recover(digest, providerSignature);
        if (!isProofProvider[provider]) revert NotProofProvider(provider);
        attestationUsed[digest] = true;
        return _register(r, provider);
    }

    /** The EIP-712 digest a provider signs (domain "Countersign Agent Identity", version "1", this chain and registry). */
    function attestationDigest(Registration calldata r, uint256 deadline) public view returns (bytes32) {
        bytes32 domain = keccak256(abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256("Countersign Agent Identity"), keccak256("1"), block.chainid, address(this)));
        bytes32 structHash = keccak256(abi.encode(ATTESTATION_TYPEHASH, keccak256(abi.encode(r)), deadline));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _register(Registration calldata r, address provider) private returns (uint256 agentId) {
        address agent = r.agentAddress;
        if ((agent == address(0)) == (r.ed25519Key == bytes32(0))) revert InvalidAgentKey();
        if (agent == address(0)) agent = ed25519AgentAddress(r.ed25519Key);
        if (_agentIdByAddress[agent] != 0) revert AgentKeyAlreadyRegistered(agent);
        if (r.verificationStrength == 0 || r.verificationStrength > 3) revert InvalidStrength(r.verificationStrength);
        _checkMetadata(r.metadata);
        _checkText(r.credentials.nationality);
        uint256 count = _agentsByNullifier[r.nullifier].length;
        if (count >= maxAgentsPerHuman) revert TooManyAgentsForHuman(count, maxAgentsPerHuman);

        agentId = nextAgentId++;
        AgentRecord storage rec = _records[agentId];
        rec.nullifier = r.nullifier;
        rec.agentAddress = agent;
        rec.ed25519Key = r.ed25519Key;
        rec.humanAddress = r.humanAddress;
        rec.proofProvider = provider;
        rec.verificationStrength = r.verificationStrength;
        rec.registeredAt = uint64(block.timestamp);
        rec.registeredAtBlock = uint64(block.number);
        rec.proofRefreshedAt = uint64(block.timestamp);
        rec.credentials = r.credentials;
        rec.metadata = r.metadata;
        _agentIdByAddress[agent] = agentId;
        _indexInNullifier[agentId] = count;
        _agentsByNullifier[r.nullifier].push(agentId);

        _safeMintNoCallback(r.humanAddress != address(0) ? r.humanAddress : agent, agentId);
        emit AgentRegistered(agentId, agent, r.nullifier, provider, r.verificationStrength);
    }

    /** A fresh proof by the same human: new strength, credentials and freshness time. */
    function refreshProof(uint256 agentId, uint256 nullifier, uint8 verificationStrength, Credentials calldata credentials)
        external
        onlyProofProvider
    {
        AgentRecord storage rec = _live(agentId);
        if (rec.nullifier != nullifier) revert NullifierMismatch();
        if (verificationStrength == 0 || verificationStrength > 3) revert InvalidStrength(verificationStrength);
        _checkText(credentials.nationality);
        rec.verificationStrength = verificationStrength;
        rec.credentials = credentials;
        rec.proofProvider = msg.sender;
        rec.proofRefreshedAt = uint64(block.timestamp);
        emit ProofRefreshed(agentId, msg.sender, verificationStrength);
    }

    /** Burns the agent's token after the human proved again (the provider passes the nullifier). */
    function deregisterAgent(uint256 agentId, uint256 nullifier) external onlyProofProvider {
        AgentRecord storage rec = _live(agentId);
        if (rec.nullifier != nullifier) revert NullifierMismatch();
        _remove(agentId, rec);
    }

    /** The token holder may also burn its own agent. */
    function burn(uint256 agentId) external {
        AgentRecord storage rec = _live(agentId);
        _checkAuthorized(_ownerOf(agentId), msg.sender, agentId);
        _remove(agentId, rec);
    }

    // ---- queries --------------------------------------------------------------------------

    function getAgent(uint256 agentId) external view returns (AgentRecord memory) {
        return _live(agentId);
    }

    function agentIdOf(address agentAddress) external view returns (uint256) {
        return _agentIdByAddress[agentAddress];
    }

    function isVerifiedAgent(address agentAddress) external view returns (bool) {
        uint256 id = _agentIdByAddress[agentAddress];
        return id != 0 && isProofProvider[_records[id].proofProvider];
    }

    function humanAgentCount(uint256 nullifier) external view returns (uint256) {
        return _agentsByNullifier[nullifier].length;
    }

    function agentsOfNullifier(uint256 nullifier) external view returns (uint256[] memory) {
        return _agentsByNullifier[nullifier];
    }

    function agentsOfHolder(address holder) external view returns (uint256[] memory ids) {
        uint256 n = balanceOf(holder);
        ids = new uint256[](n);
        for (uint256 i = 0; i < n; i++) ids[i] = tokenOfOwnerByIndex(holder, i);
    }

    /** True when both agents are live and were registered by the same human. */
    function sameHuman(uint256 agentA, uint256 agentB) external view returns (bool) {
        if (_ownerOf(agentA) == address(0) || _ownerOf(agentB) == address(0)) return false;
        return _records[agentA].nullifier == _records[agentB].nullifier;
    }

    /** ERC-8004-style registration file, as a base64 JSON data: URI. */
    function tokenURI(uint256 agentId) public view override returns (string memory) {
        AgentRecord storage rec = _live(agentId);
        Metadata storage m = rec.metadata;
        string memory caip10 = string.concat("eip155:", block.chainid.toString(), ":");
        bytes memory endpoints = abi.encodePacked('{"name":"A2A","endpoint":"', m.a2aEndpoint, '","version":"0.3.0"}');
        if (bytes(m.mcpEndpoint).length != 0) {
            endpoints = abi.encodePacked(endpoints, ',{"name":"MCP","endpoint":"', m.mcpEndpoint, '"}');
        }
        endpoints = abi.encodePacked(endpoints, ',{"name":"agentWallet","endpoint":"', caip10, rec.agentAddress.toChecksumHexString(), '"}');
        bytes memory json = abi.encodePacked(
            '{"type":"https://eips.ethereum.org/EIPS/eip-8004#registration-v1","name":"',
            m.name,
            '","description":"',
            m.description,
            '","endpoints":[',
            endpoints,
            '],"registrations":[{"agentId":',
            agentId.toString(),
            ',"agentRegistry":"',
            caip10,
            address(this).toChecksumHexString(),
            '"}],"supportedTrust":["proof-of-human"]}'
        );
        return string.concat("data:application/json;base64,", Base64.encode(json));
    }

    // ---- soulbound ------------------------------------------------------------------------

    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        address from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0)) revert Soulbound();
        return super._update(to, tokenId, auth);
    }

    function approve(address, uint256) public pure override(ERC721, IERC721) {
        revert Soulbound();
    }

    function setApprovalForAll(address, bool) public pure override(ERC721, IERC721) {
        revert Soulbound();
    }

    // ---- internals ------------------------------------------------------------------------

    function _safeMintNoCallback(address to, uint256 tokenId) private {
        // A plain mint: a soulbound identity must not depend on the holder contract accepting it.
        _mint(to, tokenId);
    }

    function _live(uint256 agentId) private view returns (AgentRecord storage rec) {
        if (_ownerOf(agentId) == address(0)) revert AgentNotFound(agentId);
        return _records[agentId];
    }

    function _remove(uint256 agentId, AgentRecord storage rec) private {
        uint256 nullifier = rec.nullifier;
        address agent = rec.agentAddress;
        uint256[] storage list = _agentsByNullifier[nullifier];
        uint256 i = _indexInNullifier[agentId];
        uint256 last = list[list.length - 1];
        list[i] = last;
        _indexInNullifier[last] = i;
        list.pop();
        delete _indexInNullifier[agentId];
        delete _agentIdByAddress[agent];
        delete _records[agentId];
        _burn(agentId);
        emit AgentDeregistered(agentId, agent, nullifier);
    }

    function _checkMetadata(Metadata calldata m) private pure {
        _checkText(m.name);
        _checkText(m.description);
        _checkText(m.a2aEndpoint);
        _checkText(m.mcpEndpoint);
        if (bytes(m.name).length == 0) revert InvalidMetadata();
    }

    /** Strings end up inside JSON: no quote, backslash or control character, at most 512 bytes. */
    function _checkText(string calldata s) private pure {
        bytes calldata b = bytes(s);
        if (b.length > 512) revert InvalidMetadata();
        for (uint256 i = 0; i < b.length; i++) {
            bytes1 c = b[i];
            if (c < 0x20 || c == 0x22 || c == 0x5c || c == 0x7f) revert InvalidMetadata();
        }
    }
}
