/**
 * The Neo pacing ledger as a table beside the registry, on a real Azurite: several app instances
 * (several pacers on one table) that ask for the same subaccount's budget at once never get more than
 * the limit between them, and a new instance (a restart) sees what the old one spent.
 */
import { tableClient, tableConnectionFromEnv } from '../../../shared/registry';
import { subaccountPacer } from '../../../shared/neoTrust/subaccountPacer';
import { tablePacingLedger } from '../../../shared/neoTrust/tablePacingLedger';
import { azuriteForTests } from '../../support/azuriteForTests';

jest.setTimeout(60_000);

const storage = azuriteForTests('pacing-table-');

const table = (name: string) => tablePacingLedger(tableClient(tableConnectionFromEnv({ AzureWebJobsStorage: storage.azurite.connectionString }).connection!, name));

it('three instances asking 30 times at once for a budget of 10 get exactly 10 places; the rest are told how long to wait', async () => {
  const name = `NeoTrustPacing${Math.floor(Math.random() * 1e9)}`;
  const now = () => 5_000_000;
  const instances = [0, 1, 2].map(() => subaccountPacer({ requestsPerMinute: 10, marginMs: 0, now, ledger: table(name) }));
  const outcomes = await Promise.all(
    Array.from({ length: 30 }, (_, i) => instances[i % 3].slot('eu2.hana.ondemand.com/dst1').then(
      () => 'granted',
      (e: { retryAfterMs?: number }) => e.retryAfterMs,
    )),
  );
  expect(outcomes.filter((o) => o === 'granted')).toHaveLength(10);
  expect(outcomes.filter((o) => o !== 'granted')).toEqual(Array(20).fill(60_000));
});

it('an instance that starts later (a restart) finds the budget the others spent, and other subaccounts untouched', async () => {
  const name = `NeoTrustPacing${Math.floor(Math.random() * 1e9)}`;
  let t = 7_000_000;
  const now = () => t;
  const before = subaccountPacer({ requestsPerMinute: 2, marginMs: 0, now, ledger: table(name) });
  await before.slot('eu2.hana.ondemand.com/dst1');
  t += 1_000;
  await before.slot('eu2.hana.ondemand.com/dst1');
  await before.tooManyRequests('eu2.hana.ondemand.com/dst2');
  const after = subaccountPacer({ requestsPerMinute: 2, marginMs: 0, now, ledger: table(name) });
  await expect(after.slot('eu2.hana.ondemand.com/dst1')).rejects.toMatchObject({ retryAfterMs: 59_000 });
  await expect(after.slot('eu2.hana.ondemand.com/dst2')).rejects.toMatchObject({ retryAfterMs: 10_000 });
  await expect(after.slot('eu2.hana.ondemand.com/dst3')).resolves.toBe(t);
  t += 59_000;
  // Granted; the next one waits until the second of the first two leaves the window.
  await expect(after.slot('eu2.hana.ondemand.com/dst1')).resolves.toBe(7_000_000 + 1_000 + 60_000);
});
