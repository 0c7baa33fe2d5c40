export * from "./claims.js";
export * from "./error-codes.js";
export * from "./hcaptcha-test-keys.js";
export * from "./integrations.js";
export * from "./params.js";
