import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaProblems } from './k8s-schema';
import { byKind, find, type K8sObject, podSpec, renderOverlay } from './kustomize';
import { k8sDir, type Overlay, overlays } from './paths';
import { knownVariables, type Service, services } from './service-config';

const rendered = Object.fromEntries(overlays.map((o) => [o, renderOverlay(o)])) as Record<
  Overlay,
  K8sObject[]
>;
const workloadKinds = new Set(['Deployment', 'Job', 'CronJob']);
const workloads = (objects: K8sObject[]) => objects.filter((o) => workloadKinds.has(o.kind));
const durationSeconds = (text: string) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  return m[2] === 'ms' || m[2] === undefined ? n / 1000 : m[2] === 'm' ? n * 60 : n;
};
const configData = (objects: K8sObject[], name: string): Record<string, string> =>
  find(objects, 'ConfigMap', name).data;

describe.each(overlays)('the %s overlay', (overlay) => {
  const objects = rendered[overlay];

  it('renders every object valid against the Kubernetes (and Prometheus Operator) schemas', () => {
    expect(objects.length).toBeGreaterThan(20);
    const problems = objects.flatMap((o) =>
      schemaProblems(o).map((p) => `${o.kind}/${o.metadata.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('puts everything in the overlay namespace, which enforces the restricted pod security standard', () => {
    const namespace = byKind(objects, 'Namespace')[0];
    expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const namespaced = objects.filter((o) => o.kind !== 'Namespace');
    expect(namespaced.filter((o) => o.metadata.namespace !== namespace?.metadata.name)).toEqual([]);
  });

  it.each(services)(
    'gives %s a Deployment, Service, PodDisruptionBudget and NetworkPolicy that select its pods',
    (service) => {
      const deployment = find(objects, 'Deployment', service);
      const labels = deployment.spec.template.metadata.labels;
      expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': service });
      for (const kind of ['Service', 'PodDisruptionBudget', 'NetworkPolicy']) {
        const o = find(objects, kind, service);
        const selector =
          kind === 'Service'
            ? o.spec.selector
            : kind === 'NetworkPolicy'
              ? o.spec.podSelector.matchLabels
              : o.spec.selector.matchLabels;
        for (const [k, v] of Object.entries(selector)) expect(labels[k]).toBe(v);
      }
      expect(find(objects, 'PodDisruptionBudget', service).spec.maxUnavailable).toBe(1);
    },
  );

  it.each(services)(
    'runs %s hardened, probed, sized, spread and with a grace period longer than its drain',
    (service) => {
      const deployment = find(objects, 'Deployment', service);
      const pod = podSpec(deployment);
      const [container] = pod.containers;
      expect(pod.containers).toHaveLength(1);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.startupProbe.httpGet.path).toBe('/healthz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      for (const key of ['cpu', 'memory']) {
        expect(container.resources.requests[key]).toBeDefined();
        expect(container.resources.limits[key]).toBeDefined();
      }
      expect(pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey)).toEqual([
        'topology.kubernetes.io/zone',
        'kubernetes.io/hostname',
      ]);
      // The drain the service is configured with, plus the preStop pause, must end before SIGKILL.
      const config = {
        ...configData(objects, 'switchboard-common'),
        ...configData(objects, `${service}-config`),
      };
      const drain = Object.entries(config)
        .filter(([k]) => k.endsWith('_SHUTDOWN_GRACE'))
        .reduce((max, [, v]) => Math.max(max, durationSeconds(v)), 10);
      const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drain + preStop);
      expect(deployment.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
    },
  );

  it('runs every Job and CronJob hardened too', () => {
    const jobs = objects.filter((o) => o.kind === 'Job' || o.kind === 'CronJob');
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual([
      'analytics-migrate',
      'analytics-rebuild',
      'switchboard-topics',
    ]);
    for (const job of jobs) {
      const pod = podSpec(job);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
        });
        expect(c.resources.limits.memory).toBeDefined();
      }
    }
    expect(find(objects, 'CronJob', 'analytics-rebuild').spec.suspend).toBe(true);
  });

  it('references only ConfigMaps it renders, and only images pinned to a tag', () => {
    const configMaps = new Set(byKind(objects, 'ConfigMap').map((c) => c.metadata.name));
    for (const w of workloads(objects)) {
      const pod = podSpec(w);
      for (const c of pod.containers) {
        expect(c.image).toMatch(/:[\w.-]+$/);
        expect(c.image).not.toMatch(/:latest$/);
        for (const from of c.envFrom ?? []) expect(configMaps).toContain(from.configMapRef.name);
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef;
          if (ref) expect(configMaps).toContain(ref.name);
        }
      }
      for (const v of pod.volumes ?? []) if (v.configMap) expect(configMaps).toContain(v.configMap.name);
    }
  });

  it.each(services)('sets only variables that %s reads (its config schema)', (service: Service) => {
    const deployment = find(objects, 'Deployment', service);
    const [container] = podSpec(deployment).containers;
    const names = [
      ...container.envFrom.flatMap((f: { configMapRef: { name: string } }) =>
        Object.keys(configData(objects, f.configMapRef.name)),
      ),
      ...(container.env ?? []).map((e: { name: string }) => e.name),
    ];
    const known = knownVariables(service);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it('keeps routing and sla-timer on the partition count the topics are created with', () => {
    const topics = configData(objects, 'switchboard-topics');
    expect(configData(objects, 'routing-config').ROUTING_PARTITIONS).toBe(topics.TENANT_PARTITIONS);
    expect(configData(objects, 'sla-timer-config').SLA_PARTITIONS).toBe(topics.TENANT_PARTITIONS);
  });

  it('ships the provisioning script and topic list unchanged, and the dashboard for the Grafana sidecar', () => {
    const scripts = find(objects, 'ConfigMap', 'switchboard-topics-scripts');
    expect(scripts.data['topics.txt']).toBe(readFileSync(join(k8sDir, 'base/jobs/topics.txt'), 'utf8'));
    const dashboard = find(objects, 'ConfigMap', 'switchboard-grafana-dashboard');
    expect(dashboard.metadata.labels?.grafana_dashboard).toBe('1');
    expect(JSON.parse(dashboard.data['switchboard-operations.json']).uid).toBe('switchboard-operations');
  });
});

describe('the dev overlay', () => {
  const objects = rendered.dev;

  it('generates every Secret the workloads reference, and runs one replica of each service without autoscaling', () => {
    const secrets = new Set(byKind(objects, 'Secret').map((s) => s.metadata.name));
    for (const w of workloads(objects)) {
      const pod = podSpec(w);
      for (const v of pod.volumes ?? [])
        if (v.secret && !v.secret.optional) expect(secrets).toContain(v.secret.secretName);
      for (const c of pod.containers)
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref && !ref.optional) expect(secrets).toContain(ref.name);
        }
    }
    expect(byKind(objects, 'Deployment').map((d) => d.spec.replicas)).toEqual([1, 1, 1, 1]);
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
  });
});

describe('the production overlay', () => {
  const objects = rendered.production;
  const partitions = Number(configData(objects, 'switchboard-topics').TENANT_PARTITIONS);

  it('autoscales ingestion on CPU and the consumers on consumer-group lag, never past the partition count', () => {
    const hpas = Object.fromEntries(
      byKind(objects, 'HorizontalPodAutoscaler').map((h) => [h.metadata.name, h]),
    );
    expect(Object.keys(hpas).sort()).toEqual([...services].sort());
    expect(hpas.ingestion!.spec.metrics[0].resource.name).toBe('cpu');
    for (const consumer of ['routing', 'sla-timer', 'analytics']) {
      expect(hpas[consumer]!.spec.metrics[0].external.metric.name).toBe('kafka_consumergroup_lag');
      expect(hpas[consumer]!.spec.maxReplicas).toBeLessThanOrEqual(partitions);
    }
    // Replicas belong to the autoscalers: an apply must not reset them.
    expect(byKind(objects, 'Deployment').filter((d) => d.spec.replicas !== undefined)).toEqual([]);
  });

  it('generates no Secret (operators provide them), serves gRPC over TLS and enforces zone spreading for owners', () => {
    expect(byKind(objects, 'Secret')).toEqual([]);
    for (const s of ['routing', 'analytics'])
      expect(configData(objects, `${s}-config`).GRPC_TLS_CERT_FILE).toBe('/etc/switchboard/tls/tls.crt');
    for (const s of ['routing', 'sla-timer'])
      expect(podSpec(find(objects, 'Deployment', s)).topologySpreadConstraints[0].whenUnsatisfiable).toBe(
        'DoNotSchedule',
      );
  });

  it('scrapes every service through one ServiceMonitor and carries the alert rules', () => {
    const monitor = find(objects, 'ServiceMonitor', 'switchboard');
    expect(monitor.spec.selector.matchExpressions[0].values.sort()).toEqual([...services].sort());
    expect(find(objects, 'PrometheusRule', 'switchboard').spec.groups.length).toBeGreaterThan(0);
  });
});
