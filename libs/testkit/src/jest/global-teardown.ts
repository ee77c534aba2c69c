/** Stops what the global setup started (a broker it launched, the database it created). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__switchboardInfra?.stop();
  globalThis.__switchboardInfra = undefined;
}
