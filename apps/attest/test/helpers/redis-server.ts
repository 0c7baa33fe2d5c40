// Moved to @shapes/test-stack so that integration/ (the chaos test) starts Redis the same way.
export { freePort, pings, REDIS_SERVER, type RunningRedis, startRedis } from "@shapes/test-stack";
