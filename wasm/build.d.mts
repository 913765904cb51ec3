export declare const SOURCE: string;
export declare const OUT_WASM: string;
export declare const OUT_TS: string;
export declare function compileKernels(): Promise<Uint8Array>;
export declare function renderBinaryModule(bytes: Uint8Array): string;
