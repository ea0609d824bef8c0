/**
 * `sap-trust neo-trust export|import|diff|restore …`: the Neo trust configuration commands, parsed
 * here so commandLine.ts only routes to them.
 */
export type NeoTrustCommand =
  | { kind: 'neo-trust export'; landscapeHost: string; subaccount: string; credential: string; json: boolean; wait: boolean }
  | { kind: 'neo-trust import'; landscapeHost: string; subaccount: string; credential: string; source: { exportId: string } | { documentFile: string }; plan: boolean; json: boolean; wait: boolean }
  | { kind: 'neo-trust restore'; backupId: string; credential?: string; json: boolean; wait: boolean };

export const NEO_TRUST_USAGE = `  neo-trust export <landscape> <subaccount> --credential <name> [--json] [--no-wait]
                                       export a Neo subaccount's trust configuration (the private key
                                       stays in the secret store; the export id is the run id)
  neo-trust import <landscape> <subaccount> --credential <name> (--export <id> | --document <file>)
                                       validate, diff, back up, import and read back
  neo-trust diff <landscape> <subaccount> --credential <name> (--export <id> | --document <file>)
                                       what an import would change (validation and diff only)
  neo-trust restore <backup id> [--credential <name>]
                                       put back the backup an import took`;

export const NEO_TRUST_OPTIONS = ['credential', 'export', 'document', 'json', 'no-wait'] as const;

interface Values {
  credential?: string;
  export?: string;
  document?: string;
  json?: boolean;
  'no-wait'?: boolean;
}

export function parseNeoTrustCommand(rest: string[], values: Values, usage: (message: string) => Error): NeoTrustCommand {
  const [action, ...args] = rest;
  const json = Boolean(values.json);
  const wait = !values['no-wait'];
  const positional = (names: string[]) => {
    if (args.length !== names.length) throw usage(`'neo-trust ${action}' needs ${names.join(' ')}`);
    return args;
  };
  const credential = () => {
    if (!values.credential?.trim()) throw usage(`'neo-trust ${action}' needs --credential <name of the stored Neo platform API client>`);
    return values.credential;
  };
  switch (action) {
    case 'export': {
      if (values.export !== undefined || values.document !== undefined) throw usage("'neo-trust export' takes no --export or --document");
      const [landscapeHost, subaccount] = positional(['<landscape>', '<subaccount>']);
      return { kind: 'neo-trust export', landscapeHost, subaccount, credential: credential(), json, wait };
    }
    case 'import':
    case 'diff': {
      const [landscapeHost, subaccount] = positional(['<landscape>', '<subaccount>']);
      if ((values.export === undefined) === (values.document === undefined)) throw usage(`'neo-trust ${action}' needs exactly one of --export <id> or --document <file>`);
      const source = values.export !== undefined ? { exportId: values.export } : { documentFile: values.document! };
      return { kind: 'neo-trust import', landscapeHost, subaccount, credential: credential(), source, plan: action === 'diff', json, wait };
    }
    case 'restore': {
      const [backupId] = positional(['<backup id>']);
      return { kind: 'neo-trust restore', backupId, ...(values.credential ? { credential: values.credential } : {}), json, wait };
    }
    default:
      throw usage(action ? `unknown neo-trust command '${action}' (export, import, diff or restore)` : "'neo-trust' needs export, import, diff or restore");
  }
}
