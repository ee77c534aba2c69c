import fc from 'fast-check';
import { generateKey, KEY_PREFIX, KeyRing, keyIdOf, sha256Hex } from './api-key';

describe('API keys', () => {
  const acme = generateKey({
    name: 'acme-chat',
    tenantId: 'acme',
    channels: ['chat'],
    rateLimit: { max: 5, windowMs: 1000 },
  });
  const globex = generateKey({ name: 'globex', tenantId: 'globex', channels: ['*'] });
  const ring = new KeyRing([acme.entry, globex.entry]);

  it('generates sb_<keyId>_<secret> keys whose entry stores only the hash', () => {
    expect(acme.key).toMatch(/^sb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(keyIdOf(acme.key)).toBe(acme.entry.id);
    expect(acme.entry.sha256).toBe(sha256Hex(acme.key));
    expect(JSON.stringify(acme.entry)).not.toContain(acme.key.slice(KEY_PREFIX.length + 17));
  });

  it('authenticates each key as its own tenant and nothing else', () => {
    expect(ring.authenticate(acme.key)).toMatchObject({
      keyId: acme.entry.id,
      name: 'acme-chat',
      tenantId: 'acme',
      rateLimit: { max: 5, windowMs: 1000 },
    });
    expect(ring.authenticate(acme.key)?.channels).toEqual(new Set(['chat']));
    expect(ring.authenticate(globex.key)?.tenantId).toBe('globex');
  });

  it('refuses a known key id with another secret', () => {
    const forged = `${KEY_PREFIX}${acme.entry.id}_${globex.key.split('_').slice(2).join('_')}`;

    expect(ring.authenticate(forged)).toBeUndefined();
  });

  it('refuses any string that is not a configured key', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `${KEY_PREFIX}${acme.entry.id}_${s}`),
        ),
        (candidate) => {
          fc.pre(candidate !== acme.key && candidate !== globex.key);
          expect(ring.authenticate(candidate)).toBeUndefined();
        },
      ),
    );
  });

  it.each([
    ['sb_abcd_secret', 'abcd'],
    ['sb_abcd_sec_ret', 'abcd'],
    ['sb_ab_secret', undefined],
    ['sb_abcd_', undefined],
    ['sb_abcd', undefined],
    ['xx_abcd_secret', undefined],
    ['sb_ab-cd_secret', undefined],
  ])('reads the key id of %s as %s', (key, id) => {
    expect(keyIdOf(key)).toBe(id);
  });

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer  abc ', 'abc'],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['Basic abc', undefined],
    [undefined, undefined],
  ])('reads the bearer of %p as %p', (header, key) => {
    expect(KeyRing.bearer(header)).toBe(key);
  });

  it('refuses two entries with one key id', () => {
    expect(() => new KeyRing([acme.entry, { ...globex.entry, id: acme.entry.id }])).toThrow(/duplicate/);
  });
});
