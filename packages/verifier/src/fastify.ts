export * from "./adapters/fastify.js";
