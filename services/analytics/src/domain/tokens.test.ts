import { createHash } from 'node:crypto';
import { parseTokenEntries } from './tokens';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('parseTokenEntries', () => {
  it('parses tenant:digest entries separated by commas or lines, with comments', () => {
    const text = `t1:${sha('a')}, t2:${sha('b').toUpperCase()}\n# ops\n\nt3:${sha('c')} # team c`;
    expect(parseTokenEntries(text)).toEqual([
      { tenantId: 't1', sha256Hex: sha('a') },
      { tenantId: 't2', sha256Hex: sha('b') },
      { tenantId: 't3', sha256Hex: sha('c') },
    ]);
  });

  it('rejects an entry that is not tenant:<64 hex digits> without echoing it', () => {
    expect(() => parseTokenEntries('t1:plaintext-secret')).toThrow(/not tenant:<64 hex digits>/);
    expect(() => parseTokenEntries('t1:plaintext-secret')).not.toThrow(/plaintext-secret/);
  });
});
