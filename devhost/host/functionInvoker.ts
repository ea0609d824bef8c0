/**
 * Calls a registered handler as the Node worker does: a fresh InvocationContext whose options come from
 * the registered bindings, extra inputs filled (durableClient), preInvocation / postInvocation hooks, and
 * one structured log line per invocation.
 */
import { randomUUID } from 'node:crypto';
import type { InvocationContext } from '@azure/functions';
import type { InvocationLogEntry, RegisteredFunction } from '../engineContract';
import type { FunctionsLibrary } from './appLoader';
import type { AppRegistrations } from './functionRegistry';
import { isTriggerType } from './functionRegistry';
import { userLogger, type LogWriter } from './invocationLog';

type Binding = { type: string; name: string; [key: string]: unknown };

export interface FunctionInvokerOptions {
  library: FunctionsLibrary;
  registrations: AppRegistrations;
  logInvocation: (entry: InvocationLogEntry) => void;
  writeUserLog: LogWriter;
  durableClientBinding: () => unknown;
}

export interface InvokeOptions {
  kind: InvocationLogEntry['kind'];
  instanceId?: string;
  triggerMetadata?: Record<string, unknown>;
}

/** Same split as @azure/functions' fromRpcBindings. */
export function bindingOptions(fn: RegisteredFunction) {
  let trigger: Binding | undefined;
  let returnBinding: Binding | undefined;
  const extraInputs: Binding[] = [];
  const extraOutputs: Binding[] = [];
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    const option = { ...binding, name };
    if (isTriggerType(binding.type)) trigger = option;
    else if (name === '$return') returnBinding = option;
    else if (binding.direction === 'in') extraInputs.push(option);
    else if (binding.direction === 'out') extraOutputs.push(option);
  }
  return { trigger: trigger as Binding, return: returnBinding, extraInputs, extraOutputs };
}

export class FunctionInvoker {
  constructor(private readonly options: FunctionInvokerOptions) {}

  createContext(fn: RegisteredFunction, invocationId = randomUUID(), triggerMetadata?: Record<string, unknown>): InvocationContext {
    const bindings = bindingOptions(fn);
    const context = new this.options.library.InvocationContext({
      invocationId,
      functionName: fn.name,
      logHandler: userLogger(this.options.writeUserLog, fn.name, invocationId),
      triggerMetadata,
      options: bindings as never,
    });
    for (const input of bindings.extraInputs) {
      const type = input.type.toLowerCase();
      if (type === 'durableclient' || type === 'orchestrationclient') {
        context.extraInputs.set(input.name, this.options.durableClientBinding());
      }
    }
    return context;
  }

  /** Runs the handler; resolves with its result or rejects with its error (after logging either way). */
  async invoke(fn: RegisteredFunction, triggerInput: unknown, invoke: InvokeOptions): Promise<unknown> {
    const context = this.createContext(fn, randomUUID(), invoke.triggerMetadata);
    const started = performance.now();
    const hookData: Record<string, unknown> = {};
    const pre: Record<string, unknown> = {
      hookData,
      invocationContext: context,
      inputs: [triggerInput],
      functionCallback: fn.handler,
    };
    let result: unknown;
    let error: unknown;
    try {
      for (const hook of this.options.registrations.hooks('preInvocation')) await hook(pre);
      const handler = pre.functionCallback as RegisteredFunction['handler'];
      const inputs = pre.inputs as unknown[];
      result = await handler(inputs[0], context);
    } catch (thrown) {
      error = thrown;
    }
    const post: Record<string, unknown> = { hookData, invocationContext: context, inputs: pre.inputs, result, error };
    try {
      for (const hook of this.options.registrations.hooks('postInvocation')) await hook(post);
    } catch (thrown) {
      post.error = thrown;
    }
    const failure = post.error;
    this.options.logInvocation({
      function: fn.name,
      kind: invoke.kind,
      instanceId: invoke.instanceId,
      invocationId: context.invocationId,
      durationMs: performance.now() - started,
      outcome: failure === undefined || failure === null ? 'Succeeded' : 'Failed',
      error: failure === undefined || failure === null ? undefined : failure instanceof Error ? failure.message : String(failure),
    });
    if (failure !== undefined && failure !== null) throw failure;
    return post.result;
  }
}
