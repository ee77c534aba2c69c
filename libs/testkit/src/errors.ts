/** Raised when no Kafka or PostgreSQL can be had; the message always says how to provide one. */
export class InfraUnavailableError extends Error {
  constructor(
    readonly code: 'TESTKIT_ERR_NO_KAFKA' | 'TESTKIT_ERR_NO_POSTGRES',
    message: string,
  ) {
    super(message);
    this.name = 'InfraUnavailableError';
  }
}
