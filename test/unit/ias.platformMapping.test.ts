import { expressionProblems } from '../../shared/ias/attributeExpression';
import { platformMappingProblems, wantedPlatformMapping } from '../../shared/ias/platformUserMapping';
import { iasListsOf, mappingsOf } from '../../shared/ias/attributeSources';

describe('IAS attribute expressions', () => {
  it("accepts SAP's group filter example and corporate IdP references", () => {
    expect(expressionProblems('${companyGroups:regex[BTP.*]}')).toEqual([]);
    expect(expressionProblems('${corporateIdP.groups:regex[^BTP_]}')).toEqual([]);
    expect(expressionProblems('${firstName} ${lastName}')).toEqual([]);
  });

  it('reports unbalanced braces, an unknown function and an unknown attribute', () => {
    expect(expressionProblems('${companyGroups:regex[BTP.*]')).toEqual([expect.stringMatching(/unbalanced braces.*never closed/)]);
    expect(expressionProblems('groups}')).toEqual([expect.stringMatching(/unbalanced braces/)]);
    expect(expressionProblems('${companyGroups:filter[BTP]}')).toEqual([expect.stringMatching(/unknown function "filter"/)]);
    expect(expressionProblems('${lastname}')).toEqual([expect.stringMatching(/"lastname" is not an Identity Directory attribute \(did you mean lastName\?\)/)]);
    expect(expressionProblems('${firstName:regex[x]}')).toEqual([expect.stringMatching(/regex applies only to group attributes/)]);
  });
});

describe('platform-user mapping (seed 001)', () => {
  it('federation off: every attribute from the corporate IdP, renamed where the IdP sends another name', () => {
    const mapping = wantedPlatformMapping({ identityFederation: false, corporateIdpAttributes: { last_name: 'sn' }, subjectNameIdentifier: 'uid' });
    expect(mapping.attributes.map((m) => [m.attribute, m.source, m.value])).toEqual([
      ['email', 'corporateIdp', 'email'],
      ['first_name', 'corporateIdp', 'first_name'],
      ['last_name', 'corporateIdp', 'sn'],
      ['groups', 'corporateIdp', 'groups'],
    ]);
    expect(platformMappingProblems(mapping, false)).toEqual([]);
  });

  it('federation on: every attribute from the Identity Directory, groups from the expression', () => {
    const mapping = wantedPlatformMapping({ identityFederation: true, corporateIdpAttributes: {}, groupsExpression: '${companyGroups:regex[BTP.*]}', subjectNameIdentifier: 'uid' });
    expect(mapping.attributes.map((m) => [m.attribute, m.source, m.value])).toEqual([
      ['email', 'identityDirectory', 'mail'],
      ['first_name', 'identityDirectory', 'firstName'],
      ['last_name', 'identityDirectory', 'lastName'],
      ['groups', 'expression', '${companyGroups:regex[BTP.*]}'],
    ]);
    expect(platformMappingProblems(mapping, true)).toEqual([]);
  });

  it('reports each problem: no source for email, a corporate IdP source with federation on, a bad expression', () => {
    const problems = platformMappingProblems(
      {
        subjectNameIdentifier: 'uid',
        attributes: [
          { attribute: 'first_name', source: 'identityDirectory', value: 'firstName' },
          { attribute: 'last_name', source: 'corporateIdp', value: 'sn' },
          { attribute: 'groups', source: 'expression', value: '${companyGroups:regex[BTP.*]' },
        ],
      },
      true,
    );
    expect(problems).toEqual([
      'email has no source',
      expect.stringMatching(/^source Corporate IdP is not used with federation on: last_name ← sn/),
      expect.stringMatching(/^expression of groups has unbalanced braces/),
    ]);
  });

  it('stores sources as SAP\'s Terraform provider does and reads them back the same', () => {
    const mapping = wantedPlatformMapping({ identityFederation: false, corporateIdpAttributes: { last_name: 'sn' }, groupsExpression: '${corporateIdP.groups:regex[BTP.*]}', subjectNameIdentifier: 'uid' });
    const lists = iasListsOf(mapping.attributes);
    expect(lists.assertionAttributes).toEqual([]);
    expect(lists.advancedAssertionAttributes).toContainEqual({ attributeName: 'last_name', attributeValue: '${corporateIdP.sn}' });
    expect(lists.advancedAssertionAttributes).toContainEqual({ attributeName: 'groups', attributeValue: '${corporateIdP.groups:regex[BTP.*]}' });
    expect(mappingsOf(lists)).toEqual(mapping.attributes);
  });
});
