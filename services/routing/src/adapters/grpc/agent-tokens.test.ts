import { generateToken, parseTokens, TokenRing, TokensFileError } from './agent-tokens';

describe('agent tokens', () => {
  const desk = generateToken({ tenantId: 'acme', agentId: 'a1' });
  const supervisor = generateToken({ tenantId: 'acme' });
  const ring = new TokenRing([desk.entry, supervisor.entry]);

  it('gives the principal of a configured token, restricted to its agent when the entry says so', () => {
    expect(ring.verify(desk.token)).toEqual({ tokenId: desk.entry.id, tenantId: 'acme', agentId: 'a1' });
    expect(ring.verify(supervisor.token)).toEqual({
      tokenId: supervisor.entry.id,
      tenantId: 'acme',
      agentId: undefined,
    });
  });

  it('rejects a wrong secret, an unknown id and malformed tokens', () => {
    expect(ring.verify(`${desk.token.slice(0, -1)}x`)).toBeUndefined();
    expect(ring.verify(generateToken({ tenantId: 'acme' }).token)).toBeUndefined();
    for (const t of ['', 'sbt_', 'sbt__x', 'Bearer x', desk.entry.sha256])
      expect(ring.verify(t)).toBeUndefined();
  });

  it('parses a tokens document and names every problem', () => {
    expect(parseTokens(JSON.stringify([desk.entry]), 'f')).toEqual([desk.entry]);
    expect(() => parseTokens('[{"id":"x","tenantId":"","sha256":"no"}]', 'tokens.json')).toThrow(
      TokensFileError,
    );
    const message = (() => {
      try {
        parseTokens('[{"id":"x","tenantId":"","sha256":"no"}]', 'tokens.json');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/tokens\.json: .*0\.id.*0\.tenantId.*0\.sha256/);
    expect(() => parseTokens('not json', 'f')).toThrow(/not JSON/);
    expect(() => new TokenRing([desk.entry, desk.entry])).toThrow(/duplicate/);
  });
});
