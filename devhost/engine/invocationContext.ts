/**
 * A fresh InvocationContext per invocation, filled from the registered bindings as the Node worker does:
 * `options.trigger` is the trigger binding, other input bindings become `options.extraInputs`, and a
 * durableClient input gets its value from the host (notes §1.2, §3.2).
 */
import { InvocationContext, type FunctionInput, type LogHandler } from '@azure/functions';
import type { BindingMetadata, RegisteredFunction } from '../engineContract';

const logToConsole: LogHandler = (level, ...args) => {
  if (level === 'error') console.error(...args);
  else if (level === 'warning') console.warn(...args);
  else if (level === 'information') console.log(...args);
};

export function invocationContextFor(
  registered: RegisteredFunction,
  invocationId: string,
  durableClientBinding?: () => unknown,
): InvocationContext {
  const bindings = Object.values(registered.metadata.bindings ?? {}) as BindingMetadata[];
  const trigger = bindings.find((b) => b.direction === 'in' && b.type === registered.triggerType);
  const extraInputs = bindings.filter((b) => b !== trigger && b.direction === 'in') as unknown as FunctionInput[];
  const context = new InvocationContext({
    functionName: registered.name,
    invocationId,
    logHandler: logToConsole,
    options: {
      trigger: (trigger ?? { name: registered.triggerType, type: registered.triggerType }) as unknown as FunctionInput as never,
      extraInputs,
    },
  });
  for (const input of extraInputs) {
    if ((input.type === 'durableClient' || input.type === 'orchestrationClient') && durableClientBinding) {
      context.extraInputs.set(input, durableClientBinding());
    }
  }
  return context;
}
