import { type Account, sectionOf } from "../account/account.js";
import { INTEGRATION_UNITS } from "../integrations/registry.js";

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
 * no encryption secret, no integration secret), in the admin API's shape.
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
    ...Object.fromEntries(
      INTEGRATION_UNITS.map(({ descriptor }) => {
        const { optional, entries } = sectionOf(account, descriptor);
        return [descriptor.name, { optional, [descriptor.entriesKey]: withoutSecrets(entries) }];
      }),
    ),
  };
}
