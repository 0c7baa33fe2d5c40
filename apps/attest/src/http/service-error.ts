/**
 * The base of every error attest raises on purpose. `code` is stable (callers branch on
 * it, logs carry it); the message is for the operator and never holds a secret. Each app
 * (the decision endpoints, the admin API, the entry points) turns these into its answer in
 * one place: its `onError`, or main's exit line.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
