/**
 * Fault injection per endpoint: a rule matches on host, method and path (regular expressions) and
 * adds latency, answers with an error at a rate (429 carries Retry-After), hangs at a rate (never
 * answers; the client's timeout ends the call), or loses the answer at a rate: the request is
 * carried out and then never answered, as when a connection drops after SAP committed a create.
 * With `seed`, outcomes are reproducible.
 */
import { z } from 'zod';
import { seededRandom, type Random } from './prng';

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

export const FaultRule = z
  .object({
    host: regex.optional(),
    method: z.string().regex(/^[A-Za-z]+$/).optional(),
    path: regex.optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    status: z.number().int().min(400).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    hangRate: z.number().min(0).max(1).optional(),
    lostResponseRate: z.number().min(0).max(1).optional(),
  })
  .strict();
export type FaultRule = z.infer<typeof FaultRule>;

export const FaultConfig = z.union([
  z.array(FaultRule),
  z.object({ rules: z.array(FaultRule), seed: z.number().int().optional() }).strict(),
]);

export type FaultDecision =
  | { kind: 'pass'; latencyMs: number }
  | { kind: 'hang'; latencyMs: number }
  | { kind: 'lose-response'; latencyMs: number }
  | { kind: 'error'; latencyMs: number; status: number; retryAfterSeconds?: number };

export class FaultInjector {
  private rules: FaultRule[] = [];
  private seed: number | undefined;
  private random: Random = Math.random;

  configure(input: z.infer<typeof FaultConfig>): void {
    const config = Array.isArray(input) ? { rules: input, seed: undefined } : input;
    this.rules = config.rules;
    this.seed = config.seed;
    this.random = config.seed === undefined ? Math.random : seededRandom(config.seed);
  }

  clear(): void {
    this.configure([]);
  }

  describe(): { rules: FaultRule[]; seed?: number } {
    return this.seed === undefined ? { rules: this.rules } : { rules: this.rules, seed: this.seed };
  }

  /** The first matching rule decides; a hang is drawn first, then a lost answer, then an error. */
  decide(method: string, host: string, path: string): FaultDecision {
    const rule = this.rules.find(
      (r) =>
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (!r.host || new RegExp(r.host, 'i').test(host)) &&
        (!r.path || new RegExp(r.path).test(path)),
    );
    if (!rule) return { kind: 'pass', latencyMs: 0 };
    const latencyMs = rule.latencyMs ?? 0;
    if (rule.hangRate !== undefined && this.random() < rule.hangRate) return { kind: 'hang', latencyMs };
    if (rule.lostResponseRate !== undefined && this.random() < rule.lostResponseRate) return { kind: 'lose-response', latencyMs };
    if (rule.errorRate !== undefined && this.random() < rule.errorRate) {
      const status = rule.status ?? 503;
      return status === 429
        ? { kind: 'error', latencyMs, status, retryAfterSeconds: rule.retryAfterSeconds ?? 1 }
        : { kind: 'error', latencyMs, status, ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}) };
    }
    return { kind: 'pass', latencyMs };
  }
}
