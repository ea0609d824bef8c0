/**
 * Loads test/apps/replay with `@azure/functions-core` provided as a jest virtual module, so every
 * `df.app.orchestration/activity` registration is captured with its real handler (the devhost loader does
 * the same with a require proxy; this shim only exists for tests of the engine alone).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FunctionRegistry, RegisteredFunction } from '../../../devhost/engineContract';

const mockCaptured: RegisteredFunction[] = [];

jest.mock(
  '@azure/functions-core',
  () => {
    let model: unknown;
    return {
      version: 'test',
      hostVersion: 'test',
      setProgrammingModel: (m: unknown) => (model = m),
      getProgrammingModel: () => model,
      registerFunction(metadata: RegisteredFunction['metadata'], handler: RegisteredFunction['handler']) {
        const trigger = Object.values(metadata.bindings).find((b) => b.type.endsWith('Trigger'));
        mockCaptured.push({ name: metadata.name, metadata, triggerType: trigger?.type ?? 'unknown', handler });
        return { dispose: () => undefined };
      },
      registerHook: () => ({ dispose: () => undefined }),
      Disposable: class {
        dispose(): void {}
      },
    };
  },
  { virtual: true },
);

/** `app`: a folder under test/apps (default the engine's own replay app). */
export function loadReplayApp(app = 'replay'): FunctionRegistry {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(`../../apps/${app}`);
  const byName = new Map(mockCaptured.map((f) => [f.name.toLowerCase(), f]));
  return { get: (name) => byName.get(name.toLowerCase()), all: () => [...mockCaptured] };
}

export function temporaryStateDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `devhost-${label}-`));
}
