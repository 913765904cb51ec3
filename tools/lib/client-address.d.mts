import type { IncomingMessage } from "node:http";
export declare const CLIENT_IP_HEADER: "x-countersign-client-ip";
export declare function stampClientAddress<R extends IncomingMessage>(req: R): R;
