/** The activity side of a step: how executeStep parses, classifies failures, plans, writes and journals. */
import { z } from 'zod';
import { SapError } from '../../../shared/sap/errors';
import { defineStep, type Diff } from '../../../shared/workflow/defineStep';
import { executeStep } from '../../../shared/workflow/stepActivity';
import type { StepDependencies } from '../../../shared/workflow/stepDependencies';
import { memoryStepJournal, type StepJournal } from '../../../shared/workflow/stepJournal';

interface Thing {
  size: number;
}

/** An ensure step over a map the test owns; `found` is what read returns, `wanted` what diff decides. */
function thingStep(options: { read?: () => Promise<Thing | undefined>; diff?: (current: Thing | undefined) => Diff<Thing> } = {}) {
  const writes: { action: string; input: unknown }[] = [];
  const step = defineStep({
    id: 'thing',
    title: 'The thing',
    system: ({ name }: { name: string; size: number }) => `store ${name}`,
    input: z.object({ name: z.string(), size: z.number().int() }),
    output: z.object({ size: z.number() }),
    read: async () => (options.read ? options.read() : undefined),
    diff: (current, input) =>
      options.diff?.(current) ??
      (current === undefined
        ? { action: 'create', object: `thing ${input.name}`, changes: [{ field: 'size', to: String(input.size) }], output: { size: input.size } }
        : { action: 'unchanged', object: `thing ${input.name}`, changes: [], output: current }),
    write: async (_deps, input, _current, diff) => {
      writes.push({ action: diff.action, input });
      return { output: { size: input.size }, detail: 'written' };
    },
  });
  return { step, writes };
}

function deps(journal: StepJournal = memoryStepJournal()): () => Promise<StepDependencies> {
  return async () => ({ journal, now: () => new Date() }) as unknown as StepDependencies;
}

const run = (input: unknown, runId = 'run-1') => ({ mode: 'run', runId, input });
const plan = (input: unknown, runId = 'plan-1') => ({ mode: 'plan', runId, input });

type UserNow = { exists: boolean; password?: string };
type UserStep = Parameters<typeof defineStep<{ name: string }, UserNow, { name: string }>>[0];

/** A step that creates a user with a password it prepares before the write (the communication user's shape). */
const userWithPassword = (parts: Pick<UserStep, 'prepareWrite' | 'write'>) =>
  defineStep<{ name: string }, UserNow, { name: string }>({
    id: 'user',
    title: 'A user with a generated password',
    system: () => 'my100001',
    input: z.object({ name: z.string() }),
    output: z.object({ name: z.string() }),
    read: async () => ({ exists: false }),
    diff: (_current, { name }) => ({ action: 'create', object: `user ${name}`, changes: [], output: { name } }),
    ...parts,
  });

describe('executeStep', () => {
  it('turns an input that does not match the step\'s schema into a permanent InvalidStepInput failure naming the field', async () => {
    const { step, writes } = thingStep();
    const result = await executeStep(step, run({ name: 'a', size: 'big' }), deps());
    expect(result).toMatchObject({ ok: false, transient: false, failure: { step: 'thing', kind: 'InvalidStepInput' } });
    expect(!result.ok && result.failure.message).toMatch(/size: /);
    expect(writes).toEqual([]);
  });

  it('turns an envelope without a mode into a permanent failure, not a retry', async () => {
    const { step } = thingStep();
    const result = await executeStep(step, { runId: 'r', input: { name: 'a', size: 1 } }, deps());
    expect(result).toMatchObject({ ok: false, transient: false, failure: { kind: 'InvalidStepInput' } });
  });

  it('returns a transient SapError as transient, with SAP\'s Retry-After', async () => {
    const busy = new SapError({ api: 'S4', kind: 'Transient', system: 'my100001', operation: 'CommunicationUsers find', status: 503, sapMessage: 'Service Unavailable', retryAfterMs: 3000 });
    const { step } = thingStep({ read: () => Promise.reject(busy) });
    const result = await executeStep(step, run({ name: 'a', size: 1 }), deps());
    expect(result).toMatchObject({ ok: false, transient: true, retryAfterMs: 3000, failure: { step: 'thing', system: 'my100001', kind: 'Transient' } });
    expect(!result.ok && result.failure.fix).toMatch(/^my100001 kept answering with temporary errors/);
  });

  it('returns a SapError that is not transient as a permanent failure with SAP\'s kind', async () => {
    const refused = new SapError({ api: 'S4', kind: 'Forbidden', system: 'my100001', operation: 'CommunicationUsers create', status: 403, sapMessage: 'No authorization' });
    const { step } = thingStep({ read: () => Promise.reject(refused) });
    const result = await executeStep(step, run({ name: 'a', size: 1 }), deps());
    expect(result).toMatchObject({ ok: false, transient: false, failure: { kind: 'Forbidden', system: 'my100001' } });
    expect(result).not.toHaveProperty('retryAfterMs');
  });

  it('fails a conflict in a run as Conflict naming who uses the object, and never writes', async () => {
    const { step, writes } = thingStep({
      diff: () => ({ action: 'conflict', object: 'thing a', changes: [], output: { size: 0 }, conflict: { usedBy: ['system OTHER'], fix: 'Choose another name.' } }),
    });
    const result = await executeStep(step, run({ name: 'a', size: 1 }), deps());
    expect(result).toEqual({
      ok: false,
      transient: false,
      failure: { step: 'thing', system: 'store a', kind: 'Conflict', message: 'thing a is not ours to change: it is used by system OTHER', fix: 'Choose another name.' },
    });
    expect(writes).toEqual([]);
  });

  it('reports a conflict in a plan as the plan, without failing', async () => {
    const { step, writes } = thingStep({
      diff: () => ({ action: 'conflict', object: 'thing a', changes: [], output: { size: 0 }, conflict: { usedBy: ['system OTHER'], fix: 'Choose another name.' } }),
    });
    const result = await executeStep(step, plan({ name: 'a', size: 1 }), deps());
    expect(result).toMatchObject({ ok: true, plan: { action: 'conflict', conflict: { usedBy: ['system OTHER'] } } });
    expect(writes).toEqual([]);
  });

  it('plans a create without writing and hands on the projected output', async () => {
    const journal = memoryStepJournal();
    const { step, writes } = thingStep();
    const result = await executeStep(step, plan({ name: 'a', size: 4 }), deps(journal));
    expect(result).toEqual({ ok: true, outcome: 'skipped', output: { size: 4 }, plan: { action: 'create', object: 'thing a', changes: [{ field: 'size', to: '4' }] } });
    expect(writes).toEqual([]);
    expect(await journal.intentOf('plan-1', 'thing')).toBeUndefined();
  });

  it('writes a create in a run, reports "created" and records the intent first', async () => {
    const journal = memoryStepJournal();
    const { step, writes } = thingStep();
    const result = await executeStep(step, run({ name: 'a', size: 4 }), deps(journal));
    expect(result).toMatchObject({ ok: true, outcome: 'created', output: { size: 4 }, detail: 'written', plan: { action: 'create' } });
    expect(writes).toEqual([{ action: 'create', input: { name: 'a', size: 4 } }]);
    expect(await journal.intentOf('run-1', 'thing')).toBe('create');
  });

  it('says "created", not "unchanged", when the same run finds the object after its write was cut off', async () => {
    const journal = memoryStepJournal();
    await journal.recordIntent('run-1', 'thing', 'create'); // the first attempt got this far, then the host died
    const { step, writes } = thingStep({ read: async () => ({ size: 4 }) });
    const again = await executeStep(step, run({ name: 'a', size: 4 }), deps(journal));
    expect(again).toMatchObject({ ok: true, outcome: 'created', detail: 'finished after a restart' });
    expect(writes).toEqual([]);
    const otherRun = await executeStep(step, run({ name: 'a', size: 4 }, 'run-2'), deps(journal));
    expect(otherRun).toMatchObject({ ok: true, outcome: 'unchanged' });
  });

  it('says "created" when the same run finds a half-made object after a cut-off create and completes it with an update', async () => {
    const journal = memoryStepJournal();
    await journal.recordIntent('run-1', 'thing', 'create');
    const { step, writes } = thingStep({
      read: async () => ({ size: 1 }),
      diff: () => ({ action: 'update', object: 'thing a', changes: [{ field: 'size', from: '1', to: '4' }], output: { size: 4 } }),
    });
    const result = await executeStep(step, run({ name: 'a', size: 4 }), deps(journal));
    expect(result).toMatchObject({ ok: true, outcome: 'created', detail: 'written; finished after a restart' });
    expect(writes).toEqual([{ action: 'update', input: { name: 'a', size: 4 } }]);
    expect(await journal.intentOf('run-1', 'thing')).toBe('create');
  });

  it('records the intent in the journal before the write starts, even when the journal is slower than SAP', async () => {
    const order: string[] = [];
    const memory = memoryStepJournal();
    const journal: StepJournal = {
      recordIntent: async (runId, stepId, action) => {
        order.push('intent sent');
        await new Promise((r) => setTimeout(r, 20)); // a slower journal than SAP: the write still waits for it
        order.push('intent recorded');
        return memory.recordIntent(runId, stepId, action);
      },
      intentOf: memory.intentOf,
    };
    const { step } = thingStep();
    const wrapped = { ...step, write: async (...args: Parameters<typeof step.write>) => (order.push('write'), step.write(...args)) };
    const result = await executeStep(wrapped, run({ name: 'a', size: 4 }), deps(journal));
    expect(result).toMatchObject({ ok: true, outcome: 'created' });
    expect(order).toEqual(['intent sent', 'intent recorded', 'write']);
  });

  it('runs prepareWrite while the intent is recorded; the write starts after both and gets what it prepared', async () => {
    const order: string[] = [];
    const memory = memoryStepJournal();
    const slow = (what: string, ms: number) => new Promise<void>((r) => (order.push(`${what} sent`), setTimeout(() => (order.push(`${what} done`), r()), ms)));
    const journal: StepJournal = {
      recordIntent: async (runId, stepId, action) => (await slow('intent', 30), memory.recordIntent(runId, stepId, action)),
      intentOf: memory.intentOf,
    };
    let wroteWith: unknown;
    const step = userWithPassword({
      prepareWrite: async (_deps, _input, current) => (await slow('password stored', 10), { ...current, password: 'generated' }),
      write: async (_deps, { name }, current) => (order.push('write'), (wroteWith = current), { output: { name } }),
    });
    expect(await executeStep(step, run({ name: 'u' }), deps(journal))).toMatchObject({ ok: true, outcome: 'created' });
    expect(order).toEqual(['intent sent', 'password stored sent', 'password stored done', 'intent done', 'write']);
    expect(wroteWith).toEqual({ exists: false, password: 'generated' });

    // A plan never prepares; nor does a run that writes nothing.
    order.length = 0;
    expect(await executeStep(step, plan({ name: 'u' }), deps(journal))).toMatchObject({ ok: true, outcome: 'skipped' });
    expect(order).toEqual([]);
  });

  it('does not write when prepareWrite fails, and reports the failure', async () => {
    let wrote = false;
    const step = userWithPassword({
      prepareWrite: async () => {
        throw new Error('the secret store is not writable');
      },
      write: async (_deps, { name }) => ((wrote = true), { output: { name } }),
    });
    const result = await executeStep(step, run({ name: 'u' }), deps());
    expect(result.ok).toBe(false);
    expect(wrote).toBe(false);
  });

  it('skips a check in a plan when the step says what a plan may assume', async () => {
    let checked = 0;
    const step = defineStep({
      kind: 'check',
      outcome: 'verified',
      id: 'proof',
      title: 'Proof',
      system: () => 'my100001',
      input: z.object({}),
      output: z.object({ proven: z.boolean() }),
      check: async () => (checked++, { output: { proven: true } }),
      assumeInPlan: () => ({ output: { proven: false }, detail: 'a run proves it' }),
    });
    expect(await executeStep(step, plan({}), deps())).toMatchObject({ ok: true, outcome: 'skipped', output: { proven: false }, plan: { action: 'check', detail: 'a run proves it' } });
    expect(checked).toBe(0);
    expect(await executeStep(step, run({}), deps())).toMatchObject({ ok: true, outcome: 'verified', output: { proven: true } });
    expect(checked).toBe(1);
  });

  it('does not blame the run\'s input when SAP answers in a form the client\'s schema refuses', async () => {
    const Answer = z.object({ UUID: z.string() });
    const { step } = thingStep({ read: async () => Answer.parse({ UUID: 42 }) as unknown as Thing });
    const result = await executeStep(step, run({ name: 'a', size: 1 }), deps());
    expect(result).toMatchObject({ ok: false, transient: false, failure: { kind: 'UnexpectedData', system: 'store a' } });
    expect(!result.ok && result.failure.message).toMatch(/UUID/);
    expect(!result.ok && result.failure.fix).not.toMatch(/older version/);
  });
});
