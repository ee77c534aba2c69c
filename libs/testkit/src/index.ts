export { InfraUnavailableError } from './errors';
export { type Infra, type ProvideOptions, provideInfra } from './infra';
export { ensureKafkaJars, findJava, KAFKA_VERSION, kafkaJarsDir } from './kafka/kafka-jars';
export { brokerAnswers, type LocalKafka, type LocalKafkaOptions, startLocalKafka } from './kafka/local-kafka';
export { canConnect, freePort, uniqueName, uniqueSuffix, waitFor } from './net';
export {
  canQuery,
  type FreshDatabase,
  findRunningPostgres,
  freshDatabase,
  type LocalPostgres,
  startLocalPostgres,
} from './postgres/local-postgres';
export { requireEnv } from './require-env';
