import { create } from '@bufbuild/protobuf';
import { EnvelopeSchema, newEnvelope, tsFromMs } from '@switchboard/contracts';
import { routingConfigToProto } from './config-proto';
import { commandFromEnvelope } from './envelope-mapping';
import { config, req } from './testing/harness';
import { Channel, Presence } from './types';

const env = (aggregateId: string, payload: Parameters<typeof newEnvelope>[0]['payload']) =>
  newEnvelope({ eventId: 'e1', tenantId: 't1', aggregateId, occurredAtMs: 1_000, source: 'test', payload });

describe('commands from envelopes', () => {
  test('conversation events', () => {
    expect(
      commandFromEnvelope(
        env('c1', {
          case: 'conversationStarted',
          value: msg('conversationStarted', {
            channel: Channel.CHAT,
            customer: { id: 'cust', tier: 'gold' },
            attributes: { language: 'de' },
          }),
        }),
      ),
    ).toEqual({
      type: 'StartConversation',
      eventId: 'e1',
      conversationId: 'c1',
      channel: Channel.CHAT,
      customer: { id: 'cust', tier: 'gold' },
      attributes: { language: 'de' },
    });
  });

  test('agent commands, SLA events and config', () => {
    const cases: [ReturnType<typeof env>, unknown][] = [
      [
        env('a1', { case: 'setPresence', value: msg('setPresence', { presence: Presence.AWAY }) }),
        { type: 'SetPresence', agentId: 'a1', presence: Presence.AWAY },
      ],
      [
        env('a1', {
          case: 'acceptOffer',
          value: msg('acceptOffer', { conversationId: 'c1', offerId: 'o1' }),
        }),
        { type: 'AcceptOffer', agentId: 'a1', conversationId: 'c1', offerId: 'o1' },
      ],
      [
        env('a1', {
          case: 'transferConversation',
          value: msg('transferConversation', {
            conversationId: 'c1',
            target: { case: 'queueId', value: 'q2' },
            note: 'n',
          }),
        }),
        {
          type: 'TransferConversation',
          agentId: 'a1',
          conversationId: 'c1',
          target: { queueId: 'q2' },
          note: 'n',
        },
      ],
      [
        env('c1', {
          case: 'slaBreached',
          value: msg('slaBreached', { clock: { conversationId: 'c1' }, breachedAt: tsFromMs(5) }),
        }),
        { type: 'EscalateOnSla', conversationId: 'c1', kind: 'breach' },
      ],
      [env('c1', { case: 'csatSubmitted', value: msg('csatSubmitted', { score: 5 }) }), undefined],
    ];
    for (const [e, expected] of cases)
      expect(commandFromEnvelope(e)).toEqual(
        expected === undefined ? undefined : { eventId: 'e1', ...(expected as object) },
      );
    const routing = config({
      skills: [{ id: 'en', name: 'English' }],
      queues: [{ id: 'q', defaultSkills: [req('en', 2)] }],
    });
    const applied = commandFromEnvelope(
      env('t1', {
        case: 'tenantConfigApplied',
        value: msg('tenantConfigApplied', { version: 7n, config: routingConfigToProto(routing) }),
      }),
    );
    expect(applied).toEqual({ type: 'ApplyTenantConfig', eventId: 'e1', version: 7, config: routing });
  });
});

/** Builds a payload message of the envelope's oneof by field name. */
function msg(field: string, init: Record<string, unknown>): never {
  const f = EnvelopeSchema.fields.find((x) => x.localName === field);
  if (f?.fieldKind !== 'message') throw new Error(field);
  return create(f.message, init as never) as never;
}
