/** Every function and hook the app registered through `@azure/functions-core`. */
import type { FunctionRegistry, RegisteredFunction } from '../engineContract';
import type { CoreCaptureTarget, CoreFunctionMetadata, CoreFunctionCallback, CoreHookCallback } from './functionsCore';

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';

/** Same rule as @azure/functions' isTrigger: a binding type ending in "trigger". */
export function isTriggerType(type: string): boolean {
  return type.toLowerCase().endsWith('trigger');
}

export class AppRegistrations implements FunctionRegistry, CoreCaptureTarget {
  readonly #functions = new Map<string, RegisteredFunction>();
  readonly #hooks = new Map<string, Set<CoreHookCallback>>();
  #programmingModel: unknown;

  registerFunction(metadata: CoreFunctionMetadata, callback: CoreFunctionCallback): void {
    const name = metadata?.name;
    if (typeof name !== 'string' || name.length === 0) throw new Error('registerFunction: metadata.name is required');
    if (this.get(name)) throw new Error(`A function with the name "${name}" has already been registered.`);
    const trigger = Object.values(metadata.bindings ?? {}).find((b) => isTriggerType(b.type));
    if (!trigger) throw new Error(`Function "${name}" has no trigger binding`);
    this.#functions.set(name.toLowerCase(), {
      name,
      metadata: metadata as RegisteredFunction['metadata'],
      triggerType: trigger.type,
      handler: callback as RegisteredFunction['handler'],
    });
  }

  registerHook(hookName: string, callback: CoreHookCallback): () => void {
    const set = this.#hooks.get(hookName) ?? new Set<CoreHookCallback>();
    this.#hooks.set(hookName, set);
    set.add(callback);
    return () => set.delete(callback);
  }

  setProgrammingModel(model: unknown): void {
    this.#programmingModel = model;
  }

  getProgrammingModel(): unknown {
    return this.#programmingModel;
  }

  /** Function names are case-insensitive in Azure Functions. */
  get(name: string): RegisteredFunction | undefined {
    return this.#functions.get(name.toLowerCase());
  }

  all(): RegisteredFunction[] {
    return [...this.#functions.values()];
  }

  hooks(hookName: HookName): CoreHookCallback[] {
    return [...(this.#hooks.get(hookName) ?? [])];
  }
}
