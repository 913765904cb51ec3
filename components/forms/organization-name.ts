export const ORGANIZATION_NAME_MAX = 80;

export function validateOrganizationName(raw: string): string | null {
  const name = raw.trim();
  if (!name) return "Enter a name for the organization.";
  if (name.length > ORGANIZATION_NAME_MAX) return `Keep the name under ${ORGANIZATION_NAME_MAX} characters.`;
  return null;
}
