"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError } from "../api/errors";
import { FingerprintIcon } from "../icons";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { AuthCard } from "./auth-card";
import { browserPasskeyDeps } from "./browser-ceremonies";
import { authErrorMessage } from "./error-message";
import { signUpWithPasskey } from "./passkey-flows";
import { validateSignUp, type SignUpErrors } from "./sign-up-validation";

export function SignUpForm() {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<SignUpErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateSignUp({ email, name });
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    setPending(true);
    try {
      await signUpWithPasskey({ email, name }, browserPasskeyDeps);
      router.replace("/");
      router.refresh();
    } catch (caught) {
      setPending(false);
      if (caught instanceof ApiError && caught.statusCode === 409) {
        setErrors({ email: "An account with this email already exists. Sign in instead." });
        return;
      }
      setFormError(authErrorMessage(caught));
    }
  }

  return (
    <AuthCard
      title="Create your account"
      description="You will create a passkey on this device. It replaces a password and cannot be phished."
      footer={
        <>
          Already have an account?{" "}
          <Link href="/sign-in" className="font-medium text-accent-soft-fg underline-offset-2 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <form noValidate onSubmit={submit} className="space-y-4">
        <Field label="Work email" error={errors.email}>
          {(control) => (
            <Input
              {...control}
              type="email"
              name="email"
              autoComplete="email"
              inputMode="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              placeholder="you@company.com"
            />
          )}
        </Field>
        <Field label="Full name" error={errors.name}>
          {(control) => (
            <Input
              {...control}
              name="name"
              autoComplete="name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="Ada Lovelace"
            />
          )}
        </Field>
        {formError ? (
          <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
            {formError}
          </p>
        ) : null}
        <Button type="submit" size="lg" className="w-full" loading={pending} icon={<FingerprintIcon className="size-5" />}>
          Create account with passkey
        </Button>
      </form>
    </AuthCard>
  );
}
