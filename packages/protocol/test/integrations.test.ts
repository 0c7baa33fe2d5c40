import { describe, expect, it } from "vitest";
import {
  ALL_ERROR_CODES,
  ENDPOINT_PARAMS,
  embedKey,
  INTEGRATIONS,
  integrationOfEmbedKey,
  integrationOfParam,
  integrationOfTokenCheckCode,
  integrationParams,
  isErrorCode,
} from "../src/index.js";

const codesOf = (d: (typeof INTEGRATIONS)[number]): string[] => [
  ...Object.values(d.codes),
  ...Object.values(d.emptyCodes),
];

describe("the integration descriptors", () => {
  it("name only codes of the error table, and every integration code of the table", () => {
    const named = INTEGRATIONS.flatMap(codesOf);
    for (const code of named) expect(isErrorCode(code), code).toBe(true);
    expect(new Set(named).size).toBe(named.length);
    const generic = /^(rqst|aprv)-/;
    const tableCodes = ALL_ERROR_CODES.filter((code) => !generic.test(code));
    expect([...named].sort()).toEqual([...tableCodes].sort());
  });

  it("give every integration its own names, prefixes and flags", () => {
    for (const field of ["name", "embedPrefix", "cliFlag", "title"] as const) {
      const values = INTEGRATIONS.map((d) => d[field]);
      expect(new Set(values).size, field).toBe(INTEGRATIONS.length);
    }
    const params = INTEGRATIONS.flatMap((d) => integrationParams(d, "token"));
    expect(new Set(params).size).toBe(params.length);
    for (const d of INTEGRATIONS) {
      expect(Object.keys(d.emptyCodes).sort()).toEqual([d.keyParam, ...d.resultParams].sort());
    }
  });

  it("are what the endpoints accept: every parameter on /token, none of /token's alone on /attest", () => {
    for (const d of INTEGRATIONS) {
      for (const name of integrationParams(d, "token")) {
        expect(ENDPOINT_PARAMS.token).toContain(name);
        expect(ENDPOINT_PARAMS.refresh).not.toContain(name);
      }
      for (const name of d.tokenOnlyParams) expect(ENDPOINT_PARAMS.attest).not.toContain(name);
      for (const name of integrationParams(d, "attest")) {
        expect(ENDPOINT_PARAMS.attest).toContain(name);
      }
    }
  });

  it("find an integration back from a parameter, an embed key or a token-check code", () => {
    for (const d of INTEGRATIONS) {
      for (const name of integrationParams(d, "token"))
        expect(integrationOfParam(name)).toBe(d.name);
      expect(integrationOfEmbedKey(embedKey(d.name, "site-key"))).toBe(d.name);
      expect(integrationOfTokenCheckCode(d.codes.tokenCheck)).toBe(d.name);
    }
    expect(integrationOfParam("api")).toBeUndefined();
    expect(integrationOfEmbedKey("other:key")).toBeUndefined();
    expect(integrationOfTokenCheckCode("rqst-body-parse")).toBeUndefined();
  });
});
