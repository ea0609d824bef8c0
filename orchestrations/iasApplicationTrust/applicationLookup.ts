/**
 * IAS applications are found by name, and IAS does not keep names unique: two applications with the
 * request's name make the request ambiguous. The HTTP edge asks IAS once so that the caller gets a
 * 400 before anything runs; when IAS cannot be asked then, the application step finds the same.
 */
import type { FieldError } from '../../shared/schemas/fieldErrors';
import type { IasApplication } from '../../shared/sap/ias/applicationSchemas';
import type { IasApplications } from '../../shared/sap/ias/applications';
import { stepDependencies, type StepDependencies } from '../../shared/workflow/stepDependencies';
import type { IasTenantSpec } from '../../shared/schemas/iasTenant';
import type { ApplicationRef } from './spec';

/** The id a plan gives an application that the run would create: there is nothing in IAS to read yet. */
export const PLANNED_APPLICATION_ID = '(new)';

/** The application a later step works on, as IAS holds it now; undefined while it is only planned. */
export async function readApplication(deps: StepDependencies, ias: IasTenantSpec, application: ApplicationRef): Promise<IasApplication | undefined> {
  if (application.id === PLANNED_APPLICATION_ID) return undefined;
  const client = await deps.ias(ias.tenantHost, ias.apiClientSecret);
  return client.applications.get(application.id);
}

export async function applicationsNamed(applications: IasApplications, name: string): Promise<IasApplication[]> {
  return (await applications.list({ name })).filter((app) => app.name === name);
}

export function ambiguityMessage(name: string, found: IasApplication[]): string {
  return `matches ${found.length} IAS applications (${found.map((a) => a.id).join(', ')}); rename all but one in the IAS admin console, or choose a name no other application has`;
}

export async function findApplicationsNamed(spec: { ias: IasTenantSpec; applicationName: string }, field = 'applicationName'): Promise<FieldError | undefined> {
  try {
    const ias = await (await stepDependencies()).ias(spec.ias.tenantHost, spec.ias.apiClientSecret);
    const found = await applicationsNamed(ias.applications, spec.applicationName);
    return found.length > 1 ? { field, message: ambiguityMessage(spec.applicationName, found) } : undefined;
  } catch {
    // IAS unreachable or the client refused now: the run's first step reads IAS and reports it properly.
    return undefined;
  }
}
