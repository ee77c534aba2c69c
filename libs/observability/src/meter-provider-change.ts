// Instruments made before `startTelemetry` would stay bound to the no-op meter forever (the metrics API has
// no proxy provider, unlike tracing). Wrapped instruments subscribe here and re-bind when the global meter
// provider changes.
const rebinders = new Set<() => void>();

export function onMeterProviderChange(rebind: () => void): void {
  rebinders.add(rebind);
}

export function meterProviderChanged(): void {
  for (const rebind of rebinders) rebind();
}
