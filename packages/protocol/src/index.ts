export * from "./admin-api.js";
export * from "./claims.js";
export * from "./entry-fields.js";
export * from "./error-codes.js";
export * from "./integrations.js";
export * from "./params.js";
export * from "./sdk-answers.js";
export * from "./test-keys.js";
