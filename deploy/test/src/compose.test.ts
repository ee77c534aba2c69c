import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { repoRoot } from './paths';
import { knownVariables, type Service, services } from './service-config';

/** `docker-compose config` (Debian's docker-compose): validates the file and prints it resolved. */
function composeConfig(...args: string[]) {
  const text = execFileSync('docker-compose', [...args, 'config'], { cwd: repoRoot, encoding: 'utf8' });
  return parse(text) as { services: Record<string, ComposeService> };
}

interface ComposeService {
  image?: string;
  build?: { dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  read_only?: boolean;
  user?: string;
  cap_drop?: string[];
  healthcheck?: unknown;
  profiles?: string[];
  volumes?: unknown[];
}

describe('docker-compose.yml', () => {
  const stack = composeConfig();
  const byProfile = (profile: string | undefined) =>
    Object.entries(stack.services)
      .filter(([, s]) => s.profiles?.[0] === profile)
      .map(([name]) => name)
      .sort();

  it('is valid and runs Kafka, PostgreSQL, the one-shot jobs, the four services and a collector', () => {
    expect(byProfile(undefined)).toEqual(
      [
        'analytics',
        'ingestion',
        'kafka',
        'migrate',
        'otel-collector',
        'postgres',
        'routing',
        'sla-timer',
        'topics',
      ].sort(),
    );
    expect(byProfile('observability')).toEqual(['grafana', 'jaeger', 'kafka-exporter', 'prometheus']);
    expect(stack.services.kafka?.image).toBe('apache/kafka:3.9.1');
  });

  it.each(services)(
    'builds %s from the one Dockerfile and starts it after the topics exist, hardened',
    (service) => {
      const s = stack.services[service]!;
      const built = s.build ?? stack.services.migrate!.build!;
      expect(built.dockerfile).toBe('deploy/docker/Dockerfile');
      if (s.build) expect(s.build.args?.SERVICE).toBe(service);
      expect(s.depends_on?.topics?.condition).toBe('service_completed_successfully');
      expect(s.depends_on?.kafka?.condition).toBe('service_healthy');
      expect(s).toMatchObject({ read_only: true, user: '65532:65532', cap_drop: ['ALL'] });
    },
  );

  it.each(services)('sets only variables that %s reads', (service: Service) => {
    const known = knownVariables(service);
    expect(Object.keys(stack.services[service]!.environment ?? {}).filter((n) => !known.has(n))).toEqual([]);
  });

  it('migrates before analytics starts and provisions topics with the Kubernetes script', () => {
    expect(stack.services.analytics?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(stack.services.migrate?.build?.args?.SERVICE).toBe('analytics');
    expect(JSON.stringify(stack.services.topics?.volumes)).toContain('deploy/k8s/base/jobs');
  });
});
