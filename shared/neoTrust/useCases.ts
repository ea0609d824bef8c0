/**
 * Seed 004's use cases (SAP doc trust-management-api, "Use Cases"), each a named rule. A document is
 * classified under one use case and must satisfy that use case's settings; what breaks one is a 422
 * naming the rule.
 *
 * | use case | configurationType | local SP | identity providers | principal propagation |
 * |---|---|---|---|---|
 * | fully-featured-idps | Custom | required | at least one neither onlyForIdpInitiatedSSO nor onlyForOAuthSAMLBearerFlow | – |
 * | restricted-idps | Default | – | every one onlyForIdpInitiatedSSO or onlyForOAuthSAMLBearerFlow | off |
 * | principal-propagation | Default | required | none | on |
 * | cross-subaccount-principal-propagation | Default | required | at least one onlyForIdpInitiatedSSO | on |
 * | sap-id-service | Default | – | none | off | (SAP's default; not one of seed 004's use cases)
 * | no-trust | None | – | none | – |
 */
import { finding, idpPath, lspPath, type TrustFinding } from './trustFinding';
import { identityProvidersOf, isTrue, type IdentityProvider, type TrustDocument } from './trustDocument';

export const USE_CASES = {
  'fully-featured-idps': 'Fully featured application identity providers',
  'restricted-idps': 'Application identity providers only for IdP-initiated SSO or only for the OAuth 2.0 SAML bearer flow',
  'principal-propagation': 'Principal propagation',
  'cross-subaccount-principal-propagation': 'Cross-subaccount principal propagation',
  'sap-id-service': 'SAP ID service only (the platform default)',
  'no-trust': 'No trust (configuration type None)',
} as const;
export type UseCase = keyof typeof USE_CASES;

const restricted = (idp: IdentityProvider) => isTrue(idp.onlyForIdpInitiatedSSO) || isTrue(idp.onlyForOAuthSAMLBearerFlow);

export function classifyUseCase(doc: TrustDocument): UseCase {
  const idps = identityProvidersOf(doc);
  const propagation = isTrue(doc.localServiceProvider?.principalPropagationEnabled);
  if (doc.configurationType === 'None') return 'no-trust';
  if (doc.configurationType === 'Custom') return 'fully-featured-idps';
  if (propagation) return idps.length > 0 ? 'cross-subaccount-principal-propagation' : 'principal-propagation';
  return idps.length > 0 ? 'restricted-idps' : 'sap-id-service';
}

const rule = (useCase: UseCase) => `use-case/${useCase}`;

export function useCaseFindings(doc: TrustDocument): { useCase: UseCase; findings: TrustFinding[] } {
  const useCase = classifyUseCase(doc);
  const idps = identityProvidersOf(doc);
  const lsp = doc.localServiceProvider;
  const out: TrustFinding[] = [];
  const name = USE_CASES[useCase];
  switch (useCase) {
    case 'fully-featured-idps': {
      if (!lsp) out.push(finding(rule(useCase), lspPath(), `${name} (configurationType Custom) needs a local service provider`));
      else {
        if (!lsp.signingKey) out.push(finding(rule(useCase), lspPath('signingKey'), `${name} (configurationType Custom) needs the local service provider's signing key`));
        if (!lsp.signingCertificate) out.push(finding(rule(useCase), lspPath('signingCertificate'), `${name} (configurationType Custom) needs the local service provider's signing certificate`));
      }
      if (!idps.some((idp) => !restricted(idp))) {
        out.push(
          finding(
            rule(useCase),
            ['applicationIdentityProviders', 'identityProviders'],
            `${name} (configurationType Custom) needs at least one identity provider that is neither onlyForIdpInitiatedSSO nor onlyForOAuthSAMLBearerFlow; without one nobody can log on from an application's login page. For restricted identity providers only, use configurationType Default`,
          ),
        );
      }
      if (isTrue(lsp?.principalPropagationEnabled)) {
        out.push(finding(rule('principal-propagation'), lspPath('principalPropagationEnabled'), 'principal propagation goes with configurationType Default (seed 004); set it to "false" or use configurationType Default'));
      }
      break;
    }
    case 'restricted-idps':
    case 'cross-subaccount-principal-propagation':
      idps.forEach((idp, i) => {
        if (!restricted(idp)) {
          out.push(
            finding(
              rule(useCase),
              idpPath(i, 'onlyForIdpInitiatedSSO'),
              `identity provider "${idp.name}" is fully featured, but configurationType Default allows only identity providers for IdP-initiated SSO or for the SAML bearer flow; set onlyForIdpInitiatedSSO or onlyForOAuthSAMLBearerFlow to "true", or use configurationType Custom with a local service provider`,
            ),
          );
        }
      });
      if (useCase === 'cross-subaccount-principal-propagation' && !idps.some((idp) => isTrue(idp.onlyForIdpInitiatedSSO))) {
        out.push(finding(rule(useCase), ['applicationIdentityProviders', 'identityProviders'], `${name} needs at least one identity provider with onlyForIdpInitiatedSSO "true" (the other subaccount's local service provider)`));
      }
      break;
    case 'principal-propagation':
      if (!lsp?.name) out.push(finding(rule(useCase), lspPath(), `${name} needs the local service provider whose assertions other applications trust`));
      break;
    case 'no-trust':
      if (idps.length > 0) out.push(finding(rule(useCase), ['applicationIdentityProviders', 'identityProviders'], 'configurationType None trusts no identity provider; remove them or use Default or Custom'));
      break;
    case 'sap-id-service':
      break;
  }
  return { useCase, findings: out };
}
