/**
 * The host admin API subset devhost serves (master key only): `POST /admin/functions/{name}` fires any
 * non-HTTP function on demand with body `{"input": "..."}` and answers 202, like the Functions host;
 * `GET /admin/host/status` tells whether the host is up. devhost's own addition (dev/test only):
 * `GET /admin/clock` and `POST /admin/clock` `{"advanceMs": n}` move the Durable clock forward.
 */
import { z } from 'zod';
import type { DevhostClock } from '../devhostClock';
import type { DurableEngine } from '../engineContract';
import type { FunctionInvoker } from './functionInvoker';
import type { AppRegistrations } from './functionRegistry';
import { jsonReply, problem, type HostCall, type HostReply } from './hostCall';
import type { TimerTriggers } from './timerTriggers';

const FireBody = z.object({ input: z.string().optional() });
const AdvanceBody = z.strictObject({ advanceMs: z.number().positive().finite() });

/** The worker JSON-parses string trigger data when it can (fromRpcTypedData). */
function tryJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class AdminApi {
  constructor(
    private readonly registrations: AppRegistrations,
    private readonly invoker: FunctionInvoker,
    private readonly timers: TimerTriggers,
    private readonly engine: DurableEngine,
    private readonly reportError: (message: string) => void,
    private readonly clock?: DevhostClock,
  ) {}

  async handle(call: HostCall, path: string): Promise<HostReply> {
    const segments = path.split('/').filter(Boolean);
    if (segments[0] === 'host' && segments[1] === 'status' && segments.length === 2) {
      return call.method === 'GET' ? jsonReply(200, { state: 'Running', version: 'devhost' }) : problem(405, 'use GET');
    }
    if (segments[0] === 'functions' && segments.length === 1) {
      return call.method === 'GET'
        ? jsonReply(200, this.registrations.all().map((f) => ({ name: f.name, triggerType: f.triggerType })))
        : problem(405, 'use GET');
    }
    if (segments[0] === 'functions' && segments.length === 2) {
      if (call.method !== 'POST') return problem(405, 'use POST');
      let name: string;
      try {
        name = decodeURIComponent(segments[1]);
      } catch {
        return problem(400, 'the function name is not valid percent-encoding');
      }
      return this.fire(call, name);
    }
    if (segments[0] === 'clock' && segments.length === 1 && this.clock) return this.clockRoute(call, this.clock);
    return problem(404, `no admin route ${call.method} /admin/${path}`);
  }

  private clockRoute(call: HostCall, clock: DevhostClock): HostReply {
    const view = () => jsonReply(200, { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs() });
    if (call.method === 'GET') return view();
    if (call.method !== 'POST') return problem(405, 'use GET or POST');
    let json: unknown;
    try {
      json = JSON.parse(call.body.toString('utf8'));
    } catch {
      return problem(400, 'the body must be JSON: {"advanceMs": <milliseconds to move the clock forward>}');
    }
    const body = AdvanceBody.safeParse(json);
    if (!body.success) {
      return problem(400, 'the body must be {"advanceMs": n} with n a positive number of milliseconds (the clock only moves forward)');
    }
    clock.advance(body.data.advanceMs);
    return view();
  }

  private async fire(call: HostCall, name: string): Promise<HostReply> {
    const fn = this.registrations.get(name);
    if (!fn) return problem(404, `no function named '${name}'`);
    let json: unknown = {};
    const text = call.body.toString('utf8');
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        return problem(400, 'the body must be JSON: {"input": "<string>"}');
      }
    }
    const body = FireBody.safeParse(json);
    if (!body.success) return problem(400, 'the body must be {"input": "<string>"}; input must be a string');
    const input = body.data.input;
    const trigger = fn.triggerType.toLowerCase();
    if (trigger === 'httptrigger') return problem(400, `'${fn.name}' is HTTP-triggered; call its route instead`);
    const failed = (error: unknown) => this.reportError(`on-demand run of ${fn.name} failed: ${(error as Error)?.message ?? error}`);
    if (trigger === 'timertrigger') void this.timers.fire(fn.name, false).catch(failed);
    else if (trigger === 'orchestrationtrigger') await this.engine.startNew(fn.name, { input: tryJson(input) });
    else {
      const kind = trigger === 'activitytrigger' ? 'activity' : trigger === 'entitytrigger' ? 'entity' : 'other';
      void this.invoker.invoke(fn, tryJson(input), { kind }).catch(() => undefined);
    }
    return { status: 202 };
  }
}
