import { validateEmail } from "../forms/email";

export interface SignUpFields {
  email: string;
  name: string;
}

export type SignUpErrors = Partial<Record<keyof SignUpFields, string>>;

export function validateSignUp(fields: SignUpFields): SignUpErrors {
  const errors: SignUpErrors = {};
  const emailError = validateEmail(fields.email);
  if (emailError) errors.email = emailError;
  const name = fields.name.trim();
  if (!name) errors.name = "Enter your name.";
  else if (name.length > 100) errors.name = "Keep your name under 100 characters.";
  return errors;
}
