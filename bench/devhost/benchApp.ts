/** The orchestrations the devhost engine benchmark runs: no-op activities, so only engine overhead is measured. */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

df.app.activity('BenchNoop', { handler: () => null });

df.app.orchestration('BenchSequence', function* (context: OrchestrationContext) {
  const hops = context.df.getInput() as number;
  for (let i = 0; i < hops; i++) yield context.df.callActivity('BenchNoop', i);
  return hops;
});

df.app.orchestration('BenchFanOut', function* (context: OrchestrationContext) {
  const width = context.df.getInput() as number;
  const tasks = [];
  for (let i = 0; i < width; i++) tasks.push(context.df.callActivity('BenchNoop', i));
  yield context.df.Task.all(tasks);
  return width;
});
