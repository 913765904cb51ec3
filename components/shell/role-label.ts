import type { OrganizationRole } from "../api/types";

const labels: Record<OrganizationRole, string> = {
  owner: "Owner",
  admin: "Admin",
  approver: "Approver",
  viewer: "Viewer",
};

export function roleLabel(role: OrganizationRole): string {
  return labels[role];
}

export function canManageMembers(role: OrganizationRole): boolean {
  return role === "owner" || role === "admin";
}
