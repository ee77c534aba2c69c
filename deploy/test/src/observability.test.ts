import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { deployDir, k8sDir, operationsDoc } from './paths';
import { services } from './service-config';

interface Rule {
  alert: string;
  expr: string;
  labels: { severity: string };
  annotations: { summary: string; runbook_url: string };
}
interface Groups {
  groups: { name: string; rules: Rule[] }[];
}

const read = (path: string) => readFileSync(path, 'utf8');
const alerts = parse(read(join(deployDir, 'prometheus/alerts.yml'))) as Groups;
const rule = parse(read(join(k8sDir, 'components/prometheus-operator/prometheus-rule.yaml'))) as {
  spec: Groups;
};
const dashboard = JSON.parse(read(join(k8sDir, 'base/observability/dashboards/switchboard-operations.json')));
const doc = read(operationsDoc);

/** GitHub's anchor of a Markdown heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
const anchors = new Set(
  doc
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => anchor(l.replace(/^#+/, ''))),
);

describe('alerts', () => {
  const rules = alerts.groups.flatMap((g) => g.rules);

  it('are the same for the compose Prometheus and the Kubernetes PrometheusRule', () => {
    expect(rule.spec).toEqual(alerts);
  });

  it('cover consumer lag, SLA breach rate, 5xx rate and readiness', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'SwitchboardConsumerLagHigh',
        'SwitchboardSlaBreachRateHigh',
        'SwitchboardHigh5xxRate',
        'SwitchboardNotReady',
      ]),
    );
  });

  it.each(rules.map((r) => [r.alert, r] as const))(
    '%s has a severity, a summary and a runbook section',
    (name, r) => {
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      const [, fragment] = r.annotations.runbook_url.split('#');
      expect(fragment).toBe(name.toLowerCase());
      expect(anchors).toContain(fragment);
    },
  );
});

describe('the Grafana dashboard', () => {
  const panels = dashboard.panels.filter((p: { type: string }) => p.type !== 'row');
  const exprs: string[] = panels.flatMap((p: { targets: { expr: string }[] }) =>
    p.targets.map((t) => t.expr),
  );

  it('shows ingest rate, routing latency, lag, queue lengths and SLA breaches', () => {
    for (const metric of [
      'ingestion_events_accepted_total',
      'routing_input_lag_bucket',
      'kafka_consumergroup_lag',
      'routing_queue_length',
      'sla_breaches_total',
    ])
      expect(exprs.some((e) => e.includes(metric))).toBe(true);
  });

  it('queries the selectable Prometheus data source from every panel, without overlapping panels', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template.
    for (const p of panels) expect(p.datasource.uid).toBe('${datasource}');
    const cells = new Set<string>();
    for (const p of dashboard.panels)
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
  });
});

describe('the compose Prometheus', () => {
  it('scrapes every service under the job name the alerts and the ServiceMonitor use', () => {
    const config = parse(read(join(deployDir, 'prometheus/prometheus.yml')));
    const jobs = config.scrape_configs.map((c: { job_name: string }) => c.job_name);
    expect(jobs).toEqual(expect.arrayContaining(services.map((s) => `switchboard-${s}`)));
  });
});
