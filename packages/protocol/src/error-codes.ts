/**
 * Every error code of the web protection service, with the seed's description
 * ("Troubleshooting Web Protection Errors"), plus the `turn-*` codes of Turnstile, the
 * integration this project adds in the seed's pattern. The service answers these in
 * `{"message": ..., "errors": {code: detail}}`; tests read this table to make
 * sure each code has a test that produces it.
 */
export const ERROR_CODES = {
  "rqst-body-read-fail": "There was a problem reading the request body.",
  "rqst-params-in-body-and-path":
    "The request contains parameters in the URL and in the message body; this is not permitted.",
  "rqst-body-too-large": "The request message body is too large.",
  "rqst-body-parse":
    "The request message body could not be decoded; it's probably not formatted correctly.",
  "rqst-illegal-params":
    "The request included illegal parameters; the list of illegal entries is included in the value.",
  "aprv-no-site-key": "Your Approov site key was not included in the request parameters.",
  "aprv-no-web-protect-params":
    "The request didn't contain any web protection parameters; no parameters for Fingerprint, hCaptcha, or reCAPTCHA.",
  "aprv-no-matching-account": "The specified Approov site key didn't match any account.",
  "aprv-no-web-protect-def":
    "The specified Approov site key doesn't have any web protection integrations defined.",
  "aprv-payload-param-invalid-size":
    "The request has a payload parameter, but it has an invalid size (32 bytes when decoded). It must be a Base64URL encoded SHA256 hash.",
  "aprv-payload-not-b64url":
    "The request has a payload parameter, but it isn't Base64URL encoded. It must be a Base64URL encoded SHA256 hash.",
  "aprv-api-no-targets": "The request parameters don't include any api target.",
  "aprv-api-empty-target":
    "The request parameters include an api target whose value is the empty string.",
  "aprv-api-duplicate-target":
    "The request parameters include more than one api entry with the same value.",
  "aprv-api-too-many-targets":
    "The request parameters include more api targets than there are APIs defined for the target account.",
  "aprv-api-not-found": "One or more api targets are not defined in your Approov account.",
  "aprv-api-not-web-enabled": "One or more api targets have not been web enabled.",
  "aprv-invalid-nonce":
    "The nonce required for the request is missing, malformed, not signed correctly or expired.",
  "aprv-invalid-dpop-token":
    "The DPoP token header is missing, or the received DPoP token is malformed, not signed correctly or expired.",
  "aprv-invalid-refresh-token":
    "The refresh token is missing, malformed, not signed correctly or expired.",
  "fp-config-not-found":
    "Fingerprint parameters were used in the request but no Fingerprint subscriptions are defined for the account.",
  "fp-missing-required-params":
    "The request doesn't have Fingerprint parameters, but a Fingerprint check is required by the account.",
  "fp-param-mismatch":
    "Some of the parameters for a Fingerprint check are specified but others are missing.",
  "fp-empty-browser-tok":
    "A request with Fingerprint parameters has the Fingerprint public API key parameter set to the empty string.",
  "fp-empty-vis-id":
    "A request with Fingerprint parameters has the visitor ID parameter set to the empty string.",
  "fp-empty-rqst-id":
    "A request with Fingerprint parameters has the request ID parameter set to the empty string.",
  "fp-browser-tok-not-found":
    "The Fingerprint public API key specified in a request doesn't match any defined in the selected Approov account.",
  "fp-tok-check":
    "There was an error performing the Fingerprint server-side check; the error string is included in the value.",
  "hcap-config-not-found":
    "hCaptcha parameters were used in the request but no hCaptcha Sites are defined for the account.",
  "hcap-missing-required-params":
    "The request doesn't have hCaptcha parameters, but an hCaptcha check is required by the account settings.",
  "hcap-param-mismatch":
    "Some of the parameters for an hCaptcha check are specified but others are missing.",
  "hcap-empty-site-key": "A request has an hCaptcha site key parameter set to the empty string.",
  "hcap-empty-token": "A request has an hCaptcha token parameter set to the empty string.",
  "hcap-site-key-not-found":
    "The hCaptcha Site key specified in a request doesn't match any defined in the selected Approov account.",
  "hcap-token-check":
    "There was an error performing the hCaptcha server-side check; the error string is included in the value.",
  "recap-config-not-found":
    "reCAPTCHA parameters were used in the request but no reCAPTCHA Sites are defined for the account.",
  "recap-missing-required-params":
    "The request doesn't have reCAPTCHA parameters, but a reCAPTCHA check is required by the account settings.",
  "recap-param-mismatch":
    "Some of the parameters for a reCAPTCHA check are specified but others are missing.",
  "recap-empty-site-key": "A request has a reCAPTCHA site key parameter set to the empty string.",
  "recap-empty-token": "A request has a reCAPTCHA token parameter set to the empty string.",
  "recap-site-key-not-found":
    "The reCAPTCHA Site key specified in a request doesn't match any defined in the selected Approov account.",
  "recap-token-check":
    "There was an error performing the reCAPTCHA server-side check; the error string is included in the value.",
  // Cloudflare Turnstile: not in the seed (which predates it); the same shape as hCaptcha's.
  "turn-config-not-found":
    "Turnstile parameters were used in the request but no Turnstile sites are defined for the account.",
  "turn-missing-required-params":
    "The request doesn't have Turnstile parameters, but a Turnstile check is required by the account settings.",
  "turn-param-mismatch":
    "Some of the parameters for a Turnstile check are specified but others are missing.",
  "turn-empty-site-key": "A request has a Turnstile site key parameter set to the empty string.",
  "turn-empty-token": "A request has a Turnstile token parameter set to the empty string.",
  "turn-site-key-not-found":
    "The Turnstile site key specified in a request doesn't match any defined in the selected Approov account.",
  "turn-token-check":
    "There was an error performing the Turnstile server-side check; the error string is included in the value.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

/** The JSON body of every error answer of the service (the seed's ApproovServiceError). */
export interface ApproovErrorBody {
  /** The HTTP status text of the response, e.g. "Bad Request". */
  message: string;
  /** One entry per problem found; the value carries detail, or "". */
  errors: Partial<Record<ErrorCode, string>>;
}
