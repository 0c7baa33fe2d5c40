import { type Expiries, ATTEST_PARAMS as P } from "@shapes/protocol";
import { ApproovError, ApproovServiceError, ApproovSessionError } from "./errors.js";
import { payloadHash } from "./payload-hash.js";
import { isObject, postToService } from "./service-client.js";
import type { Session } from "./session.js";
import {
  checkOptions,
  hasNewResult,
  RESULT_OPTIONS_TEXT,
  type ResultParams,
  resultParams,
  sameResults,
  serialiseResults,
} from "./web-protection-params.js";

const INVALID_REFRESH_TOKEN = "aprv-invalid-refresh-token";

/**
 * The token fetch of the seed: a new web protection result goes to `/token` (a fresh
 * check and a new refresh token); otherwise a cached token, or `/refresh`.
 */
export async function fetchToken(
  session: Session,
  api: unknown,
  rawOptions: unknown,
): Promise<string> {
  if (typeof api !== "string" || api === "") {
    throw new ApproovError("fetchToken: api must be a non-empty string");
  }
  const options = checkOptions(rawOptions);
  const results = resultParams(session.config, options);
  const given = serialiseResults(results);
  const payload =
    options.payload === undefined || options.payload === null
      ? undefined
      : await payloadHash(options.payload);
  const cacheKey = `${api}\n${payload ?? ""}`;
  if (session.isOver(Date.now())) throw sessionOver("the Approov session has expired");

  if (given.size > 0) {
    const call = session.tokenCall;
    if (call && sameResults(given, call.results)) {
      // The same result is already on its way to /token: share that check.
      await call.promise;
    } else if (hasNewResult(given, session.lastResults)) {
      return requestToken(session, api, payload, cacheKey, results, given);
    }
  }
  // A first fetch may be under way (concurrent first calls): wait for its refresh token.
  if (session.tokenCall) await session.tokenCall.promise.catch(() => undefined);
  if (session.isOver(Date.now())) throw sessionOver("the Approov session has expired");

  const cached = session.cache.get(cacheKey, Date.now());
  if (cached !== undefined) return cached;
  if (session.refreshToken === undefined) {
    throw sessionOver(
      `the first fetchToken of a session needs a web protection result (${RESULT_OPTIONS_TEXT})`,
    );
  }
  return session.cache.share(cacheKey, () => refresh(session, api, payload));
}

/** `/token`: runs after any earlier `/token` of the session, so results never race. */
function requestToken(
  session: Session,
  api: string,
  payload: string | undefined,
  cacheKey: string,
  results: ResultParams,
  given: Map<string, string>,
): Promise<string> {
  const previous = session.tokenCall?.promise;
  const promise = (async () => {
    if (previous) await previous.catch(() => undefined);
    if (session.isOver(Date.now())) throw sessionOver("the Approov session has expired");
    const params = baseParams(session, api, payload);
    for (const list of results.values()) {
      for (const [name, value] of list) params.append(name, value);
    }
    const requestedAt = Date.now();
    const answer = readAnswer(await postToService(session, "/token", params), api);
    if (answer.refreshToken === undefined) throw malformed("no refresh token");
    session.refreshToken = answer.refreshToken;
    session.expiries = answer.expiries ?? {};
    session.lastResults = given;
    // Tokens issued on the previous result must not be served any more.
    session.cache.clear();
    session.cache.set(cacheKey, answer.token, requestedAt);
    return answer.token;
  })();
  const call = { results: given, promise };
  session.tokenCall = call;
  const done = () => {
    if (session.tokenCall === call) session.tokenCall = undefined;
  };
  promise.then(done, done);
  return promise;
}

/** `/refresh`: a new short-lived token on the session's refresh token. */
async function refresh(
  session: Session,
  api: string,
  payload: string | undefined,
): Promise<{ token: string; requestedAt: number }> {
  const refreshToken = session.refreshToken ?? "";
  const params = baseParams(session, api, payload);
  params.append(P.refreshToken, refreshToken);
  const requestedAt = Date.now();
  let body: unknown;
  try {
    body = await postToService(session, "/refresh", params);
  } catch (error) {
    if (
      error instanceof ApproovServiceError &&
      Object.hasOwn(error.errors, INVALID_REFRESH_TOKEN)
    ) {
      // Only if no newer /token replaced the refused refresh token meanwhile.
      if (session.refreshToken === refreshToken) session.ended = true;
      throw sessionOver(
        `the Approov session is over (${INVALID_REFRESH_TOKEN}: ${error.errors[INVALID_REFRESH_TOKEN] || "refused"})`,
      );
    }
    throw error;
  }
  const answer = readAnswer(body, api);
  if (answer.expiries && session.refreshToken === refreshToken) session.expiries = answer.expiries;
  return { token: answer.token, requestedAt };
}

function baseParams(session: Session, api: string, payload: string | undefined): URLSearchParams {
  const params = new URLSearchParams();
  params.append(P.api, api);
  params.append(P.approovSiteKey, session.config.approovSiteKey);
  if (payload !== undefined) params.append(P.payload, payload);
  return params;
}

/** What the SDK reads of a TokenAnswer or RefreshAnswer (protocol): one API's token. */
interface Answer {
  token: string;
  refreshToken?: string;
  expiries?: Expiries;
}

/** `{"tokens": {api: token}, "refreshToken"?, "expiries"?}`, checked. */
function readAnswer(body: unknown, api: string): Answer {
  if (!isObject(body) || !isObject(body.tokens)) throw malformed("no tokens");
  const token = body.tokens[api];
  if (typeof token !== "string" || token === "") throw malformed(`no token for ${api}`);
  const answer: Answer = { token };
  if (typeof body.refreshToken === "string" && body.refreshToken !== "") {
    answer.refreshToken = body.refreshToken;
  }
  if (isObject(body.expiries)) {
    const expiries: Expiries = {};
    for (const [name, value] of Object.entries(body.expiries)) {
      if (typeof value === "number" && Number.isFinite(value)) expiries[name] = value;
    }
    answer.expiries = expiries;
  }
  return answer;
}

function malformed(what: string): ApproovServiceError {
  return new ApproovServiceError(`unexpected answer from the Approov service: ${what}`, 200, {});
}

function sessionOver(message: string): ApproovSessionError {
  return new ApproovSessionError(message);
}
