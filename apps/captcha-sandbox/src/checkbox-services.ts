/** What the one checkbox page and script (browser/checkbox.*) say and call, per service. */
export interface CheckboxService {
  /** The page: "<name> sandbox" is its mark, "not <owner>" its disclaimer. */
  page: {
    name: string;
    owner: string;
    checkLabel: string;
    /** CSS colour of the mark and of the box when execute() asks for attention. */
    accent: string;
    /** Where the page loads its script from (same origin: the iframe's CSP is 'self'). */
    scriptPath: string;
  };
  /** The script: how it gets a token and marks its messages to the api.js. */
  script: {
    /** Must match the service's api.js. */
    messageSource: string;
    executePath: string;
    /** Sent besides sitekey and host. */
    executeFields: Record<string, string>;
    /** The token's field in the execute answer. */
    tokenField: string;
  };
}

export const HCAPTCHA_CHECKBOX: CheckboxService = {
  page: {
    name: "hCaptcha",
    owner: "hCaptcha",
    checkLabel: "I am human",
    accent: "#0074bf",
    scriptPath: "/1/checkbox.js",
  },
  script: {
    messageSource: "hcaptcha-sandbox",
    executePath: "/1/execute",
    executeFields: {},
    tokenField: "response",
  },
};

export const RECAPTCHA_CHECKBOX: CheckboxService = {
  page: {
    name: "reCAPTCHA",
    owner: "Google",
    checkLabel: "I'm not a robot",
    accent: "#1a73e8",
    scriptPath: "/recaptcha/checkbox.js",
  },
  script: {
    messageSource: "recaptcha-sandbox",
    executePath: "/recaptcha/api2/execute",
    executeFields: { kind: "v2" },
    tokenField: "token",
  },
};
