/** Transaction helpers for the signing service: pure encoding (tx-codec) and node access (tx-rpc). */
export * from "./tx-codec";
export * from "./tx-rpc";
