import { Metadata } from '@grpc/grpc-js';
import { QueueService } from '@switchboard/contracts';
import { AppError, Status } from './app-error';
import { bearerAuth, TOKEN_INVALID, TOKEN_MISSING } from './auth';

const method = QueueService.method.getQueueStats;
const auth = bearerAuth((token) => (token === 'good' ? { tenantId: 't1' } : undefined));

function withAuthorization(value?: string): Metadata {
  const md = new Metadata();
  if (value !== undefined) md.set('authorization', value);
  return md;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('bearerAuth', () => {
  it('returns the principal of a valid token', async () => {
    await expect(auth(withAuthorization('Bearer good'), method)).resolves.toEqual({ tenantId: 't1' });
    await expect(auth(withAuthorization('bearer   good '), method)).resolves.toEqual({ tenantId: 't1' });
  });

  it.each([undefined, '', 'good', 'Basic Z29vZA==', 'Bearer '])(
    'rejects a missing token (%p)',
    async (header) => {
      const err = await failure(Promise.resolve(auth(withAuthorization(header), method)));
      expect(err).toMatchObject({ status: Status.UNAUTHENTICATED, code: TOKEN_MISSING });
    },
  );

  it('rejects an unknown token', async () => {
    const err = await failure(Promise.resolve(auth(withAuthorization('Bearer bad'), method)));
    expect(err).toMatchObject({ status: Status.UNAUTHENTICATED, code: TOKEN_INVALID });
  });

  it('lets other failures of verify through unchanged', async () => {
    const denied = AppError.permissionDenied('RTG_ERR_AGENT_MISMATCH', 'token is for another agent');
    const strict = bearerAuth(() => Promise.reject(denied));
    await expect(strict(withAuthorization('Bearer good'), method)).rejects.toBe(denied);
  });
});
