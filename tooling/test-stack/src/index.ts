export * from "./nginx-server.js";
export * from "./redis-server.js";
export * from "./service-process.js";
export * from "./wait-until.js";
