/**
 * The actions an orchestrator returns in its OrchestratorState (notes §1.5, §1.6), flattened the way the
 * host walks them: V2+ WhenAll/WhenAny compound actions are expanded depth-first into their children.
 */
import { z } from 'zod';

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export const actionTypeName: Record<number, string> = Object.fromEntries(
  Object.entries(ActionType).map(([name, value]) => [value, name]),
);

export const RetryOptionsSchema = z.object({
  firstRetryIntervalInMilliseconds: z.number().positive(),
  maxNumberOfAttempts: z.number().int().positive(),
  backoffCoefficient: z.number().positive().optional(),
  maxRetryIntervalInMilliseconds: z.number().nonnegative().optional(),
  retryTimeoutInMilliseconds: z.number().nonnegative().optional(),
});
export type RetryOptions = z.infer<typeof RetryOptionsSchema>;

export interface OrchestratorAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: unknown;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: OrchestratorAction[];
  [field: string]: unknown;
}

const ActionSchema: z.ZodType<OrchestratorAction> = z.lazy(() =>
  z.looseObject({
    actionType: z.number().int(),
    functionName: z.string().optional(),
    instanceId: z.string().optional(),
    fireAt: z.string().optional(),
    isCanceled: z.boolean().optional(),
    externalEventName: z.string().optional(),
    compoundActions: z.array(ActionSchema).optional(),
  }),
);

/** What the orchestrator handler returns (after the JSON round trip the Node worker performs). */
export const OrchestratorStateSchema = z.looseObject({
  isDone: z.boolean(),
  actions: z.array(z.array(ActionSchema)),
  output: z.unknown().optional(),
  error: z.string().optional(),
  customStatus: z.unknown().optional(),
  schemaVersion: z.number().int(),
});
export type OrchestratorState = z.infer<typeof OrchestratorStateSchema>;

function isCompound(action: { actionType: number }): boolean {
  return action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny;
}

/**
 * Flattens the cumulative action list. Works on the raw objects the handler returned (before the JSON round
 * trip) as well, so identity can be checked: one task object listed twice would make the host schedule it
 * twice while the SDK allocated one sequence id (notes §1.12 pitfall).
 */
export function flattenActions<A extends { actionType: number; compoundActions?: A[] }>(
  actions: A[][],
  schemaVersion: number,
): A[] {
  const flat: A[] = [];
  const visit = (action: A): void => {
    if (isCompound(action)) for (const child of action.compoundActions ?? []) visit(child);
    else flat.push(action);
  };
  if (schemaVersion === 0) {
    for (const group of actions) for (const action of group) visit(action);
  } else {
    for (const action of actions[0] ?? []) visit(action);
  }
  return flat;
}

/** Index of the first action object that appears twice, or -1. */
export function firstRepeatedAction(flat: object[]): number {
  const seen = new Set<object>();
  for (let i = 0; i < flat.length; i++) {
    if (seen.has(flat[i])) return i;
    seen.add(flat[i]);
  }
  return -1;
}

/** The part of an action the non-determinism check compares: its type and the name it targets. */
export interface ActionSignature {
  type: number;
  name?: string;
}

export function signatureOf(action: OrchestratorAction): ActionSignature {
  const name = action.functionName ?? action.externalEventName;
  return name === undefined ? { type: action.actionType } : { type: action.actionType, name };
}

export function describeSignature(signature: ActionSignature): string {
  const type = actionTypeName[signature.type] ?? `action type ${signature.type}`;
  return signature.name === undefined ? type : `${type} '${signature.name}'`;
}

/**
 * CallActivity(WithRetry) and ContinueAsNew inputs arrive pre-stringified when they are strings (notes §1.6,
 * `Utils.processInput`); the worker's tryJsonParse turns them back into the original value.
 */
export function deliveredInput(action: OrchestratorAction): unknown {
  if (typeof action.input !== 'string') return action.input;
  const preStringified =
    action.actionType === ActionType.CallActivity ||
    action.actionType === ActionType.CallActivityWithRetry ||
    action.actionType === ActionType.ContinueAsNew;
  if (!preStringified) return action.input;
  try {
    return JSON.parse(action.input);
  } catch {
    return action.input;
  }
}
