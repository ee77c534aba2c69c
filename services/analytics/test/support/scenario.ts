import { Channel, History, Presence, ReleaseReason, SlaTarget } from './events';

/** 2026-01-05T09:00:00Z: the start of a 15-minute interval. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/**
 * A morning of tenant `t1` whose read-model rows and KPIs are worked out by hand in the tests
 * (times in seconds after 09:00:00).
 */
export function morning(tenantId = 't1'): History {
  const h = new History(tenantId, T0);
  // c1: answered after 10 s, one 60 s assignment, resolved first contact, CSAT 5, first response met.
  h.started('c1', 0);
  h.slaStarted('c1', 0, SlaTarget.FIRST_RESPONSE, 30);
  h.queued('c1', 1, 'sales');
  h.offered('c1', 5, 'o1', 'a1', 'sales');
  h.assigned('c1', 11, 'o1', 'a1', 'sales');
  h.agentMessage('c1', 20, 'a1');
  h.slaMet('c1', 20, SlaTarget.FIRST_RESPONSE, 20);
  h.released('c1', 71, 'a1', ReleaseReason.COMPLETED);
  h.resolved('c1', 75);
  h.csat('c1', 80, 5);
  // c2: declined once, answered after 30 s, transferred to support, resolved there; first response breached.
  h.started('c2', 10);
  h.queued('c2', 12, 'sales');
  h.offered('c2', 13, 'o2', 'a2', 'sales');
  h.declined('c2', 15, 'o2', 'a2');
  h.offered('c2', 16, 'o3', 'a1', 'sales');
  h.slaWarning('c2', 40, SlaTarget.FIRST_RESPONSE, 75);
  h.assigned('c2', 42, 'o3', 'a1', 'sales');
  h.slaBreached('c2', 45, SlaTarget.FIRST_RESPONSE);
  h.agentMessage('c2', 50, 'a1');
  h.transferred('c2', 100, 'a1', 'support');
  h.released('c2', 100, 'a1', ReleaseReason.TRANSFERRED);
  h.queued('c2', 101, 'support');
  h.offered('c2', 102, 'o4', 'a3', 'support');
  h.assigned('c2', 106, 'o4', 'a3', 'support');
  h.released('c2', 226, 'a3', ReleaseReason.COMPLETED);
  h.resolved('c2', 230);
  h.csat('c2', 231, 3);
  // c3: offer expired, customer abandoned; time to assignment breached.
  h.started('c3', 20);
  h.queued('c3', 21, 'sales');
  h.offered('c3', 25, 'o5', 'a2', 'sales');
  h.expired('c3', 55, 'o5', 'a2');
  h.slaBreached('c3', 81, SlaTarget.TIME_TO_ASSIGNMENT);
  h.abandoned('c3', 90);
  // c4: answered after 20 s, resolved, reopened, answered and resolved again; CSAT 4.
  h.started('c4', 30);
  h.queued('c4', 31, 'sales');
  h.offered('c4', 32, 'o6', 'a1', 'sales');
  h.assigned('c4', 51, 'o6', 'a1', 'sales');
  h.agentMessage('c4', 52, 'a1');
  h.slaMet('c4', 52, SlaTarget.FIRST_RESPONSE, 22);
  h.released('c4', 111, 'a1', ReleaseReason.COMPLETED);
  h.resolved('c4', 115);
  h.reopened('c4', 300);
  h.queued('c4', 301, 'sales');
  h.offered('c4', 302, 'o7', 'a1', 'sales');
  h.assigned('c4', 305, 'o7', 'a1', 'sales');
  h.released('c4', 365, 'a1', ReleaseReason.COMPLETED);
  h.resolved('c4', 370);
  h.csat('c4', 371, 4);
  // c5: voice, answered after 5 s, 100 s handle, resolved first contact.
  h.started('c5', 40, Channel.VOICE);
  h.queued('c5', 41, 'sales', Channel.VOICE);
  h.offered('c5', 42, 'o8', 'a4', 'sales', Channel.VOICE);
  h.assigned('c5', 46, 'o8', 'a4', 'sales', Channel.VOICE);
  h.slaMet('c5', 50, SlaTarget.FIRST_RESPONSE, 10);
  h.released('c5', 146, 'a4', ReleaseReason.COMPLETED);
  h.resolved('c5', 150);
  // c6: queued at 09:16:01 (next interval), answered after 40 s, still active.
  h.started('c6', 960);
  h.queued('c6', 961, 'sales');
  h.offered('c6', 962, 'o9', 'a1', 'sales');
  h.assigned('c6', 1001, 'o9', 'a1', 'sales');
  // a1: available, away for a minute, available again (a skills change in between), offline.
  h.presence('a1', 0, Presence.AVAILABLE);
  h.presence('a1', 200, Presence.AWAY);
  h.presence('a1', 260, Presence.AVAILABLE);
  h.presence('a1', 280, Presence.AVAILABLE);
  h.presence('a1', 400, Presence.OFFLINE);
  return h;
}
