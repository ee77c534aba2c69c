import { createLogger, REDACTED } from './logger';

function capture(level = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'ingestion',
    level,
    destination: { write: (s: string) => lines.push(s) },
  });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON line with service, level name, ISO time and message', () => {
    const { logger, records } = capture();
    logger.info({ tenant: 't1' }, 'accepted');
    const [line] = records();
    expect(line).toMatchObject({ service: 'ingestion', level: 'info', tenant: 't1', msg: 'accepted' });
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('honours the level', () => {
    const { logger, lines } = capture('warn');
    logger.info('dropped');
    logger.warn('kept');
    expect(lines).toHaveLength(1);
  });

  it('never writes a secret, at the top level or nested', () => {
    const { logger, lines } = capture();
    const secrets = ['sk_live_top', 'sk_nested', 'pw-deep', 'Bearer abc.def', 'hdr-key', 'tok-1', 'shh'];
    logger.info({
      apiKey: secrets[0],
      adapter: { apiKey: secrets[1], db: { password: secrets[2] } },
      req: { headers: { authorization: secrets[3], 'x-api-key': secrets[4] } },
      token: secrets[5],
      secret: secrets[6],
    });
    const out = lines.join('');
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out.split(REDACTED).length - 1).toBe(secrets.length);
  });

  it('does not alter the logged object', () => {
    const { logger } = capture();
    const payload = { apiKey: 'k' };
    logger.info(payload);
    expect(payload.apiKey).toBe('k');
  });

  it('adds no trace fields outside a span', () => {
    const { logger, records } = capture();
    logger.info('no span');
    expect(records()[0]).not.toHaveProperty('trace_id');
  });
});
