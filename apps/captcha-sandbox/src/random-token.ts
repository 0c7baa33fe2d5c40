import { randomBytes } from "node:crypto";

/** A response token in hCaptcha's style: "P1_" + 48 random bytes, unguessable. */
export function newResponseToken(): string {
  return `P1_${randomBytes(48).toString("base64url")}`;
}

/** A response key (`getRespKey()`), "E0_" + 24 random bytes. */
export function newResponseKey(): string {
  return `E0_${randomBytes(24).toString("base64url")}`;
}

/** A reCAPTCHA response token in Google's style: "03A" + 120 random bytes, unguessable. */
export function newRecaptchaToken(): string {
  return `03A${randomBytes(120).toString("base64url")}`;
}
