/**
 * Issue 11 against devhost + the sandbox over loopback HTTP: export, import into another subaccount,
 * read back; plans; bad input; failures in the middle of an import and the automatic restore; a manual
 * restore by backup id; 404's two meanings; and the secret audit (no private key in history, status,
 * responses or logs).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../../../shared/neoTrust/redaction';
import { backupSecretName, exportSecretName, readSnapshot } from '../../../shared/neoTrust/trustVault';
import type { TrustDocument } from '../../../shared/neoTrust/trustDocument';
import { destroySharedSapAgents } from '../../../shared/sap/http/agent';
import { clone, makeKeyPairCertificate, seed004Example, type KeyPairCertificate } from '../../support/neoTrustDocuments';
import { startNeoTrustStack, type NeoTrustStack } from '../../support/neoTrustStack';
import { httpCall } from '../../support/onboardingStack';

jest.setTimeout(240_000);

let neo: NeoTrustStack;
const keys: KeyPairCertificate[] = [];
const runIds: string[] = [];
const cliOutput: string[] = [];
let example1: TrustDocument;
let example2: TrustDocument;
let example4: TrustDocument;

function material(cn: string): KeyPairCertificate {
  const m = makeKeyPairCertificate(cn);
  keys.push(m);
  return m;
}

beforeAll(async () => {
  example1 = seed004Example(1, { sp: material('https://eu2.hana.ondemand.com/src1'), idp: material('idp1.accounts.ondemand.com') });
  example2 = seed004Example(2, { idp: material('idp2.accounts.ondemand.com') });
  example4 = seed004Example(4, { sp: material('https://eu2.hana.ondemand.com/dst4'), idp: material('idp4.accounts.ondemand.com') });
  neo = await startNeoTrustStack(
    [
      { subaccount: 'src1', trust: example1 },
      { subaccount: 'dst1' },
      { subaccount: 'dst2' },
      { subaccount: 'dst3' },
      { subaccount: 'dst4', trust: example4 },
      { subaccount: 'dst5' },
    ],
    { devhostEnv: { SAP_HTTP_TIMEOUT_MS: '3000' } },
  );
});

afterAll(async () => {
  await neo?.stop();
  destroySharedSapAgents();
});

async function run(kind: 'exports' | 'imports' | 'restores', body: unknown) {
  const view = await neo.run(kind, body);
  runIds.push(view.id);
  return view;
}

const step = (view: any, id: string) => view.steps.find((s: any) => s.id === id);
const puts = async (subaccount: string) => (await neo.stack.sandboxRequests()).filter((r) => r.method === 'PUT' && r.path.endsWith(`/accounts/${subaccount}`));

async function storedDocument(secretName: string): Promise<unknown> {
  const snapshot = await readSnapshot(neo.secrets, secretName);
  if (!snapshot) throw new Error(`no snapshot ${secretName}`);
  return snapshot.document;
}

describe('export and import', () => {
  let exported: any;
  let imported: any;

  it('exports a subaccount: the run shows a redacted copy and a fingerprint, the SecretStore holds the full document', async () => {
    exported = await run('exports', { source: neo.target('src1') });
    expect(exported.status).toBe('completed');
    const result = exported.result;
    expect(result.exportId).toBe(exported.id);
    expect(result.useCase).toBe('fully-featured-idps');
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(result.redacted.localServiceProvider.signingKey).toMatch(/^\(secret, not shown; public key sha256/);
    expect(result.redacted.applicationIdentityProviders).toEqual(example1.applicationIdentityProviders);
    expect(canonicalJson(await storedDocument(exportSecretName(exported.id)))).toBe(canonicalJson(example1));
  });

  it('imports the export into another subaccount and reads it back equal, private key included', async () => {
    imported = await run('imports', { target: neo.target('dst1'), exportId: exported.id });
    expect(imported.status).toBe('completed');
    expect(imported.steps.map((s: any) => [s.id, s.outcome])).toEqual([
      ['neoTrustValidate', 'checked'],
      ['neoTrustBackup', 'created'],
      ['neoTrustImport', 'updated'],
      ['neoTrustReadBack', 'verified'],
      ['neoTrustRestore', undefined],
    ]);
    expect(imported.result).toMatchObject({ useCase: 'fully-featured-idps', readBackEqual: true, backupId: `${imported.id}-backup` });
    expect(imported.result.changes).toContainEqual(expect.objectContaining({ change: 'added', field: 'identityProviders["ExampleIdP"]' }));
    // Paced as SAP's limit of 100 per minute asks: backup GET, PUT and read-back GET, none refused with 429.
    // The budget itself is the pacer's (subaccountPacer.test.ts, and across a restart neoTrustPacing.test.ts);
    // npm run bench measures the pace.
    const toTarget = (await neo.stack.sandboxRequests()).filter((r) => r.path === '/trust/v2/accounts/dst1');
    expect(toTarget.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
    expect(toTarget.filter((r) => r.status === 429)).toEqual([]);
    // Compared inside the SecretStore: export the target and compare both full documents.
    const again = await run('exports', { source: neo.target('dst1') });
    expect(again.status).toBe('completed');
    expect(canonicalJson(await storedDocument(exportSecretName(again.id)))).toBe(canonicalJson(await storedDocument(exportSecretName(exported.id))));
    expect(again.result.fingerprint).toBe(exported.result.fingerprint);
  });

  it('restores a backup by its id: the subaccount is as it was before the import', async () => {
    const before = await storedDocument(backupSecretName(imported.result.backupId));
    expect(before).toMatchObject({ configurationType: 'Default' });
    const restored = await run('restores', { backupId: imported.result.backupId });
    expect(restored.status).toBe('completed');
    expect(step(restored, 'neoTrustRestore').outcome).toBe('updated');
    expect(restored.result.changes).toContainEqual(expect.objectContaining({ change: 'removed', field: 'identityProviders["ExampleIdP"]' }));
    const now = await run('exports', { source: neo.target('dst1') });
    expect(canonicalJson(await storedDocument(exportSecretName(now.id)))).toBe(canonicalJson(before));
  });
});

describe('plans', () => {
  it('a plan returns only the validation and the diff, and writes nothing', async () => {
    await neo.stack.clearSandboxRequests();
    const answer = await neo.plan('imports', { target: neo.target('dst2'), document: example2 });
    expect(answer.status).toBe(200);
    const view = answer.body;
    runIds.push(view.id);
    expect(view.mode).toBe('plan');
    expect(step(view, 'neoTrustValidate').outcome).toBe('checked');
    expect(step(view, 'neoTrustValidate').warnings).toEqual([expect.stringContaining('SHA-1')]);
    const plan = step(view, 'neoTrustImport').plan;
    expect(plan.action).toBe('update');
    expect(plan.changes).toEqual(
      expect.arrayContaining([
        { field: '+ identityProviders["OnlyForIdPInitiatedSSO"]', to: 'https://www.example.com' },
        { field: '- localServiceProvider', from: 'https://eu2.hana.ondemand.com/dst2' },
      ]),
    );
    expect(step(view, 'neoTrustBackup').outcome).toBeUndefined();
    expect(step(view, 'neoTrustReadBack').outcome).toBeUndefined();
    expect(await puts('dst2')).toEqual([]);
    expect(await neo.secrets.exists(backupSecretName(`${view.id}-backup`))).toBe(false);
    expect((await neo.sandboxTrust('dst2')).applicationIdentityProviders.identityProviders).toEqual([]);
  });
});

describe('bad input', () => {
  beforeAll(() => neo.stack.clearSandboxRequests());
  afterAll(async () => expect((await neo.stack.sandboxRequests()).filter((r) => r.method === 'PUT')).toEqual([]));

  it('a body that is not JSON gets a 400', async () => {
    const answer = await httpCall(`${neo.stack.devhostUrl}/api/neo-trust/imports`, 'POST', { 'x-functions-key': neo.stack.functionKey, 'content-type': 'application/json' }, Buffer.from('{"target": '));
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/JSON/);
  });

  it('a wrong type gets a 400 naming its JSON path', async () => {
    const doc = clone(example2) as any;
    doc.applicationIdentityProviders.identityProviders[0].onlyForIdpInitiatedSSO = true;
    const answer = await neo.call('POST', '/api/neo-trust/imports', { target: neo.target('dst2'), document: doc });
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual([{ field: 'document.applicationIdentityProviders.identityProviders[0].onlyForIdpInitiatedSSO', message: expect.stringContaining('"true" or "false"') }]);
  });

  it('a missing field gets a 400 naming its JSON path', async () => {
    const doc = clone(example2) as any;
    delete doc.applicationIdentityProviders.identityProviders[0].signingCertificate;
    const answer = await neo.call('POST', '/api/neo-trust/imports', { target: { ...neo.target('dst2'), subaccount: undefined }, document: doc });
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'target.subaccount', message: 'is required' },
      ]),
    );
    const second = await neo.call('POST', '/api/neo-trust/imports', { target: neo.target('dst2'), document: doc });
    expect(second.body.fields).toEqual([{ field: 'document.applicationIdentityProviders.identityProviders[0].signingCertificate', message: 'is required' }]);
  });

  it('a document that breaks a use-case rule gets a 422 naming the rule, and is not imported', async () => {
    const doc = clone(example2);
    doc.configurationType = 'Custom';
    const answer = await neo.call('POST', '/api/neo-trust/imports', { target: neo.target('dst2'), document: doc });
    expect(answer.status).toBe(422);
    expect(answer.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'document.localServiceProvider', message: expect.stringContaining('[use-case/fully-featured-idps]') })]));
  });

  it('an unknown export id and an unknown credential get a 422', async () => {
    const unknownExport = await neo.call('POST', '/api/neo-trust/imports', { target: neo.target('dst2'), exportId: 'neo-export-nosuch-r1' });
    expect(unknownExport.status).toBe(422);
    expect(unknownExport.body.fields).toEqual([{ field: 'exportId', message: expect.stringContaining('no export') }]);
    const unknownCredential = await neo.call('POST', '/api/neo-trust/imports', { target: { ...neo.target('dst2'), credentialSecret: 'neo-nobody' }, document: example2 });
    expect(unknownCredential.status).toBe(422);
    expect(unknownCredential.body.fields).toEqual([{ field: 'target.credentialSecret', message: expect.stringContaining('neo-nobody') }]);
  });
});

describe('a failure in the middle of an import', () => {
  it('SAP answers 500 after the write: the read-back finds the import done, nothing is sent twice', async () => {
    await neo.setSwitches('dst3', { failImportsAfterWrite: 1 });
    await neo.stack.clearSandboxRequests();
    const view = await run('imports', { target: neo.target('dst3'), document: example2 });
    expect(view.status).toBe('completed');
    expect(step(view, 'neoTrustImport').warnings).toEqual([expect.stringContaining('SAP did not confirm the import')]);
    expect(view.result.readBackEqual).toBe(true);
    expect(await puts('dst3')).toHaveLength(1);
  });

  it('the answer to the import is lost: the read-back decides, and the run completes', async () => {
    await neo.stack.setFaults([{ method: 'PUT', path: '^/trust/v2/accounts/dst3$', lostResponseRate: 1 }]);
    try {
      const view = await run('imports', { target: neo.target('dst3'), document: example1 });
      expect(view.status).toBe('completed');
      expect(step(view, 'neoTrustImport').warnings).toEqual([expect.stringContaining('SAP did not confirm the import')]);
      expect((await neo.sandboxTrust('dst3')).configurationType).toBe('Custom');
    } finally {
      await neo.stack.clearFaults();
    }
  });

  it('a read-back that differs restores the backup and fails with the difference', async () => {
    await neo.setSwitches('dst4', { dropLastIdentityProviderOnImport: 1 });
    const view = await run('imports', { target: neo.target('dst4'), document: example1 });
    expect(view.status).toBe('failed');
    expect(view.error).toMatchObject({ step: 'neoTrustReadBack', kind: 'ReadBackDiffers' });
    expect(view.error.message).toContain('identityProviders["ExampleIdP"]');
    expect(view.error.message).toContain(`${view.id}-backup was restored`);
    expect(step(view, 'neoTrustRestore').outcome).toBe('updated');
    const now = await run('exports', { source: neo.target('dst4') });
    expect(canonicalJson(await storedDocument(exportSecretName(now.id)))).toBe(canonicalJson(example4));
  });
});

describe('a failure in the middle that leaves the target wrong', () => {
  it('SAP answers 500 after keeping only part of the document: the backup is restored automatically and the run fails with the difference', async () => {
    await neo.setSwitches('dst4', { failImportsAfterWrite: 1, dropLastIdentityProviderOnImport: 1 });
    await neo.stack.clearSandboxRequests();
    const view = await run('imports', { target: neo.target('dst4'), document: example1 });
    expect(view.status).toBe('failed');
    expect(view.error.kind).toBe('ReadBackDiffers');
    expect(view.error.message).toContain('SAP had not confirmed the import');
    expect(view.error.message).toContain('removed identityProviders["ExampleIdP"]');
    expect(step(view, 'neoTrustRestore').outcome).toBe('updated');
    expect(await puts('dst4')).toHaveLength(2);
    const now = await run('exports', { source: neo.target('dst4') });
    expect(canonicalJson(await storedDocument(exportSecretName(now.id)))).toBe(canonicalJson(example4));
  });
});

describe("SAP's 404", () => {
  it('an export of a subaccount SAP answers 404 for names both meanings', async () => {
    await neo.setSwitches('dst5', { notFoundForDefault: true });
    const view = await run('exports', { source: neo.target('dst5') });
    expect(view.status).toBe('failed');
    expect(view.error.message).toMatch(/knows no subaccount with the technical name dst5/);
    expect(view.error.message).toMatch(/platform default \(SAP ID service\)/);
    expect(view.error.fix).toMatch(/technical name/);
  });

  it('an import into such a subaccount backs up the platform default and verifies what it can', async () => {
    const view = await run('imports', { target: neo.target('dst5'), document: example1 });
    expect(view.status).toBe('completed');
    expect(step(view, 'neoTrustBackup').warnings).toEqual([expect.stringContaining('404')]);
    expect(view.result.readBackEqual).toBe(true);
  });
});

describe('the sap-trust neo-trust commands', () => {
  const CLI = path.resolve(__dirname, '../../../dist/cli/main.js');
  // Asynchronous: the sandbox answers from this process, so it must not be blocked while the CLI runs.
  const cli = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args, '--url', neo.stack.devhostUrl, '--key', neo.stack.functionKey, '--interval', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        cliOutput.push(`${stdout}\n${stderr}`);
        resolve({ status, stdout, stderr });
      });
    });
  const target = (s: string) => ['eu2.hana.ondemand.com', s, '--credential', neo.credential(s)];

  it('export, diff, import and restore from the command line', async () => {
    const exported = await cli(['neo-trust', 'export', ...target('src1')]);
    expect(exported.status).toBe(0);
    const exportId = /Export id: (\S+)/.exec(exported.stdout)![1];
    const diff = await cli(['neo-trust', 'diff', ...target('dst2'), '--export', exportId]);
    expect(diff.status).toBe(0);
    expect(diff.stdout).toMatch(/^Plan .*: completed$/m);
    expect(diff.stdout).toContain('+ identityProviders["ExampleIdP"]');
    const imported = await cli(['neo-trust', 'import', ...target('dst2'), '--export', exportId]);
    expect(imported.status).toBe(0);
    const backupId = /Backup id: (\S+);/.exec(imported.stdout)![1];
    expect(imported.stdout).toMatch(/✔ Read back and compare \(verified\)/);
    const restored = await cli(['neo-trust', 'restore', backupId]);
    expect(restored.status).toBe(0);
    expect(restored.stdout).toMatch(/✔ Restore the backup \(updated\)/);
    for (const out of [exported, diff, imported, restored]) runIds.push(/^(?:Run|Plan) (\S+):/m.exec(out.stdout)![1]);
  });

  it('a document that breaks a rule exits 1 and names the rule', async () => {
    const doc = clone(example2);
    doc.configurationType = 'Custom';
    const file = path.join(neo.stack.dataDir, '..', 'broken-trust.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = await cli(['neo-trust', 'import', ...target('dst2'), '--document', file]);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/HTTP 422/);
    expect(out.stderr).toMatch(/document.localServiceProvider: \[use-case\/fully-featured-idps\]/);
  });
});

describe('the secret audit', () => {
  function filesUnder(dir: string, skip: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (full === skip) return [];
      return statSync(full).isDirectory() ? filesUnder(full, skip) : [full];
    });
  }

  it('no private key is in the Durable history, the run status, the API answers or the logs', async () => {
    const sources: { label: string; text: string }[] = [...neo.answers];
    for (const id of runIds) {
      for (const kind of ['exports', 'imports', 'restores']) {
        const answer = await neo.call('GET', `/api/neo-trust/${kind}/${id}`);
        if (answer.status === 200) sources.push({ label: `GET ${kind}/${id}`, text: answer.text });
      }
      const history = await neo.stack.api('GET', `/runtime/webhooks/durabletask/instances/${id}?showHistory=true&showHistoryOutput=true&showInput=true`, undefined, { key: neo.stack.masterKey });
      sources.push({ label: `history of ${id}`, text: history.text });
    }
    for (const file of filesUnder(neo.stack.dataDir, path.join(neo.stack.dataDir, 'secrets'))) sources.push({ label: file, text: readFileSync(file, 'latin1') });
    sources.push({ label: 'devhost output', text: neo.stack.devhostOutput() });
    sources.push({ label: 'CLI output', text: cliOutput.join('\n') });
    expect(runIds.length).toBeGreaterThan(8);
    const leaks: string[] = [];
    for (const [i, k] of keys.entries()) {
      // Three pieces from the middle of the base64 key: any copy of the key holds them.
      const pieces = [0.3, 0.5, 0.7].map((f) => k.key.slice(Math.floor(k.key.length * f), Math.floor(k.key.length * f) + 40));
      for (const s of sources) if (pieces.some((p) => s.text.includes(p) || s.text.includes(p.replace(/\//g, '\\/')))) leaks.push(`key ${i} in ${s.label}`);
    }
    expect(leaks).toEqual([]);
    // And the keys are where they belong.
    const secretFiles = readdirSync(path.join(neo.stack.dataDir, 'secrets')).map((f) => readFileSync(path.join(neo.stack.dataDir, 'secrets', f), 'utf8')).join('\n');
    expect(secretFiles).toContain(JSON.stringify(keys[0].key).slice(1, 41));
  });
});
