import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { deviceSchema, registerDeviceBody } from "@/lib/api/devices";
import type { DbOrTx } from "@/lib/db/client";
import type { Device } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { endpointHostProblem } from "./endpoint-guard";

/**
 * Devices: one browser push subscription of one user in one organization. The subscription's
 * auth secret is sealed (context bound to the device id) and never leaves the server again.
 */
export type RegisterDeviceInput = z.output<typeof registerDeviceBody>;
export type PublicDevice = z.input<typeof deviceSchema>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const authContext = (deviceId: string) => `push-auth:${deviceId}`;

function b64url(value: string, field: string, bytes: number, check?: (b: Buffer) => boolean): Buffer {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) throw new BadRequestError(`${field} must be base64url`, [{ field, message: "Must be base64url" }]);
  const buf = Buffer.from(value.replace(/=+$/, ""), "base64url");
  if (buf.length !== bytes || (check && !check(buf))) throw new BadRequestError(`${field} is not a valid push subscription key`, [{ field, message: `Must decode to ${bytes} bytes` }]);
  return buf;
}

/** A readable name from the User-Agent ("Chrome on Android"), for the devices list. */
export function deviceName(userAgent: string | null | undefined): string {
  const ua = userAgent ?? "";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad|iOS/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS" : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : null;
  return os ? `${browser} on ${os}` : browser;
}

export function publicDevice(d: Device): PublicDevice {
  return {
    id: d.id,
    endpoint: d.endpoint,
    p256dh: d.p256dh,
    auth: "redacted",
    agentAddress: d.agentAddress,
    executionMode: d.executionMode === "safe" ? "safe" : "relay",
    safeAddress: d.safeAddress,
    maxActions: d.maxActions,
    supportsNotificationActions: d.supportsNotificationActions,
    supportsRequireInteraction: d.supportsRequireInteraction,
    createdAt: d.createdAt.getTime(),
  };
}

export async function registerDevice(db: DbOrTx, input: { organizationId: string; userId: string; userAgent?: string | null; body: RegisterDeviceInput }): Promise<Device> {
  const { subscription, capabilities } = input.body;
  let endpoint: URL;
  try {
    endpoint = new URL(subscription.endpoint);
  } catch {
    throw new BadRequestError("subscription.endpoint must be a URL", [{ field: "subscription.endpoint", message: "Must be an https URL" }]);
  }
  if (endpoint.protocol !== "https:") throw new BadRequestError("subscription.endpoint must be an https URL", [{ field: "subscription.endpoint", message: "Must be an https URL" }]);
  const hostProblem = endpointHostProblem(endpoint);
  if (hostProblem) throw new BadRequestError(`subscription.endpoint: ${hostProblem}`, [{ field: "subscription.endpoint", message: hostProblem }]);
  b64url(subscription.keys.p256dh, "subscription.keys.p256dh", 65, (b) => b[0] === 4);
  const auth = b64url(subscription.keys.auth, "subscription.keys.auth", 16);

  const existing = await db.device.findUnique({ where: { organizationId_endpoint: { organizationId: input.organizationId, endpoint: subscription.endpoint } } });
  if (existing) throw new ConflictError("This push subscription is already registered");

  const id = randomUUID();
  try {
    return await db.device.create({
      data: {
        id,
        organizationId: input.organizationId,
        userId: input.userId,
        endpoint: subscription.endpoint,
        p256dh: subscription.keys.p256dh,
        authSealed: sealSecret(auth, authContext(id)) as object,
        expirationTime: subscription.expirationTime == null ? null : new Date(subscription.expirationTime),
        name: deviceName(input.userAgent),
        userAgent: input.userAgent?.slice(0, 512) ?? null,
        agentAddress: input.body.agentAddress ?? null,
        executionMode: input.body.executionMode ?? (input.body.safeAddress ? "safe" : "relay"),
        safeAddress: input.body.safeAddress ?? null,
        maxActions: capabilities?.maxActions ?? null,
        supportsNotificationActions: capabilities?.supportsNotificationActions ?? true,
        supportsRequireInteraction: capabilities?.supportsRequireInteraction ?? true,
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new ConflictError("This push subscription is already registered");
    throw err;
  }
}

export async function listDevices(db: DbOrTx, organizationId: string): Promise<Device[]> {
  return db.device.findMany({ where: { organizationId }, orderBy: { createdAt: "desc" } });
}

/** One device of the organization; 404 for unknown ids and other organizations' devices alike. */
export async function getDevice(db: DbOrTx, organizationId: string, id: string): Promise<Device> {
  const d = UUID.test(id) ? await db.device.findFirst({ where: { id, organizationId } }) : null;
  if (!d) throw new NotFoundError("Device not found");
  return d;
}

/** Who acts on a device: its owner, or an owner/admin of the organization (removal only). */
export type DeviceActor = { userId: string; role: Role | null };

const MANAGES_ALL_DEVICES: readonly Role[] = ["owner", "admin"];

/**
 * A member removes only their own devices; owners and admins may remove anyone's (the caller
 * audits it, naming whose device it was).
 */
export async function deleteDevice(db: DbOrTx, organizationId: string, id: string, actor: DeviceActor): Promise<Device> {
  const d = await getDevice(db, organizationId, id);
  if (d.userId !== actor.userId && !(actor.role && MANAGES_ALL_DEVICES.includes(actor.role))) throw new ForbiddenError("You can remove only your own devices");
  await db.device.delete({ where: { id: d.id } });
  return d;
}

/** The subscription as web-push needs it (auth secret unsealed in memory only). */
export function subscriptionOf(d: Device) {
  const auth = Buffer.from(openSecret(d.authSealed as unknown as SealedBlob, authContext(d.id))).toString("base64url");
  return { endpoint: d.endpoint, keys: { p256dh: d.p256dh, auth } };
}
