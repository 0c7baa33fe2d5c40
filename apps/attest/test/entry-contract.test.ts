import { entryDefaults, INTEGRATIONS } from "@shapes/protocol";
import { describe, expect, it } from "vitest";
import { INTEGRATION_UNITS } from "../src/integrations/registry.js";

/**
 * The admin API's entries as protocol declares them (what the CLI builds, parses and lists)
 * are the entries attest parses: the same fields, and the same defaults for what a PUT omits.
 */
describe("each integration's entry contract", () => {
  it.each(INTEGRATIONS.map((d) => [d.name, d] as const))("%s", (name, descriptor) => {
    const unit = INTEGRATION_UNITS.find((u) => u.descriptor.name === name);
    expect(unit, `no attest unit for ${name}`).toBeDefined();
    const parsed = unit?.parseEntry(
      { secret: "0x4AAAAAAAsecretSecretSecret" },
      "",
    ) as unknown as Record<string, unknown>;
    const { secret, ...rest } = parsed;
    expect(secret).toBe("0x4AAAAAAAsecretSecretSecret");
    expect(rest).toEqual(entryDefaults(descriptor.entryFields));
    expect(Object.keys(parsed).sort()).toEqual(descriptor.entryFields.map((f) => f.name).sort());
    // A field protocol does not declare is refused, as the CLI never sends one.
    expect(() => unit?.parseEntry({ secret: "s", notAField: 1 }, "")).toThrow(/notAField/);
  });
});
