import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { type Overlay, overlayDir } from './paths';

/** A rendered Kubernetes object, loosely typed: the schema validator gives it its shape. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML, checked field by field by the tests.
  [field: string]: any;
}

/** Renders an overlay with `kubectl kustomize` (kustomize ships inside kubectl), as CI and operators do. */
export function renderOverlay(overlay: Overlay): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', overlayDir(overlay)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseYamlStream(text);
}

/** Every non-empty document of a YAML stream; a syntax error throws. */
export function parseYamlStream(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** The name without the content hash kustomize appends to generated ConfigMaps and Secrets. */
export const baseName = (name: string) => name.replace(/-[a-z0-9]{10}$/, '');

/** The object of that kind and (generated or plain) name. */
export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found =
    objects.find((o) => o.kind === kind && o.metadata.name === name) ??
    objects.find((o) => o.kind === kind && baseName(o.metadata.name) === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found;
}

/** The pod template of a workload (Deployment, Job, CronJob). */
// biome-ignore lint/suspicious/noExplicitAny: see K8sObject.
export function podSpec(o: K8sObject): any {
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  return o.spec.template.spec;
}
