import fc from 'fast-check';
import { type AllowedChannels, forbiddenChannels } from './channel-policy';
import { CHANNELS, type ChannelName, type IncomingEvent } from './events';

const eventWith = (channel: ChannelName | undefined): IncomingEvent =>
  channel === undefined
    ? { id: 'e', type: 'message.received', conversationId: 'c', occurredAt: '2026-01-01T00:00:00Z' }
    : { id: 'e', type: 'message.received', conversationId: 'c', occurredAt: '2026-01-01T00:00:00Z', channel };

describe('forbiddenChannels', () => {
  it('flags exactly the events whose channel is given and not allowed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom(...CHANNELS), { nil: undefined })),
        fc.subarray([...CHANNELS]),
        (channels, allowedList) => {
          const allowed: AllowedChannels = new Set(allowedList);

          const problems = forbiddenChannels(channels.map(eventWith), allowed, (i) => `/events/${i}`);

          const expected = channels.flatMap((c, i) =>
            c !== undefined && !allowed.has(c) ? [`/events/${i}/channel`] : [],
          );
          expect(problems.map((p) => p.pointer)).toEqual(expected);
        },
      ),
    );
  });

  it('lets "*" post for every channel', () => {
    const problems = forbiddenChannels(CHANNELS.map(eventWith), new Set(['*']), () => '');

    expect(problems).toEqual([]);
  });
});
