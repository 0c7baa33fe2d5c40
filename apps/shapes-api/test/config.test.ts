import { ConfigError } from "@shapes/node-service";
import { describe, expect, it } from "vitest";
import { loadSettings } from "../src/config.js";
import { ENCRYPTION_SECRET, ENCRYPTION_SECRET_BASE64, SECRET, SECRET_BASE64 } from "./helpers.js";

describe("loadSettings", () => {
  it("uses the documented defaults", () => {
    expect(loadSettings({ APPROOV_SECRET: SECRET_BASE64 })).toEqual({
      port: 8002,
      hostname: "127.0.0.1",
      secret: SECRET,
      webOrigins: ["http://localhost:8000"],
    });
  });

  it("reads SHAPES_PORT, HOST and WEB_ORIGIN", () => {
    const settings = loadSettings({
      APPROOV_SECRET: SECRET_BASE64,
      SHAPES_PORT: "9102",
      HOST: "0.0.0.0",
      WEB_ORIGIN: "http://localhost:8000, https://shapes.example.com",
    });
    expect(settings).toMatchObject({
      port: 9102,
      hostname: "0.0.0.0",
      webOrigins: ["http://localhost:8000", "https://shapes.example.com"],
    });
  });

  it("requires APPROOV_SECRET and never echoes a bad value", () => {
    expect(() => loadSettings({})).toThrow(ConfigError);
    expect(() => loadSettings({ APPROOV_SECRET: " " })).toThrow(/APPROOV_SECRET is required/);
    for (const bad of ["c2hvcnQtc2VjcmV0", "not*base64*but*long*enough*to*matter*at*all"]) {
      try {
        loadSettings({ APPROOV_SECRET: bad });
        throw new Error("accepted");
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toMatch(/^APPROOV_SECRET is invalid/);
        expect((error as Error).message).not.toContain(bad);
      }
    }
  });

  it("rejects a bad port or origin", () => {
    expect(() => loadSettings({ APPROOV_SECRET: SECRET_BASE64, SHAPES_PORT: "x" })).toThrow(
      /SHAPES_PORT/,
    );
    expect(() =>
      loadSettings({ APPROOV_SECRET: SECRET_BASE64, WEB_ORIGIN: "http://a.example/path" }),
    ).toThrow(/WEB_ORIGIN/);
  });
});

describe("loadSettings: JWE and public origin", () => {
  it("reads APPROOV_ENCRYPTION_SECRET (32 bytes) and SHAPES_PUBLIC_ORIGIN", () => {
    const settings = loadSettings({
      APPROOV_SECRET: SECRET_BASE64,
      APPROOV_ENCRYPTION_SECRET: ENCRYPTION_SECRET_BASE64,
      SHAPES_PUBLIC_ORIGIN: "https://shapes.example.com/",
    });
    expect(settings.encryptionSecret).toEqual(ENCRYPTION_SECRET);
    expect(settings.publicOrigin).toBe("https://shapes.example.com");
  });

  it("leaves both unset by default", () => {
    const settings = loadSettings({ APPROOV_SECRET: SECRET_BASE64, APPROOV_ENCRYPTION_SECRET: "" });
    expect(settings.encryptionSecret).toBeUndefined();
    expect(settings.publicOrigin).toBeUndefined();
  });

  it("refuses a bad encryption secret without echoing it", () => {
    for (const bad of [SECRET_BASE64.slice(0, 24), "%%%not-base64%%%", `${SECRET_BASE64}AAAA`]) {
      try {
        loadSettings({ APPROOV_SECRET: SECRET_BASE64, APPROOV_ENCRYPTION_SECRET: bad });
        throw new Error("accepted");
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).toMatch(/^APPROOV_ENCRYPTION_SECRET is invalid/);
        expect((error as Error).message).not.toContain(bad);
      }
    }
  });

  it("refuses a public origin with a path, query or another scheme", () => {
    for (const bad of [
      "shapes.example.com",
      "https://x.example/api",
      "ftp://x.example",
      "https://x.example/?a",
    ]) {
      expect(() =>
        loadSettings({ APPROOV_SECRET: SECRET_BASE64, SHAPES_PUBLIC_ORIGIN: bad }),
      ).toThrow(/SHAPES_PUBLIC_ORIGIN/);
    }
  });
});
