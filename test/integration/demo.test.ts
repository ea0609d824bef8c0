/**
 * `npm run demo` end to end: the compiled demo starts the sandbox and devhost, onboards the seeded
 * tenant and exits 0 with the destination printed; a second run on the same state writes nothing.
 */
import { spawn } from 'node:child_process';
import { outputOf, type ChildOutput } from '../support/childOutput';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sap-trust-demo-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function demo(): Promise<ChildOutput> {
  return outputOf(
    spawn(process.execPath, [join(ROOT, 'dist/cli/demo.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DEMO_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

const seededSecrets = (): string[] => {
  const seed = JSON.parse(readFileSync(join(ROOT, 'sandbox/seed.default.json'), 'utf8'));
  return [...seed.subaccounts.map((s: { serviceKey: { clientsecret: string } }) => s.serviceKey.clientsecret), ...seed.s4Tenants.map((t: { bootstrapUser: { password: string } }) => t.bootstrapUser.password)];
};

const stepLines = (out: string) => out.split('\n').filter((l) => / \d\/9 /.test(l));

it('onboards the seeded tenant, prints the destination and the verified token exchange, then re-runs without writing', async () => {
  const first = await demo();
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/Destination +S4HC_MY100001_SAP_COM_0501/);
  expect(first.stdout).toMatch(/Token service URL +https:\/\/my100001-api\.s4hana\.ondemand\.com\/sap\/bc\/sec\/oauth2\/token/);
  expect(first.stdout).toContain('✔ token exchange verified');
  expect(stepLines(first.stdout)).toHaveLength(9);
  expect(stepLines(first.stdout).some((l) => l.includes('created'))).toBe(true);

  const second = await demo();
  expect(second.code).toBe(0);
  const steps = stepLines(second.stdout);
  expect(steps).toHaveLength(9);
  // Nothing written: every step that writes says unchanged; the checks say what they checked.
  expect(steps.filter((l) => !/ (unchanged|checked|verified) /.test(l))).toEqual([]);
  expect(steps.filter((l) => / unchanged /.test(l))).toHaveLength(6);
  expect(second.stdout).toContain('✔ token exchange verified');

  for (const secret of seededSecrets()) expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(secret);
}, 180_000);
