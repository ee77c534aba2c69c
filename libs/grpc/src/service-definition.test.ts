import { create } from '@bufbuild/protobuf';
import {
  AgentService,
  GetQueueStatsRequestSchema,
  QueueService,
  WatchOffersResponseSchema,
} from '@switchboard/contracts';
import { methodPath, serviceDefinition } from './service-definition';

describe('serviceDefinition', () => {
  it('has one entry per method, keyed by local name, with the gRPC path', () => {
    const def = serviceDefinition(QueueService);
    expect(Object.keys(def).sort()).toEqual(['getQueueStats', 'listQueues']);
    expect(def.getQueueStats?.path).toBe('/switchboard.routing.v1.QueueService/GetQueueStats');
    expect(def.getQueueStats?.originalName).toBe('GetQueueStats');
    expect(methodPath(AgentService.method.watchOffers)).toBe(
      '/switchboard.routing.v1.AgentService/WatchOffers',
    );
  });

  it('marks streaming from the method kind', () => {
    const def = serviceDefinition(AgentService);
    expect(def.watchOffers).toMatchObject({ requestStream: false, responseStream: true });
    expect(def.acceptOffer).toMatchObject({ requestStream: false, responseStream: false });
  });

  it('serializes with the input schema and deserializes back to a typed message', () => {
    const def = serviceDefinition(QueueService).getQueueStats!;
    const request = create(GetQueueStatsRequestSchema, { queueId: 'vip' });
    const bytes = def.requestSerialize(request);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(def.requestDeserialize(bytes)).toEqual(request);
  });

  it('accepts init objects (plain objects) as well as messages', () => {
    const def = serviceDefinition(AgentService).watchOffers!;
    const init = {
      update: { case: 'offered' as const, value: { conversationId: 'c1', offerId: 'o1', agentId: 'a1' } },
    };
    const decoded = def.responseDeserialize(def.responseSerialize(init));
    expect(decoded).toEqual(create(WatchOffersResponseSchema, init));
  });

  it('encodes the default message as zero bytes', () => {
    const def = serviceDefinition(QueueService).listQueues!;
    expect(def.requestSerialize({}).length).toBe(0);
  });
});
