import { metrics as contract } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { authorizeScrape, scrapeResponse } from "@/lib/ops/scrape";

export const dynamic = "force-dynamic";

export const GET = handle(contract, async ({ req }) => {
  authorizeScrape(req);
  return scrapeResponse();
});
