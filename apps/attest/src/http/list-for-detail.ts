/** Error details stay short whatever the client (or an upstream) sent. */
const MAX_LISTED = 10;
const MAX_ENTRY_CHARS = 64;

/** One entry, cut to MAX_ENTRY_CHARS characters. */
export function clip(value: string): string {
  return value.length > MAX_ENTRY_CHARS ? `${value.slice(0, MAX_ENTRY_CHARS)}...` : value;
}

/** "a, b, c" of at most MAX_LISTED clipped entries, noting how many were left out. */
export function listForDetail(values: readonly string[]): string {
  const shown = values.slice(0, MAX_LISTED).map(clip).join(", ");
  const more = values.length - MAX_LISTED;
  return more > 0 ? `${shown} (and ${more} more)` : shown;
}
