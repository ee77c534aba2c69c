export { readModelChecksums } from './adapters/pg/checksum';
export { migrate, type Roles } from './adapters/pg/migrations';
export { ProjectionStore } from './adapters/pg/projection-store';
export { type RebuildOptions, type RebuildResult, rebuild } from './adapters/rebuild';
export { type AnalyticsApp, type AnalyticsDeps, buildAnalytics, PROJECTED_TOPICS } from './app';
export { type AnalyticsConfig, analyticsEnv, loadAnalyticsConfig, roleNames } from './config';
export { AnalyticsError, AnalyticsErrorCode } from './domain/errors';
