/**
 * A small app for devhost's own tests (not product code): orchestrations, activities, HTTP triggers with
 * a durableClient input, keyed routes, a timer and hooks. Files named by env vars let tests count runs
 * across process restarts.
 */
import { app, HttpRequest, HttpResponse, InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import fs from 'node:fs';

const appendLine = (file: string | undefined, line: unknown) => {
  if (file) fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
};

df.app.activity('sayHello', { handler: (name: string) => `Hello ${name}!` });

df.app.orchestration('helloSequence', function* (context) {
  const cities = (context.df.getInput() as string[] | undefined) ?? ['Tokyo', 'Seattle'];
  const greetings: string[] = [];
  for (const city of cities) greetings.push(yield context.df.callActivity('sayHello', city));
  return greetings;
});

df.app.orchestration('waitForApproval', function* (context) {
  context.df.setCustomStatus('waiting for approval');
  const approval = yield context.df.waitForExternalEvent('Approval');
  return { approvedBy: approval };
});

/** Appends to ACTIVITY_LOG before returning, so a test can count completed runs per instance. */
df.app.activity('slowStep', {
  handler: async (input: { instance: string; step: string }) => {
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.SLOW_STEP_MS ?? 1500)));
    appendLine(process.env.ACTIVITY_LOG, { ...input, event: 'completed' });
    return `${input.step} done`;
  },
});

df.app.activity('recordStep', {
  handler: (input: { instance: string; step: string }) => {
    appendLine(process.env.ACTIVITY_LOG, { ...input, event: 'completed' });
    return `${input.step} done`;
  },
});

df.app.orchestration('slowActivityFlow', function* (context) {
  const instance = context.df.instanceId;
  const first = yield context.df.callActivity('recordStep', { instance, step: 'before' });
  const slow = yield context.df.callActivity('slowStep', { instance, step: 'slow' });
  const last = yield context.df.callActivity('recordStep', { instance, step: 'after' });
  return [first, slow, last];
});

df.app.orchestration('timerFlow', function* (context) {
  const instance = context.df.instanceId;
  const delayMs = (context.df.getInput() as { delayMs?: number } | undefined)?.delayMs ?? 2000;
  yield context.df.callActivity('recordStep', { instance, step: 'before timer' });
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + delayMs));
  return yield context.df.callActivity('recordStep', { instance, step: 'after timer' });
});

/** Starter in the samples' style: df.app.client.http + createCheckStatusResponse. */
df.app.client.http('startOrchestration', {
  route: 'orchestrators/{name}/{instanceId?}',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: async (request: HttpRequest, client: df.DurableClient) => {
    const text = await request.text();
    const instanceId = await client.startNew(request.params.name, {
      instanceId: request.params.instanceId,
      input: text ? JSON.parse(text) : undefined,
    });
    return client.createCheckStatusResponse(request, instanceId);
  },
});

/** Quickstart style: app.http with an explicit durableClient input; each op is one DurableClient call. */
app.http('clientOperation', {
  route: 'client/{operation}',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext) => {
    const client = df.getClient(context);
    const args = (await request.json()) as Record<string, any>;
    try {
      switch (request.params.operation) {
        case 'startNew':
          return { jsonBody: { id: await client.startNew(args.name, { instanceId: args.instanceId, input: args.input }) } };
        case 'getStatus':
          return { jsonBody: await client.getStatus(args.instanceId, args.options) };
        case 'getStatusBy':
          return {
            jsonBody: await client.getStatusBy({
              runtimeStatus: args.runtimeStatus,
              createdTimeFrom: args.createdTimeFrom ? new Date(args.createdTimeFrom) : undefined,
            }),
          };
        case 'raiseEvent':
          await client.raiseEvent(args.instanceId, args.eventName, args.data);
          return { jsonBody: { raised: true } };
        case 'terminate':
          await client.terminate(args.instanceId, args.reason);
          return { jsonBody: { terminated: true } };
        case 'purge':
          return { jsonBody: await client.purgeInstanceHistory(args.instanceId) };
        case 'checkStatus':
          return client.createCheckStatusResponse(request, args.instanceId);
        default:
          return { status: 400, jsonBody: { error: `unknown operation ${request.params.operation}` } };
      }
    } catch (error) {
      return { status: 502, jsonBody: { clientError: (error as Error).message } };
    }
  },
});

app.http('orderById', {
  route: 'orders/{id:int}',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (request: HttpRequest) => ({ jsonBody: { id: request.params.id, kind: 'order' } }),
});

app.http('orderByName', {
  route: 'orders/{name}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request: HttpRequest) => ({ jsonBody: { name: request.params.name, kind: 'named order' } }),
});

app.http('echo', {
  route: 'echo/{*rest}',
  methods: ['GET', 'POST', 'PUT'],
  authLevel: 'anonymous',
  handler: async (request: HttpRequest) =>
    new HttpResponse({
      status: 201,
      headers: { 'x-echo': 'yes' },
      cookies: [{ name: 'session', value: 'a b', path: '/', httpOnly: true }],
      jsonBody: {
        method: request.method,
        rest: request.params.rest ?? null,
        query: Object.fromEntries(request.query),
        body: request.method === 'GET' ? null : await request.text(),
      },
    }),
});

app.http('adminOnly', {
  route: 'admin-only',
  methods: ['GET'],
  authLevel: 'admin',
  handler: async () => ({ body: 'admin ok' }),
});

app.http('failing', {
  route: 'failing',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => {
    throw new Error('handler failed on purpose');
  },
});

/** Schedule from the TICK_SCHEDULE app setting, so tests choose how often it fires. */
app.timer('tick', {
  schedule: '%TICK_SCHEDULE%',
  handler: (timer: Timer, context: InvocationContext) => {
    appendLine(process.env.TIMER_LOG, { function: context.functionName, isPastDue: timer.isPastDue });
  },
});

app.hook.appStart(() => appendLine(process.env.HOOK_LOG, 'appStart'));
app.hook.appTerminate(() => appendLine(process.env.HOOK_LOG, 'appTerminate'));
