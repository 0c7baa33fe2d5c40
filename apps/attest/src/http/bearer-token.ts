/** `Bearer <token>`: the scheme case-insensitive, the token visible ASCII (RFC 6750 allows less). */
const BEARER = /^Bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;

/**
 * The token of an `Authorization: Bearer <token>` header, or undefined when the header is
 * absent or not that form. Callers compare it in constant time (secretsEqual).
 */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}
