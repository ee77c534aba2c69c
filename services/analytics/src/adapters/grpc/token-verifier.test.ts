import { createHash } from 'node:crypto';
import { tokenVerifier } from './token-verifier';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('tokenVerifier', () => {
  it('resolves a token to its tenant and nothing else', () => {
    const verify = tokenVerifier([
      { tenantId: 't1', sha256Hex: sha('token-1') },
      { tenantId: 't2', sha256Hex: sha('token-2') },
    ]);
    expect(verify('token-1')).toEqual({ tenantId: 't1' });
    expect(verify('token-2')).toEqual({ tenantId: 't2' });
    expect(verify('token-3')).toBeUndefined();
    // The digest itself is no token.
    expect(verify(sha('token-1'))).toBeUndefined();
  });
});
