/**
 * `sap-trust ias-trust …` and `sap-trust attribute-mapping …`: the IAS workflows (issue 10) through
 * the generic run API. Verbs: start <file.json> [--no-wait], plan <file.json>, status <id> [--json],
 * list [--json]. Parsed here so that commandLine.ts only routes.
 */
import { UsageError } from './commandLine';

export const IAS_WORKFLOW_COMMANDS = { 'ias-trust': 'ias-trusts', 'attribute-mapping': 'attribute-mappings' } as const;
export type IasWorkflowName = keyof typeof IAS_WORKFLOW_COMMANDS;

export type IasWorkflowCommand =
  | { kind: 'ias workflow'; workflow: IasWorkflowName; verb: 'start'; file: string; wait: boolean }
  | { kind: 'ias workflow'; workflow: IasWorkflowName; verb: 'plan'; file: string; json: boolean }
  | { kind: 'ias workflow'; workflow: IasWorkflowName; verb: 'status'; id: string; json: boolean }
  | { kind: 'ias workflow'; workflow: IasWorkflowName; verb: 'list'; json: boolean };

export const IAS_WORKFLOW_USAGE = `  ias-trust start|plan <file.json>     IAS application trust from SP metadata (POST /api/ias-trusts)
  ias-trust status <id> | list         show one run / all runs
  attribute-mapping start|plan <file.json>
                                       platform-user attributes of the BTP application in IAS
  attribute-mapping status <id> | list (POST /api/attribute-mappings)`;

export function parseIasWorkflowCommand(workflow: IasWorkflowName, rest: string[], options: { json: boolean; wait: boolean }): IasWorkflowCommand {
  const [verb, argument, extra] = rest;
  const needs = (what: string) => {
    if (argument === undefined) throw new UsageError(`'${workflow} ${verb}' needs ${what}`);
    if (extra !== undefined) throw new UsageError(`'${workflow} ${verb}' got unexpected argument '${extra}'`);
    return argument;
  };
  switch (verb) {
    case 'start':
      return { kind: 'ias workflow', workflow, verb, file: needs('<file.json>'), wait: options.wait };
    case 'plan':
      return { kind: 'ias workflow', workflow, verb, file: needs('<file.json>'), json: options.json };
    case 'status':
      return { kind: 'ias workflow', workflow, verb, id: needs('<id>'), json: options.json };
    case 'list':
      if (argument !== undefined) throw new UsageError(`'${workflow} list' got unexpected argument '${argument}'`);
      return { kind: 'ias workflow', workflow, verb, json: options.json };
    default:
      throw new UsageError(verb === undefined ? `'${workflow}' needs a verb: start, plan, status or list` : `unknown ${workflow} command '${verb}' (start, plan, status or list)`);
  }
}
