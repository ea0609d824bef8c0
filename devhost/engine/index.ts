/** The Durable engine half of devhost (see devhost/engineContract.ts for the seam to the Functions host). */
import type { DurableEngine } from '../engineContract';
import { LocalDurableEngine, type DevhostEngineOptions } from './durableEngine';

export { InvalidInstanceIdError, validateInstanceId, type DevhostEngineOptions } from './durableEngine';
export { InvalidContinuationTokenError } from './statusView';

export function createDurableEngine(options: DevhostEngineOptions): DurableEngine {
  return new LocalDurableEngine(options);
}
