/** What went wrong, on stderr, in an administrator's words with the fix; and the exit code for it. */
import { EXIT, type ExitCode } from './exitCodes';
import { ApiError, UnreachableError, type ApiTarget } from './onboardingApi';
import { UsageError } from './commandLine';

export function reportError(e: unknown, target: ApiTarget | undefined, say: (line: string) => void): ExitCode {
  if (e instanceof UsageError) {
    say(`sap-trust: ${e.message}`);
    say(`Run 'sap-trust --help' for usage.`);
    return EXIT.usage;
  }
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
    keyRefused(e, target, say);
    return EXIT.failure;
  }
  if (e instanceof ApiError) {
    say(`sap-trust: ${e.message} (HTTP ${e.status})`);
    for (const f of e.fields) say(`  - ${f.field}: ${f.message}`);
    if (e.status === 409 && e.conflictId) say(`  Follow the running onboarding with: sap-trust follow ${e.conflictId}`);
    return EXIT.failure;
  }
  if (e instanceof UnreachableError) {
    say(`sap-trust: ${e.message}`);
    say('  Is the function app running there? Locally: npm start (FUNCTIONS_PORT, default 7071). Elsewhere: --url https://<app>.azurewebsites.net --key <function key>.');
    return EXIT.failure;
  }
  say(`sap-trust: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT.failure;
}

/** A wrong key and a missing key are different problems with different fixes. */
function keyRefused(e: ApiError, target: ApiTarget | undefined, say: (line: string) => void): void {
  const url = e.baseUrl ?? target?.baseUrl ?? 'the function app';
  if (target?.key) {
    say(`sap-trust: the function key (from ${target.keySource ?? 'the command line'}) was refused by ${url} (HTTP ${e.status}).`);
    say(`  Use a key of this function app: Azure portal → the function app → App keys (or: az functionapp keys list).`);
    say(`  A local devhost keeps its key in DATA_DIR/host-keys.json; is ${url} the devhost you mean?`);
    return;
  }
  say(`sap-trust: ${url} needs a function key and none was given (HTTP ${e.status}).`);
  if (target?.keySource) say(`  For a local devhost the CLI reads its key from DATA_DIR/host-keys.json: ${target.keySource}. Set DATA_DIR to the devhost's data directory.`);
  say('  Or pass the key with --key <key> or SAP_TRUST_KEY.');
}
