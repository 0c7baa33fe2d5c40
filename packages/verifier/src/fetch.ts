export * from "./adapters/fetch.js";
