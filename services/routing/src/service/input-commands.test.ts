import { create } from '@bufbuild/protobuf';
import { newEnvelope, SlaBreachedSchema } from '@switchboard/contracts';
import { tickEnvelope } from '../adapters/kafka/kafka-sinks';
import { config } from '../domain/testing/harness';
import { inputMeaning } from './input-commands';
import { agentCommand, configApplied, started } from './testing';

describe('inputMeaning', () => {
  it('turns a conversation start into StartConversation with the envelope id as idempotency key', () => {
    expect(inputMeaning(started('t', 'c1', 'e1'))).toMatchObject({
      kind: 'command',
      command: {
        type: 'StartConversation',
        eventId: 'e1',
        conversationId: 'c1',
        customer: { id: 'cust-c1', tier: 'gold' },
      },
    });
  });

  it('decides a tick at the time it records, and a config as ApplyTenantConfig', () => {
    expect(inputMeaning(tickEnvelope('t', 1234))).toEqual({
      kind: 'command',
      command: { type: 'Tick' },
      now: 1234,
    });
    expect(inputMeaning(configApplied('t', 7, config({})))).toMatchObject({
      kind: 'command',
      command: { type: 'ApplyTenantConfig', version: 7 },
    });
  });

  it('escalates on SLA breaches of a conversation', () => {
    const env = newEnvelope({
      eventId: 'sla-1',
      tenantId: 't',
      aggregateId: 'c9',
      occurredAtMs: 1,
      source: 'sla',
      payload: { case: 'slaBreached', value: create(SlaBreachedSchema, { clock: { conversationId: 'c9' } }) },
    });
    expect(inputMeaning(env)).toMatchObject({
      kind: 'command',
      command: { type: 'EscalateOnSla', conversationId: 'c9', kind: 'breach' },
    });
  });

  it('rejects agent commands with missing fields, naming them', () => {
    const bad = agentCommand('t', 'a1', 'x', {
      case: 'transferConversation',
      value: {
        $typeName: 'switchboard.agent.v1.TransferConversation',
        conversationId: 'c1',
        target: { case: undefined },
        note: '',
      },
    });
    expect(inputMeaning(bad)).toEqual({
      kind: 'invalid',
      reason: 'target: a queue id or an agent id is required',
    });
  });

  it('ignores what routing does not act on', () => {
    const env = newEnvelope({
      eventId: 'm',
      tenantId: 't',
      aggregateId: 'c1',
      occurredAtMs: 1,
      source: 'x',
      payload: {
        case: 'customerMessageReceived',
        value: { $typeName: 'switchboard.conversation.v1.CustomerMessageReceived', text: 'hi' },
      },
    });
    expect(inputMeaning(env)).toEqual({ kind: 'ignored' });
  });
});
