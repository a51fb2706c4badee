/**
 * Where the relay and kafkajs write their log entries: a Nest `Logger` in a service, and in the
 * relay's worker thread a forwarder to the main thread, so the thread does not load Nest (~20 MB
 * of its memory).
 */
export interface LogSink {
  log(message: unknown): void;
  warn(message: unknown): void;
  error(message: unknown): void;
}
