import NextAuth from "next-auth";
import { env } from "@/lib/config/env";
import { authSecret } from "./secret";
import { sessionCookieName } from "./session";

/**
 * next-auth owns the session cookie format (an encrypted JWT). Sign-in itself happens through our
 * seed-000 endpoints (passkey, SIWE), which mint the same cookie with next-auth's `encode`; this
 * instance serves /api/auth/* (session, csrf) and `auth()` for server components.
 */
export const { handlers, auth } = NextAuth(async () => ({
  secret: await authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: env().SESSION_MAX_AGE_SECONDS },
  cookies: { sessionToken: { name: sessionCookieName(), options: { httpOnly: true, sameSite: "lax", path: "/", secure: env().origin.startsWith("https://") } } },
  pages: { signIn: "/sign-in" },
  providers: [],
  callbacks: {
    session: ({ session, token }) => ({ ...session, sid: token.sid }),
  },
}));
