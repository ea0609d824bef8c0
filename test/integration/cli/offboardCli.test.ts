/**
 * `sap-trust plan` and `sap-trust offboard`, the compiled binary against devhost and the sandbox:
 * the onboarding's own request file drives both, and the plan prints what a run then does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { startOnboardingStack, type Landscape, type OnboardingStack } from '../../support/onboardingStack';
import { runCliAgainst } from '../../support/cliProcess';

jest.setTimeout(180_000);

let stack: OnboardingStack;
let landscape: Landscape;
let dir: string;
let requestFile: string;

beforeAll(async () => {
  stack = await startOnboardingStack({ landscapes: 1 });
  landscape = stack.landscapes[0];
  dir = mkdtempSync(join(tmpdir(), 'offboard-cli-'));
  requestFile = join(dir, 'request.json');
  writeFileSync(requestFile, JSON.stringify(landscape.request()));
  expect((await stack.onboard(landscape.request())).status).toBe('completed');
});

afterAll(async () => {
  destroySharedSapAgents();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCliAgainst(stack, args);

const userName = () => `COM0501_${landscape.subaccountId.slice(0, 8).toUpperCase()}`;

it('plan --offboard prints a delete for each object the onboarding made, with what goes', async () => {
  const run = await cli('plan', requestFile, '--offboard');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`Plan of the offboarding of tenant ${landscape.tenant}, subaccount ${landscape.subaccountId} (nothing was written)`);
  expect(run.stdout).toMatch(/- delete\s+destination S4HC_MY100001_SAP_COM_0501\n\s+URL: https:\/\/my100001-api\.s4hana\.ondemand\.com → \(none\)/);
  expect(run.stdout).toMatch(new RegExp(`- delete\\s+communication user ${userName()}`));
  expect(run.stdout).toContain('Plan: 0 to create, 0 to update, 6 to delete, 0 unchanged.');
});

it('offboard follows the run to the end, one line per step, and exits 0', async () => {
  const run = await cli('offboard', requestFile);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout.match(/✔ \d\/6 .* deleted /g)).toHaveLength(6);
  expect(run.stdout).toContain('✔ Offboarding completed: 6 removed, 0 already gone');
});

it('plan of the onboarding afterwards prints a create for each object, each field with its new value', async () => {
  const run = await cli('plan', requestFile);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`\\+ create\\s+communication user ${userName()}\\n\\s+Name: \\(none\\) → ${userName()}`));
  expect(run.stdout).toMatch(/Password: \(none\) → \(secret, not shown\)/);
  expect(run.stdout).toContain('Plan: 5 to create, 0 to update, 0 to delete, 1 unchanged.');
});
