import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize';

/** The API groups Switchboard's manifests use, by apiVersion; each module exports one model class per kind. */
const groups: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'batch/v1': batch,
  'networking.k8s.io/v1': networking,
  'policy/v1': policy,
  'monitoring.coreos.com/v1': monitoring,
};

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/**
 * Validates an object against the Kubernetes OpenAPI schema of its kind (kubernetes-models, generated from
 * the upstream schemas; the Prometheus Operator CRDs from @kubernetes-models/prometheus-operator).
 * Returns the problems, empty when valid. An apiVersion/kind outside the known groups is a problem too.
 */
export function schemaProblems(object: K8sObject): string[] {
  const group = groups[object.apiVersion];
  const Model = group?.[object.kind] as ModelClass | undefined;
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(normalised(object)).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

/**
 * kustomize wraps the base64 of generated Secret data at 76 columns; the API server's decoder skips line
 * breaks (Go's base64 does), while the schema's "byte" format does not: join the lines as the server reads them.
 */
function normalised(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')]),
  );
  return { ...object, data };
}
