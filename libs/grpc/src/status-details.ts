import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { Metadata, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { BadRequestSchema, ErrorInfoSchema, StatusSchema } from '@switchboard/contracts';
import { AppError, ERROR_DOMAIN, Status, transportCode } from './app-error';

/** Trailer that carries a serialized `google.rpc.Status` (the gRPC "richer error model"). */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

export const INTERNAL_CODE = 'GRPC_ERR_INTERNAL';

export type ErrorStatus = Pick<StatusObject, 'code' | 'details' | 'metadata'>;

/**
 * THE mapping of errors to gRPC statuses. An AppError keeps its status and message, and its code and field
 * violations travel as ErrorInfo and BadRequest in the status details. Anything else is a bug or an
 * outage: it becomes INTERNAL with a generic message, the real error only goes to the log.
 */
export function toErrorStatus(err: unknown): ErrorStatus {
  const appError =
    err instanceof AppError ? err : new AppError(Status.INTERNAL, INTERNAL_CODE, 'internal error');
  const details = [
    anyPack(
      ErrorInfoSchema,
      create(ErrorInfoSchema, {
        reason: appError.code,
        domain: ERROR_DOMAIN,
        metadata: { ...appError.metadata },
      }),
    ),
  ];
  if (appError.violations.length > 0) {
    details.push(
      anyPack(
        BadRequestSchema,
        create(BadRequestSchema, { fieldViolations: appError.violations.map((v) => ({ ...v })) }),
      ),
    );
  }
  const status = create(StatusSchema, { code: appError.status, message: appError.message, details });
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(toBinary(StatusSchema, status)));
  return { code: appError.status, details: appError.message, metadata };
}

/** Rebuilds the AppError a server sent; failures without details get a `GRPC_ERR_<STATUS>` code. */
export function fromServiceError(err: Partial<ServiceError>): AppError {
  const code = err.code ?? Status.UNKNOWN;
  const message = err.details ?? err.message ?? Status[code] ?? 'unknown error';
  const raw = err.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Uint8Array)) return new AppError(code, transportCode(code), message, { cause: err });
  let status: ReturnType<typeof decodeStatus>;
  try {
    status = decodeStatus(raw);
  } catch {
    return new AppError(code, transportCode(code), message, { cause: err });
  }
  let info: { reason: string; metadata: Record<string, string> } | undefined;
  const violations: { field: string; description: string }[] = [];
  for (const any of status.details) {
    const errorInfo = anyUnpack(any, ErrorInfoSchema);
    if (errorInfo && !info) info = errorInfo;
    const badRequest = anyUnpack(any, BadRequestSchema);
    if (badRequest)
      for (const v of badRequest.fieldViolations)
        violations.push({ field: v.field, description: v.description });
  }
  return new AppError(code, info?.reason || transportCode(code), status.message || message, {
    violations,
    metadata: info?.metadata ?? {},
    cause: err,
  });
}

function decodeStatus(raw: Uint8Array) {
  return fromBinary(StatusSchema, raw);
}
