import { ApproovError } from "./errors.js";

/** Whether a value is binary data the SDK accepts: an ArrayBuffer or any ArrayBufferView. */
export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return isArrayBuffer(value) || ArrayBuffer.isView(value);
}

// By tag rather than instanceof, so a buffer made in another frame is accepted too.
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/** The bytes of an ArrayBuffer or ArrayBufferView (a view of the same memory, no copy). */
export function binaryBytes(value: unknown, errorMessage: string): Uint8Array<ArrayBuffer> {
  if (isArrayBuffer(value)) return new Uint8Array(value);
  if (ArrayBuffer.isView(value) && isArrayBuffer(value.buffer)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (ArrayBuffer.isView(value)) {
    // A view of a SharedArrayBuffer: WebCrypto wants a copy.
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  }
  throw new ApproovError(errorMessage);
}
