import { demoChat as contract } from "@/lib/api/demo";
import { handle } from "@/lib/http/handle";
import { ServiceUnavailableError } from "@/lib/http/errors";

/** Seed 003's LangChain chat: no LLM endpoint is configured on this server, so it answers 503 (after verifying a signature when one is sent). */
export const POST = handle(contract, async () => {
  throw new ServiceUnavailableError("Service not configured");
});
