import { OnboardingView } from '../../../cli/onboardingView';
import { formatDuration, ProgressView, snapshotLines, SPINNER_FRAMES, type RenderOptions } from '../../../cli/progressView';
import { completedView, failedView, runningView, waitingView } from './onboardingViews';

const plain: RenderOptions = { color: false, baseUrl: 'https://sap-trust.azurewebsites.net/' };
const text = (lines: string[]) => lines.join('\n');

class Screen {
  written = '';
  constructor(readonly isTTY: boolean) {}
  write(s: string) {
    this.written += s;
  }
}

describe('snapshot rendering', () => {
  it('shows finished steps with outcome and duration, the running one, and the pending ones', () => {
    const out = text(snapshotLines(runningView(2), plain));
    expect(out).toContain('onboard-my100001-0a1b2c3d');
    expect(out).toMatch(/✚ +1\/9 Preflight +created +250 ms/);
    expect(out).toMatch(/✚ +2\/9 Trust certificate +created +251 ms/);
    expect(out).toMatch(/▸ +3\/9 Communication user +running/);
    expect(out).toMatch(/· +9\/9 Record tenant +pending/);
    expect(out).toContain('status: running — Communication user…');
  });

  it('tells the administrator what to do when waiting for a manual step', () => {
    const out = text(snapshotLines(waitingView(), plain));
    expect(out).toContain('⏸ Waiting for manual step: Upload the signing certificate');
    expect(out).toMatch(/Fiori app +Communication Systems/);
    expect(out).toContain('1. Open communication system SAP_BTP_0A1B2C3D.');
    // The download needs the function key, so the CLI command comes first, the URL is for scripts.
    expect(out).toMatch(/BTP trust certificate +sap-trust certificate onboard-my100001-0a1b2c3d\n +\(saves trust\.pem\)/);
    expect(out).toContain('GET https://sap-trust.azurewebsites.net/api/onboardings/onboard-my100001-0a1b2c3d/attachments/certificate with header x-functions-key');
    expect(out).toMatch(/OAuth 2.0 SAML Issuer +CN=cfapps\.eu10\.hana\.ondemand\.com\/0a1b2c3d/);
    expect(out).toContain('2025-01-08T10:00:00.000Z');
    expect(out).toMatch(/When done +sap-trust resume onboard-my100001-0a1b2c3d communicationSystem/);
    // What happens after the resume: the run checks, and waits on until S/4 holds the upload.
    expect(out).toContain('checks what the person did and goes on only when it finds it done');
  });

  it('keeps an absolute certificate URL as the server gave it, and shows a failed read-back', () => {
    const view = waitingView('The communication system still has no signing certificate.');
    view.manualAction!.attachments[0].url = 'https://elsewhere.example/cert.pem';
    const out = text(snapshotLines(view, plain));
    expect(out).toContain('GET https://elsewhere.example/cert.pem');
    expect(out).toContain('⚠ Last check: The communication system still has no signing certificate.');
  });

  it('prints the destination and that the token exchange was verified when completed', () => {
    const out = text(snapshotLines(completedView(), plain));
    expect(out).toContain('✔ Onboarding completed in 4.2 s');
    expect(out).toMatch(/Destination +S4_my100001_SAML/);
    expect(out).toMatch(/Token service URL +https:\/\/my100001-api\.s4hana\.ondemand\.com\/sap\/bc\/sec\/oauth2\/token/);
    expect(out).toMatch(/Audience +https:\/\/my100001\.s4hana\.ondemand\.com/);
    expect(out).toMatch(/Client ID +SAP_BTP_CLIENT_0A1B/);
    expect(out).toContain('token exchange verified');
    expect(out).not.toContain('NOT verified');
  });

  it('takes the run time from the last finished step when updatedAt lags behind', () => {
    const view = completedView();
    view.updatedAt = view.createdAt;
    expect(text(snapshotLines(view, plain))).toContain('✔ Onboarding completed in 4.0 s');
  });

  it('aligns step titles to the longest one', () => {
    const lines = snapshotLines(completedView(), plain).filter((l) => / \d\/9 /.test(l));
    const outcomeColumns = lines.map((l) => l.search(/(created|unchanged)/));
    expect(new Set(outcomeColumns).size).toBe(1);
  });

  it('says so when the token exchange was not verified', () => {
    const view = completedView();
    view.result!.tokenExchangeVerified = false;
    expect(text(snapshotLines(view, plain))).toContain('token exchange NOT verified');
  });

  it('names the failed step, the system, SAP\'s message and the fix', () => {
    const out = text(snapshotLines(failedView(), plain));
    expect(out).toContain('✖ Onboarding failed at step "Communication arrangement" (arrangement) on my100001-api.s4hana.ondemand.com');
    expect(out).toContain('"No authorization"');
    expect(out).toContain('Fix: Give the technical user on my100001 the authorization for CommunicationArrangements create.');
    expect(out).toMatch(/✖ +5\/9 Communication arrangement +failed +80 ms/);
  });

  it('never prints a value of a field named like a password or secret, even when the server sends one', () => {
    const raw = {
      ...completedView(),
      tokenServicePassword: 'pw-TOP-1',
      result: { ...completedView().result, clientSecret: 'cs-TOP-2', tokenServicePassword: 'pw-TOP-3' },
      steps: completedView().steps.map((s) => ({ ...s, password: 'pw-TOP-4' })),
      manualAction: { ...waitingView().manualAction, secret: 'sec-TOP-5' },
      error: { ...failedView().error, clientsecret: 'cs-TOP-6' },
    };
    for (const status of ['completed', 'failed', 'waiting for manual step'] as const) {
      const view = OnboardingView.parse({ ...raw, status });
      const out = text(snapshotLines(view, plain));
      const screen = new Screen(false);
      new ProgressView(screen, plain).update(view);
      for (const secret of ['pw-TOP-1', 'cs-TOP-2', 'pw-TOP-3', 'pw-TOP-4', 'sec-TOP-5', 'cs-TOP-6']) {
        expect(out).not.toContain(secret);
        expect(screen.written).not.toContain(secret);
      }
    }
  });

  it('uses ANSI colours only when asked', () => {
    expect(text(snapshotLines(failedView(), { ...plain, color: true }))).toContain('\x1b[31m');
    expect(text(snapshotLines(failedView(), plain))).not.toContain('\x1b[');
  });

  it('formats durations for people', () => {
    expect(formatDuration(412)).toBe('412 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(formatDuration(undefined)).toBe('');
  });
});

describe('live progress', () => {
  it('appends each finished step once, in order, and the outcome at the end (not a terminal)', () => {
    const screen = new Screen(false);
    const view = new ProgressView(screen, plain);
    view.update(runningView(0));
    view.update(runningView(2));
    view.update(runningView(2));
    view.update(runningView(3));
    view.update(completedView());
    view.update(completedView());
    view.close();
    const lines = screen.written.split('\n').filter(Boolean);
    expect(screen.written).not.toContain('\r');
    expect(lines[0]).toBe('Onboarding tenant my100001 to subaccount 0a1b2c3d-1111-2222-3333-444455556666');
    expect(lines[1]).toBe('  id onboard-my100001-0a1b2c3d');
    const stepLines = lines.filter((l) => / \d\/9 /.test(l));
    expect(stepLines.map((l) => l.match(/ (\d)\/9 /)![1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(lines.filter((l) => l.includes('Onboarding completed'))).toHaveLength(1);
  });

  it('prints the manual action once while waiting, and again when a read-back failed', () => {
    const screen = new Screen(false);
    const view = new ProgressView(screen, plain);
    view.update(waitingView());
    view.update(waitingView());
    view.update(waitingView('still no signing certificate'));
    view.close();
    expect(screen.written.match(/Waiting for manual step/g)).toHaveLength(2);
    expect(screen.written).toContain('Last check: still no signing certificate');
  });

  it('draws a spinner line for the running step on a terminal and clears it before appending', () => {
    const screen = new Screen(true);
    const view = new ProgressView(screen, plain, () => Date.parse('2025-01-01T10:00:02.500Z'));
    view.update(runningView(1));
    expect(screen.written).toContain(`${SPINNER_FRAMES[0]} 2/9 Trust certificate`);
    expect(screen.written).toMatch(/Trust certificate +running +1\.5 s/);
    view.update(runningView(2));
    expect(screen.written).toContain('\r\x1b[2K');
    view.update(completedView());
    view.close();
    expect(screen.written.trimEnd().endsWith('token exchange verified')).toBe(true);
  });
});
