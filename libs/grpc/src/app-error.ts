import { status as Status } from '@grpc/grpc-js';

export { Status };

/** The error domain in every `google.rpc.ErrorInfo` Switchboard sends. */
export const ERROR_DOMAIN = 'switchboard.dev';

export interface FieldViolation {
  /** Path of the offending field in the request, e.g. `agent_id` or `skills[2].level`. */
  field: string;
  description: string;
}

export interface AppErrorOpts {
  violations?: readonly FieldViolation[];
  /** Extra machine-readable facts, sent as ErrorInfo metadata. Never put secrets here. */
  metadata?: Readonly<Record<string, string>>;
  cause?: unknown;
}

/**
 * An expected failure with a stable code (`RTG_ERR_QUEUE_NOT_FOUND`), the gRPC status it maps to, and the
 * request fields at fault. It crosses the wire intact: the server puts code and violations in the status
 * details and the client rebuilds the same error.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: Status;
  readonly violations: readonly FieldViolation[];
  readonly metadata: Readonly<Record<string, string>>;

  constructor(status: Status, code: string, message: string, opts: AppErrorOpts = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.violations = Object.freeze([...(opts.violations ?? [])]);
    this.metadata = Object.freeze({ ...opts.metadata });
  }

  static invalidArgument(
    code: string,
    message: string,
    violations: readonly FieldViolation[] = [],
  ): AppError {
    return new AppError(Status.INVALID_ARGUMENT, code, message, { violations });
  }

  static notFound(code: string, message: string): AppError {
    return new AppError(Status.NOT_FOUND, code, message);
  }

  static failedPrecondition(code: string, message: string): AppError {
    return new AppError(Status.FAILED_PRECONDITION, code, message);
  }

  static permissionDenied(code: string, message: string): AppError {
    return new AppError(Status.PERMISSION_DENIED, code, message);
  }

  static unauthenticated(code: string, message: string): AppError {
    return new AppError(Status.UNAUTHENTICATED, code, message);
  }

  static unavailable(code: string, message: string): AppError {
    return new AppError(Status.UNAVAILABLE, code, message);
  }
}

/** The code given to a failure that carried no Switchboard details, e.g. `GRPC_ERR_DEADLINE_EXCEEDED`. */
export function transportCode(status: Status): string {
  return `GRPC_ERR_${Status[status] ?? 'UNKNOWN'}`;
}
