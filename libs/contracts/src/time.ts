import { type Timestamp, timestampFromMs, timestampMs } from '@bufbuild/protobuf/wkt';

/** Epoch milliseconds to a protobuf Timestamp. */
export function tsFromMs(ms: number): Timestamp {
  return timestampFromMs(ms);
}

/** A protobuf Timestamp to epoch milliseconds (0 when absent). */
export function msFromTs(ts: Timestamp | undefined): number {
  return ts ? timestampMs(ts) : 0;
}
