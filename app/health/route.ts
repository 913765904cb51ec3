import { health as contract } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { health } from "@/lib/system/health";

export const dynamic = "force-dynamic";

export const GET = handle(contract, async () => {
  const h = await health();
  return h.status === "ok" ? { status: 200, body: h } : { status: 503, body: h };
});
