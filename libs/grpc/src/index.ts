export type { ServingStatus } from 'grpc-health-check';
export {
  AppError,
  type AppErrorOpts,
  ERROR_DOMAIN,
  type FieldViolation,
  Status,
  transportCode,
} from './app-error';
export { type Authenticate, bearerAuth, TOKEN_INVALID, TOKEN_MISSING } from './auth';
export { type ClientTls, createGrpcClient, type GrpcClientOpts } from './client';
export type { GrpcLogger } from './logger';
export { createGrpcServer, type GrpcServer, type GrpcServerOpts, type TlsFiles } from './server';
export { deserializer, methodPath, serializer, serviceDefinition } from './service-definition';
export {
  type ErrorStatus,
  fromServiceError,
  INTERNAL_CODE,
  STATUS_DETAILS_KEY,
  toErrorStatus,
} from './status-details';
export type { CallContext, CallOptions, ClientMethod, MethodImpl, ServiceClient, ServiceImpl } from './types';
