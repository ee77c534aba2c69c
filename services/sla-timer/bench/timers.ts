// Timer structure benchmark: 10M pending timers in the typed-array heap.
// Prints bytes per timer, schedule+cancel operations per second, and the firing lateness of timers
// due within a few seconds of real time (200k over 5 s: 40k firings/s, about 14 times the steady
// rate of 10M clocks an hour long), popped by one 100 ms process-level tick. Last line:
// bytes_per_timer=… ops_per_s=… lateness_p99_ms=… lateness_fixed_tick_p99_ms=… events_per_s=…
// (events_per_s through Kafka comes with the service, phase 2: n/a until then.)
import { TimerHeap } from '../src/domain/timer-heap';
import { Ticker, type TickerOptions } from '../src/runtime/ticker';

const PENDING = Number(process.env.SLA_BENCH_TIMERS ?? 10_000_000);
const OPS = Number(process.env.SLA_BENCH_OPS ?? 2_000_000);
const DUE = Number(process.env.SLA_BENCH_DUE ?? 200_000);
const WINDOW_MS = Number(process.env.SLA_BENCH_WINDOW_MS ?? 5_000);
const TICK_MS = 100;

// Deterministic pseudo-random numbers (mulberry32), so runs compare.
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function memory(): number {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main(): Promise<void> {
  const base = Date.now();
  const before = memory();
  const heap = new TimerHeap();
  let t = performance.now();
  for (let i = 0; i < PENDING; i++) heap.schedule(base + 3_600_000 + random() * 86_400_000);
  const fillS = (performance.now() - t) / 1000;
  const bytesPerTimer = (memory() - before) / PENDING;
  console.log(
    `pending=${heap.size} heap_bytes=${heap.byteLength} bytes_per_timer=${bytesPerTimer.toFixed(1)} fill_per_s=${Math.round(PENDING / fillS)}`,
  );

  // Schedule then cancel in a shuffled order, on top of the 10M pending.
  const handles = new Int32Array(OPS / 2);
  t = performance.now();
  for (let i = 0; i < handles.length; i++) handles[i] = heap.schedule(base + 60_000 + random() * 86_400_000);
  const scheduleS = (performance.now() - t) / 1000;
  for (let i = handles.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const h = handles[i]!;
    handles[i] = handles[j]!;
    handles[j] = h;
  }
  t = performance.now();
  for (let i = 0; i < handles.length; i++) heap.cancel(handles[i]!);
  const cancelS = (performance.now() - t) / 1000;
  const opsPerS = OPS / (scheduleS + cancelS);
  console.log(
    `schedule_per_s=${Math.round(handles.length / scheduleS)} cancel_per_s=${Math.round(handles.length / cancelS)} ops_per_s=${Math.round(opsPerS)}`,
  );

  // Lateness: DUE timers due across WINDOW_MS of real time, fired by one 100 ms process-level tick:
  // first a strict tick on every 100 ms boundary, then the same tick that also wakes at the
  // earliest pending deadline (what the service uses). Lateness is taken when each timer is popped.
  const fixed = await lateness(heap, {});
  const early = await lateness(heap, { nextDeadline: () => heap.peekDeadline(), minGapMs: 10 });
  console.log(`still_pending=${heap.size}`);
  console.log(
    `bytes_per_timer=${bytesPerTimer.toFixed(1)} ops_per_s=${Math.round(opsPerS)} lateness_p99_ms=${early.toFixed(1)} lateness_fixed_tick_p99_ms=${fixed.toFixed(1)} events_per_s=n/a`,
  );
}

async function lateness(heap: TimerHeap, options: TickerOptions): Promise<number> {
  const start = Date.now() + 200;
  for (let i = 0; i < DUE; i++) heap.schedule(start + random() * WINDOW_MS);
  const late = new Float64Array(DUE);
  let fired = 0;
  let ticks = 0;
  let maxTickMs = 0;
  await new Promise<void>((resolve) => {
    const ticker = new Ticker(
      TICK_MS,
      (now) => {
        const t0 = performance.now();
        ticks++;
        heap.popDue(now, (_h, deadline) => {
          late[fired++] = Date.now() - deadline;
        });
        maxTickMs = Math.max(maxTickMs, performance.now() - t0);
        if (fired >= DUE) {
          ticker.stop();
          resolve();
        }
      },
      undefined,
      options,
    );
    ticker.start();
  });
  const sorted = late.slice(0, fired).sort();
  const p99 = percentile(sorted, 0.99);
  console.log(
    `mode=${options.nextDeadline ? 'tick+wake-at-earliest' : 'fixed-tick'} fired=${fired} ticks=${ticks} lateness_p50_ms=${percentile(sorted, 0.5).toFixed(1)} lateness_p99_ms=${p99.toFixed(1)} lateness_max_ms=${sorted[sorted.length - 1]!.toFixed(1)} max_tick_work_ms=${maxTickMs.toFixed(1)}`,
  );
  return p99;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
