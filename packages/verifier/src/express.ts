export * from "./adapters/express.js";
