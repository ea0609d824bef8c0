import * as df from 'durable-functions';
import { countCall, gates } from './counters';

df.app.activity('SayHello', {
  handler: (name: string) => {
    countCall(`SayHello:${name}`);
    return `Hello ${name}`;
  },
});

df.app.activity('Square', { handler: (n: number) => n * n });

df.app.activity('Noop', { handler: () => undefined });

df.app.activity('Fail', {
  handler: (message: string) => {
    throw new Error(message);
  },
});

/** Fails until its attempt number reaches `succeedOnAttempt` (0 = never succeeds). */
df.app.activity('Flaky', {
  handler: (input: { key: string; succeedOnAttempt: number }) => {
    const attempt = countCall(`Flaky:${input.key}`);
    if (input.succeedOnAttempt === 0 || attempt < input.succeedOnAttempt) throw new Error(`attempt ${attempt} of ${input.key} failed`);
    return `${input.key} ok on attempt ${attempt}`;
  },
});

/** Echoes its input, so tests can see the JSON round trip (Dates become strings). */
df.app.activity('Echo', { handler: (input: unknown) => ({ received: input, type: typeof input }) });

/** Waits until the test opens its gate. */
df.app.activity('Gated', {
  handler: async (key: string) => {
    countCall(`Gated:${key}`);
    await new Promise<void>((resolve) => gates.set(key, resolve));
    return `released ${key}`;
  },
});

/** Takes a while, so a test can kill devhost while it runs. */
df.app.activity('Sleep', {
  handler: async (input: { key: string; ms: number }) => {
    countCall(`Sleep:${input.key}`);
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return `slept ${input.key}`;
  },
});
