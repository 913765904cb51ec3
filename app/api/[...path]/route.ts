import { notFound } from "@/lib/api/system";
import { handle } from "@/lib/http/handle";
import { NotFoundError } from "@/lib/http/errors";

/** Unknown API paths answer in the API's error shape, not with the dashboard's HTML 404 page. */
const unknown = handle(notFound, async ({ req }) => {
  throw new NotFoundError(`No route for ${req.method} ${new URL(req.url).pathname}`);
});

export { unknown as GET, unknown as POST, unknown as PUT, unknown as PATCH, unknown as DELETE };
