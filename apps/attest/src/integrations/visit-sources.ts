/** What the request tells about the browser, for decoys that synthesize a visit. */
export interface VisitSources {
  userAgent?: string;
  /** The page's URL (Referer, else Origin), validated; absent if neither names one. */
  pageUrl?: string;
}

/** Longest User-Agent / page URL taken over; longer ones get the defaults. */
const MAX_SOURCE_CHARS = 512;
/** The page's URL without query or fragment, when `value` is a short http(s) URL. */
function pageUrl(value: string | null): string | undefined {
  if (!value || value.length > MAX_SOURCE_CHARS) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return `${url.origin}${url.pathname}`;
  } catch {
    return undefined;
  }
}

/** The User-Agent and page URL of a request, bounded . */
export function visitSourcesOf(headers: Headers): VisitSources {
  const userAgent = headers.get("user-agent") ?? undefined;
  const url = pageUrl(headers.get("referer")) ?? pageUrl(headers.get("origin"));
  return {
    ...(userAgent && userAgent.length <= MAX_SOURCE_CHARS ? { userAgent } : {}),
    ...(url ? { pageUrl: url } : {}),
  };
}
