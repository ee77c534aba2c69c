import { fromBinary } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { Metadata } from '@grpc/grpc-js';
import { BadRequestSchema, ErrorInfoSchema, StatusSchema } from '@switchboard/contracts';
import { AppError, ERROR_DOMAIN, Status } from './app-error';
import { fromServiceError, INTERNAL_CODE, STATUS_DETAILS_KEY, toErrorStatus } from './status-details';

function detailsOf(metadata: Metadata | undefined) {
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) throw new Error('no status details');
  return fromBinary(StatusSchema, raw);
}

describe('toErrorStatus', () => {
  it('maps an AppError to its status with ErrorInfo and BadRequest details', () => {
    const err = AppError.invalidArgument('RTG_ERR_INVALID_ARGUMENT', 'bad request', [
      { field: 'agent_id', description: 'must not be empty' },
      { field: 'skills[1].level', description: 'must be 1..5' },
    ]);
    const status = toErrorStatus(err);
    expect(status.code).toBe(Status.INVALID_ARGUMENT);
    expect(status.details).toBe('bad request');
    const rpcStatus = detailsOf(status.metadata);
    expect(rpcStatus.code).toBe(Status.INVALID_ARGUMENT);
    expect(rpcStatus.message).toBe('bad request');
    const [info, badRequest] = rpcStatus.details;
    expect(anyUnpack(info!, ErrorInfoSchema)).toMatchObject({
      reason: 'RTG_ERR_INVALID_ARGUMENT',
      domain: ERROR_DOMAIN,
    });
    expect(anyUnpack(badRequest!, BadRequestSchema)?.fieldViolations).toMatchObject([
      { field: 'agent_id', description: 'must not be empty' },
      { field: 'skills[1].level', description: 'must be 1..5' },
    ]);
  });

  it('omits BadRequest when there are no violations', () => {
    const status = toErrorStatus(AppError.notFound('RTG_ERR_QUEUE_NOT_FOUND', 'no such queue'));
    expect(status.code).toBe(Status.NOT_FOUND);
    expect(detailsOf(status.metadata).details).toHaveLength(1);
  });

  it('turns anything else into INTERNAL without leaking its message', () => {
    const status = toErrorStatus(new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'));
    expect(status.code).toBe(Status.INTERNAL);
    expect(status.details).toBe('internal error');
    const rpcStatus = detailsOf(status.metadata);
    expect(JSON.stringify(rpcStatus)).not.toContain('hunter2');
    expect(anyUnpack(rpcStatus.details[0]!, ErrorInfoSchema)?.reason).toBe(INTERNAL_CODE);
    expect(toErrorStatus('a thrown string').code).toBe(Status.INTERNAL);
  });
});

describe('fromServiceError', () => {
  it('rebuilds the AppError the server sent', () => {
    const sent = new AppError(Status.FAILED_PRECONDITION, 'RTG_ERR_OFFER_EXPIRED', 'offer expired', {
      metadata: { offer_id: 'o1' },
      violations: [{ field: 'offer_id', description: 'expired' }],
    });
    const got = fromServiceError({ ...toErrorStatus(sent), message: 'ignored' });
    expect(got).toBeInstanceOf(AppError);
    expect(got).toMatchObject({
      status: Status.FAILED_PRECONDITION,
      code: 'RTG_ERR_OFFER_EXPIRED',
      message: 'offer expired',
      metadata: { offer_id: 'o1' },
      violations: [{ field: 'offer_id', description: 'expired' }],
    });
  });

  it('gives transport failures a GRPC_ERR_ code', () => {
    const got = fromServiceError({
      code: Status.DEADLINE_EXCEEDED,
      details: 'Deadline exceeded',
      metadata: new Metadata(),
    });
    expect(got).toMatchObject({
      status: Status.DEADLINE_EXCEEDED,
      code: 'GRPC_ERR_DEADLINE_EXCEEDED',
      message: 'Deadline exceeded',
    });
  });

  it('survives garbage in the details trailer', () => {
    const metadata = new Metadata();
    metadata.set(STATUS_DETAILS_KEY, Buffer.from([0xff, 0xff, 0xff]));
    const got = fromServiceError({ code: Status.UNAVAILABLE, details: 'gone', metadata });
    expect(got).toMatchObject({ status: Status.UNAVAILABLE, code: 'GRPC_ERR_UNAVAILABLE', violations: [] });
  });
});
