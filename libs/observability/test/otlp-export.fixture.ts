// Child process for telemetry-otlp.test.ts: the OTLP exporter loads `http` through a dynamic import, which
// jest's module sandbox cannot run, so the export is exercised in a plain Node process.
import { trace } from '@opentelemetry/api';
import { startTelemetry } from '../src/telemetry';

async function main(endpoint: string): Promise<void> {
  const telemetry = startTelemetry({
    serviceName: 'routing',
    otlpEndpoint: endpoint,
    instrument: false,
    prometheus: false,
  });
  trace.getTracer('fixture').startActiveSpan('assign-conversation', (span) => span.end());
  await telemetry.shutdown();
}

main(process.argv[2] ?? '').catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
