import { schemaProblems } from './k8s-schema';

const deployment = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x' },
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: {
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'x', image: 'x:1', ...container }] },
    },
  },
});

describe('schemaProblems', () => {
  it('given a valid Deployment, then it finds nothing', () => {
    expect(schemaProblems(deployment({ ports: [{ containerPort: 8080 }] }))).toEqual([]);
  });

  it('given a wrong enum value and a string port, then it names both fields', () => {
    const [problem] = schemaProblems(
      deployment({ imagePullPolicy: 'Sometimes', ports: [{ containerPort: '8080' }] }),
    );
    expect(problem).toContain('imagePullPolicy');
    expect(problem).toContain('containerPort must be integer');
  });

  it('given a kind it has no schema for, then that is a problem', () => {
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(
      ['no schema for example.com/v1 Widget'],
    );
  });

  it('given generated Secret data wrapped over lines, then it validates the base64 as the API server reads it', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'aGVsbG8g\nd29ybGQ=\n' },
    };
    expect(schemaProblems(secret)).toEqual([]);
    expect(schemaProblems({ ...secret, data: { a: 'not base64!' } })).toHaveLength(1);
  });
});
