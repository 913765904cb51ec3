/**
 * Public API of the CGGMP24 library: threshold keygen, aux-info generation and interactive signing as
 * serialisable state machines, plus key-share codecs, Lagrange mapping and the wire envelope checks.
 * Building blocks (Paillier, ring-Pedersen, proofs, big-int backends) stay internal to lib/mpc.
 */
export {
  cloneJson,
  deserializeState,
  isAborted,
  isContinue,
  isFinished,
  MESSAGE_VERSION,
  PeerFault,
  serializeState,
  STATE_VERSION,
  StateError,
  type Aborted,
  type Continue,
  type Finished,
  type Message,
  type ProtocolBlame,
  type ProtocolName,
  type StateBase,
  type StepResult,
} from "./protocol";
export { MessageRejected, type RejectCheck, type RoundShape } from "./wire";
export { keygen, startKeygen, stepKeygen, type KeygenParams, type KeygenPhase, type KeygenState } from "./keygen";
export {
  aux,
  generateAuxPrimes,
  startAux,
  startAuxParallel,
  startAuxWork,
  stepAux,
  stepAuxParallel,
  stepAuxWork,
  type AuxParams,
  type AuxPhase,
  type AuxPrimes,
  type AuxState,
  type PrimeProgress,
} from "./aux";
export { sign, startSign, stepSign, type EcdsaSignature, type SignParams, type SignPhase, type SignState, type SignStepOptions } from "./sign";
export {
  freshMask,
  freshNonce,
  isMaskDemand,
  maskSlotKey,
  maskSlots,
  NoncePool,
  nonceFor,
  ownPaillierKey,
  publicPaillierKey,
  scaleDemand,
  sessionMaskDemand,
  signSessionNonceDemand,
  signStartNonceDemand,
  signStepNonceDemand,
  type MaskSlot,
  type NonceDemand,
  type NonceDemandEntry,
  type NoncePower,
  type NonceSource,
  type PedersenMask,
} from "./nonces";
export { assertSignerSet, lagrangeCoefficient, toAdditive, type AdditiveShares } from "./lagrange";
export {
  decodeAuxInfo,
  decodeCoreShare,
  decodeKeyShare,
  encodeKeyShare,
  KEY_SHARE_VERSION,
  KeyShareError,
  validateKeyShare,
  type AuxInfo,
  type AuxPublic,
  type CoreKeyShare,
  type KeyShare,
} from "./key-share";
export { deriveSid, type SidInput, type SidParticipant } from "./transcript";
export { FAST_TEST, PRODUCTION, PROTOCOL_VERSION, type SecurityProfile } from "./params";
export { BlameError, EncodingError, MpcError, ParameterError, ProofError, type Blame } from "./errors";
export { runWork, runWorkAsync, type RepetitionRunner, type Work } from "./proofs/repetitions";
export { browserRepetitionPool, RepetitionPool } from "./worker/repetition-pool";
export { MpcWorkerClient, runWorkers, WorkerFailure, type WorkerLike, type WorkerOutcome } from "./worker/worker-client";
export type { AuxPrimesHex, PrimeProgressEvent, ProfileName, WorkerRequest, WorkerResponse } from "./worker/messages";
