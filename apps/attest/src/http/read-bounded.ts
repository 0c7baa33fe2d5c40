/**
 * Reads a byte stream to its end, refusing more than `maxBytes` (`tooLarge()` is thrown
 * as soon as the stream passes it) and, with `expired`, giving up when it rejects. On any
 * failure the stream is cancelled, so an upload or answer is never buffered past the limit.
 */
export async function readBounded(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: () => Error,
  expired?: Promise<never>,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await (expired
        ? Promise.race([reader.read(), expired])
        : reader.read());
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  reader.releaseLock();
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
