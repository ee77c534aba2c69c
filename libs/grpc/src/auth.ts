import type { DescMethod } from '@bufbuild/protobuf';
import type { Metadata } from '@grpc/grpc-js';
import { AppError } from './app-error';

/** Runs before every handler; returns the caller's principal or throws (an AppError, usually UNAUTHENTICATED). */
export type Authenticate<P> = (metadata: Metadata, method: DescMethod) => P | Promise<P>;

export const TOKEN_MISSING = 'AUTH_ERR_TOKEN_MISSING';
export const TOKEN_INVALID = 'AUTH_ERR_TOKEN_INVALID';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Bearer-token authentication from the `authorization` metadata. `verify` returns the principal, or
 * undefined for an unknown or expired token; both a missing and a rejected token give UNAUTHENTICATED.
 */
export function bearerAuth<P>(
  verify: (token: string, method: DescMethod) => P | undefined | Promise<P | undefined>,
): Authenticate<P> {
  return async (metadata, method) => {
    const header = metadata.get('authorization')[0];
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw AppError.unauthenticated(TOKEN_MISSING, 'a bearer token is required');
    const principal = await verify(token, method);
    if (principal === undefined)
      throw AppError.unauthenticated(TOKEN_INVALID, 'the bearer token is not valid');
    return principal;
  };
}
