import { decodeHeaders, encodeHeaders } from './headers';

describe('header codec', () => {
  it('decodes Buffer, string and repeated header values to strings (last one wins)', () => {
    expect(
      decodeHeaders({
        traceparent: Buffer.from('00-abc-def-01'),
        plain: 'text',
        repeated: [Buffer.from('first'), Buffer.from('ünïcode')],
        missing: undefined,
      }),
    ).toEqual({ traceparent: '00-abc-def-01', plain: 'text', repeated: 'ünïcode' });
  });

  it('decodes absent headers to an empty object', () => {
    expect(decodeHeaders(undefined)).toEqual({});
  });

  it('round-trips string headers and drops empty names', () => {
    const encoded = encodeHeaders({ a: '1', '': 'dropped', tracestate: 'k=v' });
    expect(encoded).toEqual({ a: '1', tracestate: 'k=v' });
    expect(decodeHeaders(encoded)).toEqual({ a: '1', tracestate: 'k=v' });
  });
});
