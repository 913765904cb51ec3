/** CGGMP24 zero-knowledge proofs (spec §2.7, §4). Every verify* throws ProofError naming its check. */
export * from "./sch";
export * from "./enc-elg";
export * from "./aff-g";
export * from "./elog";
export * from "./prm";
export * from "./mod";
export * from "./fac";
export {
  decodeModElement,
  decodeSigned,
  encodeModElement,
  encodeSigned,
  inSymmetric,
  isqrt,
  sampleSymmetric,
} from "./common";
