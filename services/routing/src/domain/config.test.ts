import { compileConfig, evaluateRules } from './config';
import { config, ofType, Routing, req } from './testing/harness';
import { Channel } from './types';
import { validateRoutingConfig } from './validate-config';

describe('tenant config', () => {
  test('a valid config has no problems', () => {
    expect(
      validateRoutingConfig(
        config({ skills: [{ id: 'en', name: 'en' }], queues: [{ id: 'q', defaultSkills: [req('en')] }] }),
      ),
    ).toEqual([]);
  });

  test('every problem is listed with a JSON pointer', () => {
    const bad = config({
      skills: [
        { id: 'en', name: '' },
        { id: 'en', name: '' },
        { id: '', name: '' },
      ],
      queues: [
        {
          id: 'q',
          defaultSkills: [req('fr', 6)],
          escalation: [
            {
              afterSeconds: 0,
              onSlaWarning: false,
              onSlaBreach: false,
              relaxMinProficiencyBy: 1,
              dropOptionalSkills: false,
              raisePriorityBy: 0,
              overflowQueueId: '',
            },
            {
              afterSeconds: 60,
              onSlaWarning: false,
              onSlaBreach: false,
              relaxMinProficiencyBy: 0,
              dropOptionalSkills: false,
              raisePriorityBy: 0,
              overflowQueueId: 'nowhere',
            },
            {
              afterSeconds: 30,
              onSlaWarning: false,
              onSlaBreach: false,
              relaxMinProficiencyBy: 0,
              dropOptionalSkills: false,
              raisePriorityBy: 1,
              overflowQueueId: 'q',
            },
          ],
        },
        { id: 'q' },
      ],
      rules: [
        {
          id: 'r',
          when: [{ attribute: '', operator: 'equals', values: [] }],
          queueId: 'missing',
          skills: [],
        },
        { id: 'r', when: [{ attribute: 'x', operator: 'exists', values: ['y'] }], queueId: 'q', skills: [] },
      ],
      defaultQueueId: 'none',
      offers: { offerTimeoutSeconds: 0 },
    });
    expect(validateRoutingConfig(bad).map((p) => p.path)).toEqual([
      '/skills/1/id',
      '/skills/2/id',
      '/queues/1/id',
      '/queues/0/defaultSkills/0/skill',
      '/queues/0/defaultSkills/0/minProficiency',
      '/queues/0/escalation/0',
      '/queues/0/escalation/1/overflowQueueId',
      '/queues/0/escalation/2/afterSeconds',
      '/queues/0/escalation/2/overflowQueueId',
      '/rules/0/queueId',
      '/rules/0/when/0/attribute',
      '/rules/0/when/0/values',
      '/rules/1/id',
      '/rules/1/when/0/values',
      '/defaultQueueId',
      '/offers/offerTimeoutSeconds',
    ]);
  });

  test('an invalid config is rejected and the previous one stays in force', () => {
    const r = new Routing();
    r.configure(config({ queues: [{ id: 'good' }] }));
    const events = r.configure(config({ queues: [{ id: 'x' }], defaultQueueId: 'missing' }));
    expect(events).toMatchObject([
      { type: 'RoutingConfigRejected', problems: [{ path: '/defaultQueueId' }] },
    ]);
    expect(r.state.config.source.defaultQueueId).toBe('good');
  });

  test('rules: first match wins; operators equals, not_equals, in, exists; built-in attributes', () => {
    const c = compileConfig(
      config({
        queues: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }, { id: 'e' }, { id: 'default' }],
        rules: [
          {
            id: 'voice-gold',
            when: [
              { attribute: 'channel', operator: 'equals', values: ['voice'] },
              { attribute: 'customer.tier', operator: 'equals', values: ['gold'] },
            ],
            queueId: 'a',
            skills: [],
            priority: 9,
          },
          {
            id: 'lang',
            when: [{ attribute: 'language', operator: 'in', values: ['de', 'fr'] }],
            queueId: 'b',
            skills: [req('x', 2)],
          },
          {
            id: 'topic',
            when: [{ attribute: 'topic', operator: 'exists', values: [] }],
            queueId: 'c',
            skills: [],
          },
          {
            id: 'not-email',
            when: [{ attribute: 'channel', operator: 'not_equals', values: ['email'] }],
            queueId: 'd',
            skills: [],
          },
        ],
        defaultQueueId: 'default',
      }),
      1,
    );
    const facts = (channel: Channel, tier: string, attributes: Record<string, string> = {}) => ({
      channel,
      customer: { id: 'c', tier },
      attributes,
    });
    expect(evaluateRules(c, facts(Channel.VOICE, 'gold', { language: 'de' }))).toMatchObject({
      queueId: 'a',
      priority: 9,
      ruleId: 'voice-gold',
    });
    expect(evaluateRules(c, facts(Channel.VOICE, '', { language: 'fr' }))).toMatchObject({
      queueId: 'b',
      ruleId: 'lang',
      requirements: [req('x', 2)],
    });
    expect(evaluateRules(c, facts(Channel.EMAIL, '', { topic: 'billing' }))).toMatchObject({ queueId: 'c' });
    expect(evaluateRules(c, facts(Channel.CHAT, ''))).toMatchObject({ queueId: 'd' });
    expect(evaluateRules(c, facts(Channel.EMAIL, ''))).toMatchObject({ queueId: 'default', ruleId: '' });
  });

  test('a rule requirement wins over the queue default for the same skill', () => {
    const r = new Routing();
    r.configure(
      config({
        skills: [{ id: 'en', name: 'en' }],
        queues: [{ id: 'q', defaultSkills: [req('en', 2)] }],
        rules: [
          {
            id: 'strict',
            when: [{ attribute: 'topic', operator: 'equals', values: ['legal'] }],
            queueId: 'q',
            skills: [req('en', 5)],
          },
        ],
      }),
    );
    const queued = ofType(r.start('c1', { attributes: { topic: 'legal' } }), 'ConversationQueued')[0];
    expect(queued?.requiredSkills).toEqual([req('en', 5)]);
  });
});
