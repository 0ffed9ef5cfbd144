import { findProfile, permittedRegions, SOVEREIGNTY_PROFILES } from '../../lib/sovereignty/profiles';
import { Country } from '../../lib/sovereignty/regions';
import { awsExampleInput, problemLines } from '../helpers';

const profile = (id: string) => {
  const found = findProfile(id);
  if (found === undefined) throw new Error(`no profile ${id}`);
  return found;
};
const agreement = (...countries: Country[]) => [{ id: 'dsa-1', countries, reference: 'legal/dsa-2026-07.pdf' }];

describe('home-country sovereignty profiles', () => {
  test('one per Gulf country the region catalog lists, beside uae-only, gcc and core42-uae', () => {
    expect(SOVEREIGNTY_PROFILES.map((p) => p.id)).toEqual(['uae-only', 'gcc', 'core42-uae', 'uae', 'bahrain', 'qatar']);
  });

  test.each([
    ['bahrain', 'aws', ['me-south-1']],
    ['bahrain', 'azure', []],
    ['qatar', 'azure', ['qatarcentral']],
    ['qatar', 'aws', []],
    ['uae', 'aws', ['me-central-1']],
    ['uae', 'azure', ['uaenorth', 'uaecentral']],
  ] as const)('%s admits its own regions on %s with no agreement', (id, cloud, regions) => {
    expect(permittedRegions(profile(id), cloud, [])).toEqual(regions);
  });

  test.each([
    ['bahrain', 'aws', ['AE'], ['me-south-1', 'me-central-1']],
    ['bahrain', 'azure', ['AE', 'QA'], ['uaenorth', 'uaecentral', 'qatarcentral']],
    ['qatar', 'azure', ['AE'], ['qatarcentral', 'uaenorth', 'uaecentral']],
    ['qatar', 'aws', ['BH'], ['me-south-1']],
    ['uae', 'aws', ['BH'], ['me-central-1', 'me-south-1']],
  ] as const)('%s on %s admits another Gulf country only with an agreement covering it (%s)', (id, cloud, countries, regions) => {
    expect(permittedRegions(profile(id), cloud, agreement(...countries))).toEqual(regions);
  });

  test('gcc stays UAE-home: Bahrain needs the agreement', () => {
    expect(permittedRegions(profile('gcc'), 'aws', [])).toEqual(['me-central-1']);
    expect(permittedRegions(profile('gcc'), 'aws', agreement('BH'))).toEqual(['me-central-1', 'me-south-1']);
  });

  test('a Bahraini environment runs in Bahrain with no agreement, but its UAE models and mirror still need one', () => {
    const input = awsExampleInput();
    input.sovereignty = { profile: 'bahrain' };
    input.region = 'me-south-1';
    const lines = problemLines(input);
    expect(lines.filter((line) => line.startsWith('env.yaml: region:'))).toEqual([]);
    expect(lines).toContain(
      'env.yaml: llm.models[1].region: me-central-1 is outside the sovereignty profile; declare llm.crossRegionAgreement naming this region to allow it (allowed: me-south-1)',
    );
    expect(lines).toContain('env.yaml: registry.imageMirror: is an ECR registry in me-central-1, outside the sovereignty profile (allowed: me-south-1)');

    input.sovereignty = { profile: 'bahrain', dataSharingAgreements: agreement('AE') };
    const withAgreement = problemLines(input);
    expect(withAgreement.filter((line) => /outside the sovereignty profile/.test(line))).toEqual([]);
  });

  test('gcc still refuses Bahrain without the agreement', () => {
    const input = awsExampleInput();
    input.sovereignty = { profile: 'gcc' };
    input.region = 'me-south-1';
    expect(problemLines(input)).toContain(
      'env.yaml: region: me-south-1 (BH) is allowed by profile gcc only with a data-sharing agreement covering BH in sovereignty.dataSharingAgreements (allowed: me-central-1)',
    );
  });
});
