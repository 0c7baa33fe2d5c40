/** Proof-of-possession confirmation (RFC 7800 / RFC 9449): the session key's RFC 7638 thumbprint. */
export interface ConfirmationClaim {
  jkt: string;
}

/** The default (minimal) hCaptcha / reCAPTCHA properties embedded in a web token. */
export interface CaptchaEmbed {
  challenge_ts?: string;
  hostname?: string;
  [property: string]: unknown;
}

/**
 * The claims of an Approov token. `did` marks the mobile channel, `embed` the web
 * channel; a backend checks the signature and `exp` first, then may read these.
 */
export interface ApproovTokenClaims {
  /** Expiry, seconds since the epoch (always present). */
  exp: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
  /** The IP address of the client the token was issued to. */
  ip?: string;
  /** Annotation results code: an opaque reference to the issuing decision. */
  arc?: string;
  /** Web channel: the integrations' results, keyed by `hcap:`/`recap:`/`fp:` + key. */
  embed?: Record<string, CaptchaEmbed | Record<string, unknown>>;
  /** Token binding: base64 SHA-256 of the bound value. */
  pay?: string;
  /** Key binding of the token to the SDK session key. */
  cnf?: ConfirmationClaim;
  /** Mobile channel: the attested device ID. */
  did?: string;
}
