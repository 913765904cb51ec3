// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BaseAccount} from "@account-abstraction/contracts/core/BaseAccount.sol";
import {SIG_VALIDATION_FAILED, SIG_VALIDATION_SUCCESS} from "@account-abstraction/contracts/core/Helpers.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {WebAuthn} from "@openzeppelin/contracts/utils/cryptography/WebAuthn.sol";

/**
 * An ERC-4337 v0.7 account owned by one passkey: a WebAuthn P-256 public key (qx, qy). A UserOperation
 * is valid when its signature is `abi.encode(WebAuthn.WebAuthnAuth)` of an assertion whose challenge
 * is the userOpHash, with user presence and user verification (OpenZeppelin's WebAuthn library; P-256
 * through the RIP-7212 precompile where the chain has it, else in Solidity). `execute`/`executeBatch`
 * have SimpleAccount's signatures, so the same call encoding serves both.
 */
contract PasskeyAccount is BaseAccount {
    IEntryPoint private immutable _entryPoint;
    bytes32 public immutable qx;
    bytes32 public immutable qy;

    error NotFromEntryPoint(address caller);
    error LengthMismatch();

    constructor(IEntryPoint anEntryPoint, bytes32 x, bytes32 y) {
        _entryPoint = anEntryPoint;
        qx = x;
        qy = y;
    }

    receive() external payable {}

    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    function execute(address dest, uint256 value, bytes calldata func) external {
        _requireFromEntryPoint();
        _call(dest, value, func);
    }

    function executeBatch(address[] calldata dest, uint256[] calldata value, bytes[] calldata func) external {
        _requireFromEntryPoint();
        if (dest.length != func.length || (value.length != 0 && value.length != func.length)) revert LengthMismatch();
        for (uint256 i = 0; i < dest.length; i++) _call(dest[i], value.length == 0 ? 0 : value[i], func[i]);
    }

    function _requireFromEntryPoint() internal view override {
        if (msg.sender != address(_entryPoint)) revert NotFromEntryPoint(msg.sender);
    }

    function _validateSignature(PackedUserOperation calldata userOp, bytes32 userOpHash) internal view override returns (uint256) {
        (bool decoded, WebAuthn.WebAuthnAuth calldata auth) = WebAuthn.tryDecodeAuth(userOp.signature);
        if (!decoded) return SIG_VALIDATION_FAILED;
        return WebAuthn.verify(abi.encodePacked(userOpHash), auth, qx, qy, true) ? SIG_VALIDATION_SUCCESS : SIG_VALIDATION_FAILED;
    }

    function _call(address target, uint256 value, bytes calldata data) private {
        (bool success, bytes memory result) = target.call{value: value}(data);
        if (!success) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
    }
}

/** Deploys PasskeyAccounts with CREATE2: the address follows from (qx, qy, salt) before deployment (counterfactual). */
contract PasskeyAccountFactory {
    IEntryPoint public immutable entryPoint;

    constructor(IEntryPoint anEntryPoint) {
        entryPoint = anEntryPoint;
    }

    /** Returns the account, deploying it first when it has no code yet (the UserOperation's factory call). */
    function createAccount(bytes32 qx, bytes32 qy, uint256 salt) external returns (PasskeyAccount) {
        address addr = getAddress(qx, qy, salt);
        if (addr.code.length > 0) return PasskeyAccount(payable(addr));
        return new PasskeyAccount{salt: bytes32(salt)}(entryPoint, qx, qy);
    }

    function getAddress(bytes32 qx, bytes32 qy, uint256 salt) public view returns (address) {
        return Create2.computeAddress(bytes32(salt), keccak256(abi.encodePacked(type(PasskeyAccount).creationCode, abi.encode(entryPoint, qx, qy))));
    }
}
