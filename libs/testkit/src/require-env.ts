/** Reads a variable the global setup must have exported; fails loudly instead of skipping. */
export function requireEnv(name: 'KAFKA_BROKERS' | 'DATABASE_URL'): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: integration tests must run through jest.int.config.js (whose global setup ` +
        'starts real Kafka and PostgreSQL) or with KAFKA_BROKERS / DATABASE_URL pointing at real servers.',
    );
  }
  return value;
}
