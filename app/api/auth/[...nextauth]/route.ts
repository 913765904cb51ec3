import { handlers } from "@/lib/auth/nextauth";
import { withSignInAddressLimit } from "@/lib/auth/sign-in-limits";

export const { GET } = handlers;

/**
 * next-auth has no sign-in provider here (sign-in is seed 000's passkey and SIWE routes), but its
 * POSTs (sign-in, sign-out, callbacks) still count against the same per-address sign-in limit.
 */
export const POST = withSignInAddressLimit((req: Request) => handlers.POST(req as Parameters<typeof handlers.POST>[0]));
