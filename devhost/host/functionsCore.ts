/**
 * Provides the module `@azure/functions-core` to the app, exactly as the Node worker does
 * (azure-functions-nodejs-worker src/setupCoreModule.ts): a `Module.prototype.require` proxy that answers
 * that one name with the core API object. `@azure/functions` caches the core API at its first lookup, so the
 * object is installed once per process and forwards to whichever app capture is current (an app can be
 * loaded again, e.g. by a second devhost in the same test process).
 */
import { NodeModule } from './nodeModuleSystem';

export interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, { type: string; direction: 'in' | 'out' | 'inout'; [key: string]: unknown }>;
  [key: string]: unknown;
}

export type CoreFunctionCallback = (...args: unknown[]) => unknown;
export type CoreHookCallback = (context: Record<string, unknown>) => unknown;

/** What the app registers while it is being loaded. */
export interface CoreCaptureTarget {
  registerFunction(metadata: CoreFunctionMetadata, callback: CoreFunctionCallback): void;
  registerHook(hookName: string, callback: CoreHookCallback): () => void;
  setProgrammingModel(model: unknown): void;
  getProgrammingModel(): unknown;
}

class Disposable {
  #callOnDispose: (() => unknown) | undefined;
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  static from(...disposables: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => disposables.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.#callOnDispose?.();
    this.#callOnDispose = undefined;
  }
}

/**
 * Process-wide state, kept on Node's native Module: @azure/functions caches the core API object at its first
 * lookup, so every later load (also from another copy of this file, e.g. another test file's module
 * registry) must reach the same object and redirect it to the current capture.
 */
interface CoreState {
  currentTarget?: CoreCaptureTarget;
  /** @azure/functions sets its programming model once per process; a later capture inherits it. */
  programmingModel?: unknown;
  coreApi: unknown;
}

const STATE = Symbol.for('devhost.functionsCore');

function createCoreState(): CoreState {
  const state: CoreState = { coreApi: undefined };
  const target = (): CoreCaptureTarget => {
    if (!state.currentTarget) throw new Error('devhost: no app is being loaded; @azure/functions-core is not available');
    return state.currentTarget;
  };
  state.coreApi = {
    version: '3.10.1',
    hostVersion: '4.1036.0-devhost',
    Disposable,
    setProgrammingModel(model: unknown) {
      state.programmingModel = model;
      target().setProgrammingModel(model);
    },
    getProgrammingModel: () => target().getProgrammingModel(),
    registerFunction(metadata: CoreFunctionMetadata, callback: CoreFunctionCallback): Disposable {
      target().registerFunction(metadata, callback);
      return new Disposable(() => undefined);
    },
    registerHook(hookName: string, callback: CoreHookCallback): Disposable {
      return new Disposable(target().registerHook(hookName, callback));
    },
    // Present so app.setup({ enableHttpStream }) passes its host-version check; devhost does not stream.
    log: (level: string, category: string, message: string) => {
      if (level === 'error' || level === 'critical') process.stderr.write(`[${category}] ${message}\n`);
    },
  };
  const proto = NodeModule.prototype as unknown as { require: (id: string) => unknown };
  proto.require = new Proxy(proto.require, {
    apply(originalRequire, thisArg, args: unknown[]) {
      if (args[0] === '@azure/functions-core') return state.coreApi;
      return Reflect.apply(originalRequire, thisArg, args);
    },
  });
  return state;
}

/** Installs the require proxy (once per process) and makes `captureTarget` receive the registrations. */
export function provideFunctionsCore(captureTarget: CoreCaptureTarget): void {
  const holder = NodeModule as unknown as Record<symbol, CoreState | undefined>;
  const state = (holder[STATE] ??= createCoreState());
  state.currentTarget = captureTarget;
  if (state.programmingModel !== undefined) captureTarget.setProgrammingModel(state.programmingModel);
}
