import { loadIngestionConfig } from './config';

describe('loadIngestionConfig', () => {
  it('applies defaults and derives the Kafka connection', () => {
    const config = loadIngestionConfig({
      KAFKA_BROKERS: 'a:9092, b:9092',
      INGESTION_API_KEYS_FILE: '/etc/keys.yaml',
    });

    expect(config.kafka).toEqual({ brokers: ['a:9092', 'b:9092'], clientId: 'switchboard', ssl: false });
    expect(config.env).toMatchObject({
      HTTP_PORT: 8080,
      INGESTION_BODY_LIMIT_BYTES: 1_048_576,
      INGESTION_PUBLISH_TIMEOUT: 4000,
      INGESTION_MAX_IN_FLIGHT_EVENTS: 20_000,
      INGESTION_RATE_LIMIT_WINDOW: 1000,
    });
    expect(Object.isFrozen(config.env)).toBe(true);
  });

  it('names every bad variable', () => {
    expect(() =>
      loadIngestionConfig({
        INGESTION_API_KEYS_FILE: 'k',
        INGESTION_PUBLISH_TIMEOUT: 'soon',
        HTTP_PORT: '70000',
      }),
    ).toThrow(
      /KAFKA_BROKERS[\s\S]*(INGESTION_PUBLISH_TIMEOUT[\s\S]*HTTP_PORT|HTTP_PORT[\s\S]*INGESTION_PUBLISH_TIMEOUT)|HTTP_PORT[\s\S]*KAFKA_BROKERS/,
    );
  });

  it('requires a source of API keys', () => {
    expect(() => loadIngestionConfig({ KAFKA_BROKERS: 'a:9092' })).toThrow(
      /INGESTION_API_KEYS_FILE or INGESTION_API_KEYS/,
    );
  });
});
