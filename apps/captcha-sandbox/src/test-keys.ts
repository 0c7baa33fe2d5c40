import { HCAPTCHA_TEST_KEYS } from "@shapes/protocol";

/** What siteverify answers for one of hCaptcha's dummy response tokens. */
export interface DummyResponse {
  siteKey: string;
  /** Enterprise keys only: hCaptcha's risk score (higher = more likely a bot). */
  score?: number;
  scoreReason?: string[];
}

const { publisher, enterpriseSafeUser, enterpriseBotDetected } = HCAPTCHA_TEST_KEYS;

const DUMMY_RESPONSES: ReadonlyMap<string, DummyResponse> = new Map<string, DummyResponse>([
  [publisher.response, { siteKey: publisher.siteKey }],
  [
    enterpriseSafeUser.response,
    { siteKey: enterpriseSafeUser.siteKey, score: 0, scoreReason: ["safe"] },
  ],
  [
    enterpriseBotDetected.response,
    { siteKey: enterpriseBotDetected.siteKey, score: 1, scoreReason: ["bot"] },
  ],
]);

const TEST_SITE_KEY_RESPONSES: ReadonlyMap<string, string> = new Map(
  Object.values(HCAPTCHA_TEST_KEYS).map((key) => [key.siteKey, key.response] as const),
);

/** The dummy response of a test site key, or undefined for any other site key. */
export function dummyResponseFor(siteKey: string): string | undefined {
  return TEST_SITE_KEY_RESPONSES.get(siteKey);
}

/** The test key a dummy response token belongs to, or undefined for any other token. */
export function dummyResponse(response: string): DummyResponse | undefined {
  return DUMMY_RESPONSES.get(response);
}
