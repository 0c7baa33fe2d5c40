export * from "./adapters/koa.js";
