// Two attest instances sharing Redis against one, in the same run: /refresh throughput of
// instance 1 alone, then of both with the sessions split between them (no proxy: the load
// generator picks the instance, so no proxy CPU is counted). The load generator, Redis and
// the instances share the machine's cores.
import { startRedis } from "@shapes/test-stack";
import { checkApproovToken } from "./approov-token-check.mjs";
import { API, checkForm, refreshForm } from "./bench-keys.mjs";
import { closedLoop } from "./closed-loop.mjs";
import { DpopSession } from "./dpop-session.mjs";
import { HttpClient } from "./http-client.mjs";
import { PUBLIC_ORIGIN, startServices } from "./services.mjs";

async function refreshOver(targets, sessions, account, { clients, warmupMs, measureMs }, pids) {
  const https = targets.map((instance) => new HttpClient(instance.url, clients));
  const forms = sessions.map((session) => refreshForm(account, session));
  try {
    return await closedLoop({
      clients,
      warmupMs,
      measureMs,
      pids,
      counters: () => ({}),
      request: async (i) => {
        const res = await sessions[i].send(https[i % https.length], "/refresh", forms[i]);
        return res.status === 200 && res.text.startsWith('{"tokens":');
      },
    });
  } finally {
    for (const http of https) http.close();
  }
}

/** `{ one, two, ratio, cpu }`: req/s of one instance, of two, and CPU per request. */
export async function benchScale(load) {
  const redis = await startRedis();
  const services = await startServices({ redisUrl: redis.url, instances: 2 }).catch(
    async (error) => {
      await redis.dispose();
      throw error;
    },
  );
  try {
    const { account, instances } = services;
    const [first, second] = instances;
    const http = new HttpClient(first.url, load.clients);
    const sessions = Array.from({ length: load.clients }, () => new DpopSession(PUBLIC_ORIGIN));
    try {
      await Promise.all(
        sessions.map(async (session) => {
          const answer = await session.start(http, checkForm(account));
          checkApproovToken(answer.tokens[API], account.secret, session.jkt);
        }),
      );
    } finally {
      http.close();
    }
    const pids = { attest1: first.pid, attest2: second.pid, redis: redis.pid };
    const one = await refreshOver([first], sessions, account, load, pids);
    const two = await refreshOver([first, second], sessions, account, load, pids);
    return { one, two, ratio: two.perSecond / one.perSecond };
  } finally {
    await services.cleanup();
    await redis.dispose();
  }
}
