import type { FastifyInstance } from 'fastify';
import { KeyRing, type Principal } from '../../auth/api-key';
import { IngestionError } from '../../errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key; set by the auth hook on every /v1 route. */
    principal: Principal | null;
  }
}

/**
 * Authenticates every request of the scope before its body is read. The presented key is never
 * logged or echoed; all failures look alike so the answer tells nothing about which part was wrong.
 */
export function requireApiKey(scope: FastifyInstance, keyRing: KeyRing): void {
  scope.decorateRequest('principal', null);
  scope.addHook('onRequest', async (request) => {
    const presented = KeyRing.bearer(request.headers.authorization);
    const principal = presented === undefined ? undefined : keyRing.authenticate(presented);
    if (principal === undefined) {
      throw new IngestionError(
        'ING_ERR_UNAUTHENTICATED',
        'send a valid API key as "Authorization: Bearer <key>"',
      );
    }
    request.principal = principal;
  });
}
