const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(raw: string): string | null {
  const email = raw.trim();
  if (!email) return "Enter an email address.";
  if (!EMAIL_PATTERN.test(email) || email.length > 254) return "Enter a valid email address.";
  return null;
}
