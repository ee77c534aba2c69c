export * from './commands';
export * from './config-file';
export type * from './config-store';
export { openKafkaConfigStore } from './kafka-config-store';
export * from './problems';
