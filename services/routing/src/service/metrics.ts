/** What the routing service measures; app.ts binds it to OpenTelemetry, tests use `noMetrics`. */
export interface RoutingMetrics {
  /** Inputs decided (commands, ticks) per partition batch. */
  decided(count: number): void;
  eventsProduced(count: number): void;
  /** Seconds a conversation waited before it was offered. */
  waited(seconds: number): void;
  offersExpired(count: number): void;
  deadLettered(reason: string): void;
  /** Age of the oldest input of a batch when decided: the owner's consumer lag in time. */
  inputLag(seconds: number): void;
  recovered(partition: number, seconds: number, events: number): void;
  snapshotWritten(partition: number, bytes: number): void;
}

export const noMetrics: RoutingMetrics = {
  decided: () => {},
  eventsProduced: () => {},
  waited: () => {},
  offersExpired: () => {},
  deadLettered: () => {},
  inputLag: () => {},
  recovered: () => {},
  snapshotWritten: () => {},
};
