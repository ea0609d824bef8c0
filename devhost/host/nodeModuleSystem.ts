/**
 * Node's own module system, even when devhost runs inside a test runner whose `require('module')` is a
 * subclass with its own registry (jest's): the app must be loaded, and `@azure/functions-core` provided,
 * where the Node worker does it, on the native `Module`.
 */
import Module from 'node:module';

function nativeModule(candidate: typeof Module): typeof Module {
  let current = candidate;
  for (;;) {
    const parent = Object.getPrototypeOf(current) as typeof Module | undefined;
    if (typeof parent?.prototype?.require !== 'function' || typeof parent.createRequire !== 'function') return current;
    current = parent;
  }
}

export const NodeModule: typeof Module = nativeModule(Module);
