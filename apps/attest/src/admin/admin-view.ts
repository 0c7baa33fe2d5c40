import type { Account } from "../account/account.js";

/** Removes the `secret` of every entry of an integration section. */
function withoutSecrets<E extends { secret: string }>(
  entries: Readonly<Record<string, E>>,
): Record<string, Omit<E, "secret">> {
  return Object.fromEntries(
    Object.entries(entries).map(([key, { secret: _secret, ...rest }]) => [key, rest]),
  );
}

/** One entry as the admin API answers it: everything but the secret. */
export function entryView<E extends { secret: string }>(entry: E): Omit<E, "secret"> {
  const { secret: _secret, ...rest } = entry;
  return rest;
}

/**
 * `GET /admin/v1/account`: the whole configuration WITHOUT secrets (no account secret,
 * no encryption secret, no integration secret), in admin-api.md's shape.
 */
export function accountView(account: Readonly<Account>) {
  return {
    siteKey: account.siteKey,
    tokenLifetimeSeconds: account.tokenLifetimeSeconds,
    refreshTokenLifetimeSeconds: account.refreshTokenLifetimeSeconds,
    apis: Object.fromEntries(
      Object.entries(account.apis).map(([domain, api]) => [
        domain,
        { allowWeb: api.allowWeb, jwe: api.jwe },
      ]),
    ),
    hcaptcha: {
      optional: account.hcaptcha.optional,
      sites: withoutSecrets(account.hcaptcha.sites),
    },
    recaptcha: {
      optional: account.recaptcha.optional,
      sites: withoutSecrets(account.recaptcha.sites),
    },
    fingerprint: {
      optional: account.fingerprint.optional,
      subscriptions: withoutSecrets(account.fingerprint.subscriptions),
    },
  };
}
