import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKeysFile, parseKeys } from './keys-file';

const hash = 'a'.repeat(64);

describe('keys file', () => {
  it('reads YAML', () => {
    const yaml = `
- id: acme01
  name: acme-chat
  tenantId: acme
  channels: [chat, sms]
  sha256: ${hash}
  rateLimit: { max: 100, windowMs: 1000 }
`;
    expect(parseKeys(yaml, 'keys.yaml')).toEqual([
      {
        id: 'acme01',
        name: 'acme-chat',
        tenantId: 'acme',
        channels: ['chat', 'sms'],
        sha256: hash,
        rateLimit: { max: 100, windowMs: 1000 },
      },
    ]);
  });

  it('reads JSON from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingestion-keys-'));
    const path = join(dir, 'keys.json');
    writeFileSync(
      path,
      JSON.stringify([{ id: 'glob01', name: 'g', tenantId: 'globex', channels: ['*'], sha256: hash }]),
    );

    expect(loadKeysFile(path)).toHaveLength(1);
  });

  it('names every problem, without the file content', () => {
    const doc = JSON.stringify([
      { id: 'x', name: '', tenantId: 'acme', channels: ['fax'], sha256: 'ABC' },
      { id: 'ok01', name: 'n', tenantId: 't', channels: ['chat'], sha256: hash, extra: 1 },
    ]);

    let message = '';
    try {
      parseKeys(doc, 'keys.json');
    } catch (err) {
      message = (err as Error).message;
    }

    expect(message).toMatch(/0\.id/);
    expect(message).toMatch(/0\.name/);
    expect(message).toMatch(/0\.channels\.0/);
    expect(message).toMatch(/0\.sha256/);
    expect(message).toMatch(/1: .*extra/);
  });

  it('refuses two entries with one id', () => {
    const entry = { id: 'ok01', name: 'n', tenantId: 't', channels: ['chat'], sha256: hash };

    expect(() => parseKeys(JSON.stringify([entry, entry]), 'k')).toThrow(/1\.id: duplicate id ok01/);
  });

  it('refuses what is not YAML, and a missing file', () => {
    expect(() => parseKeys('- [unclosed', 'k')).toThrow(/ING_ERR|not YAML/);
    expect(() => loadKeysFile('/nonexistent/keys.yaml')).toThrow(/cannot read keys file/);
  });
});
