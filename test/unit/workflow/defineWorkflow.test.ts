import { z } from 'zod';
import { defineStep } from '../../../shared/workflow/defineStep';
import { defineWorkflow } from '../../../shared/workflow/defineWorkflow';

const derived = (id: string) => defineStep({ kind: 'derive', id, title: id, system: () => 'here', input: z.object({}), output: z.object({}), derive: () => ({ output: {} }) });

const workflow = (steps: ReturnType<typeof derived>[]) =>
  defineWorkflow({
    kind: 'things',
    name: 'thing',
    noun: 'thing',
    idPrefix: 'thing',
    request: z.object({}),
    prepare: async () => ({ ok: true, input: {} }),
    input: z.object({}),
    key: () => 'k',
    subject: z.object({}),
    subjectOf: () => ({}),
    steps,
    result: z.object({}),
    *orchestrate() {
      return {};
    },
  });

describe('defineWorkflow', () => {
  it('refuses a step id declared twice, naming it', () => {
    expect(() => workflow([derived('a'), derived('b'), derived('a')])).toThrow('workflow thing declares step a twice');
  });

  it('accepts distinct step ids', () => {
    expect(workflow([derived('a'), derived('b')]).steps.map((s) => s.id)).toEqual(['a', 'b']);
  });
});
