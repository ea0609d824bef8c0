/**
 * Issue 7, item 1 and 2 (display side): on a terminal every line fits its width, cut with an
 * ellipsis; not on a terminal lines are plain and whole; each outcome has its own symbol and
 * colour; warnings are yellow lines of their own, never dimmed.
 */
import { composeLine, fold, truncate, visibleWidth } from '../../../cli/screenText';
import { OUTCOME_STYLES, stepLine, warningLines } from '../../../cli/stepLine';
import { ProgressView, interruptedLines, snapshotLines, SPINNER_FRAMES, type RenderOptions } from '../../../cli/progressView';
import { STEP_OUTCOMES, type OnboardingView } from '../../../cli/onboardingView';
import { onboarding } from '../../../orchestrations/onboarding/workflow';

const ONBOARDING_STEPS = onboarding.steps;
import { completedView, runningView, waitingView } from './onboardingViews';

const ESC = '\x1b[';
const DIM = `${ESC}2m`;
const YELLOW = `${ESC}33m`;
const base: RenderOptions = { color: false, baseUrl: 'http://127.0.0.1:7071' };

/** A view with the product's real (long) step titles, details and a warning. */
function realisticView(view: OnboardingView): OnboardingView {
  return {
    ...view,
    id: 'onboard-my100001-0a1b2c3d-1111-2222-3333-444455556666',
    steps: view.steps.map((s, i) => ({ ...s, title: ONBOARDING_STEPS[i].title, detail: s.outcome ? `communication system BTP_0A1B2C3D, user COM0501_0A1B2C3D, step ${i + 1}` : undefined })),
  };
}

class Terminal {
  written = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {}
  write(s: string) {
    this.written += s;
  }
  /** Every piece of text that ends up on one row: lines, and spinner frames between \r. */
  rows(): string[] {
    return this.written.split(/\n|\r\x1b\[2K/).filter((r) => r.length > 0);
  }
  /** What stays on screen: each line as the last redraw left it. */
  lines(): string[] {
    return this.written.split('\n').map((l) => l.split('\r\x1b[2K').pop()!);
  }
}

describe('text for a terminal of a given width', () => {
  it('cuts a line with an ellipsis so it takes exactly the width, and keeps a line that fits', () => {
    expect(truncate('S/4 communication system (OAuth 2.0 IdP)', 20)).toBe('S/4 communication s…');
    expect(visibleWidth(truncate('S/4 communication system (OAuth 2.0 IdP)', 20))).toBe(20);
    expect(truncate('fits', 4)).toBe('fits');
    expect(truncate('a long line', undefined)).toBe('a long line');
  });

  it('folds prose at spaces with a hanging indent, never past the width, and cuts only a word too long for a line', () => {
    const lines = fold('the certificate upload will be a manual step because the tenant has no field for it', 30, '  ⚠ ', '    ');
    expect(lines[0].startsWith('  ⚠ the certificate')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('    ') && !l.startsWith('     '))).toBe(true);
    expect(lines.every((l) => visibleWidth(l) <= 30)).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('no field for it');
    for (const line of lines) expect(line.trim().split(' ').every((w) => 'the certificate upload will be a manual step because the tenant has no field for it ⚠'.split(' ').includes(w))).toBe(true);
    const url = fold('https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token', 30, '  ');
    expect(url.every((l) => visibleWidth(l) <= 30)).toBe(true);
    expect(url.map((l) => l.trim()).join('')).toBe('https://my100001-api.s4hana.ondemand.com/sap/bc/sec/oauth2/token');
  });

  it('counts colours as no width and keeps them when a line is cut', () => {
    const line = composeLine([['  '], ['created', (on, t) => (on ? `${ESC}32m${t}${ESC}0m` : t)], [' and a detail that is long']], true, 14);
    expect(visibleWidth(line)).toBe(14);
    expect(line).toContain(`${ESC}32mcreated${ESC}0m`);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('a step line', () => {
  const view = realisticView(completedView());
  const longest = Math.max(...view.steps.map((s) => s.title.length));

  it.each([79, 119])('fits %i columns, with the title cut by an ellipsis where it must be', (width) => {
    const lines = view.steps.map((s, i) => stepLine(s, i + 1, 9, longest, { color: true, width }));
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
    const system = lines[3].replace(/\x1b\[[0-9;]*m/g, '');
    if (width === 79) expect(system).toMatch(/4\/9 S\/4 communication system \(OAuth 2\.0 IdP, [^ ]*…  created/);
    else expect(system).toContain('S/4 communication system (OAuth 2.0 IdP, signing certificate, SAML issuer)  created');
  });

  it('cuts the detail to what is left, and leaves it out when too little is left', () => {
    const at119 = stepLine(view.steps[2], 3, 9, longest, { color: false, width: 119 });
    expect(at119).toMatch(/created +252 ms  communicatio…$/);
    expect(visibleWidth(at119)).toBe(119);
    const shortTitles = stepLine(view.steps[2], 3, 9, 22, { color: false, width: 139 });
    expect(shortTitles).toMatch(/created +252 ms  communication system BTP_0A1B2C3D, user COM0501_0A1B2C3D, step 3$/);
    const at79 = stepLine(view.steps[2], 3, 9, longest, { color: false, width: 79 });
    expect(at79).toMatch(/created +252 ms$/);
  });

  it('is whole when stdout is no terminal: no cut, no ellipsis, titles padded to at most 40 columns', () => {
    const line = stepLine(view.steps[3], 4, 9, longest, { color: false });
    expect(line).toContain('S/4 communication system (OAuth 2.0 IdP, signing certificate, SAML issuer)  created');
    expect(line).toContain('step 4');
    expect(line).not.toContain('…');
    expect(stepLine(view.steps[2], 3, 9, longest, { color: false })).toMatch(/^ {2}✚ 3\/9 S\/4 communication user {18} {2}created/);
  });

  it('gives each outcome its own symbol and colour, and says the outcome in words', () => {
    const symbols = STEP_OUTCOMES.map((o) => OUTCOME_STYLES[o].symbol);
    expect(new Set(symbols).size).toBe(STEP_OUTCOMES.length);
    const painted = STEP_OUTCOMES.map((outcome) => stepLine({ id: 'preflight', title: 'Preflight', outcome, durationMs: 5 }, 1, 9, 9, { color: true }));
    const symbolColours = painted.map((l) => /^ {2}(\x1b\[[0-9;]*m)?(.)/.exec(l)!.slice(1).join(''));
    expect(new Set(symbolColours).size).toBe(STEP_OUTCOMES.length);
    STEP_OUTCOMES.forEach((outcome, i) => expect(painted[i].replace(/\x1b\[[0-9;]*m/g, '')).toContain(` ${outcome} `));
    // Only-looked and wrote-something never share the ✔ of a verified token exchange.
    expect(OUTCOME_STYLES.checked.symbol).not.toBe(OUTCOME_STYLES.verified.symbol);
    expect(OUTCOME_STYLES.unchanged.symbol).not.toBe(OUTCOME_STYLES.created.symbol);
  });

  it('shows warnings as ⚠ lines of their own under the step, yellow and never dimmed, folded on a terminal', () => {
    const step = { ...view.steps[0], outcome: 'checked' as const, warnings: ['the certificate upload will be a manual step: the tenant $metadata has no field for the signing certificate'] };
    const coloured = warningLines(step, { color: true, width: 79 });
    expect(coloured.length).toBeGreaterThan(1);
    for (const line of coloured) {
      expect(line.startsWith(YELLOW)).toBe(true);
      expect(line).not.toContain(DIM);
      expect(visibleWidth(line)).toBeLessThanOrEqual(79);
    }
    expect(coloured[0]).toContain('⚠ the certificate upload will be a manual step');
    expect(warningLines(step, { color: false })).toEqual(['      ⚠ the certificate upload will be a manual step: the tenant $metadata has no field for the signing certificate']);
    const snapshot = snapshotLines({ ...view, steps: [step, ...view.steps.slice(1)] }, base);
    const at = snapshot.findIndex((l) => l.includes('1/9 Preflight'));
    expect(snapshot[at + 1]).toContain('⚠ the certificate upload');
  });
});

describe('the live display', () => {
  it.each([80, 100, 120])('on a terminal %i columns wide writes no row as wide as the terminal, spinner frames included', (columns) => {
    const screen = new Terminal(true, columns);
    const progress = new ProgressView(screen, { ...base, color: true }, () => Date.parse('2025-01-01T10:00:03.000Z'));
    for (const done of [0, 2, 3, 5]) progress.update(realisticView(runningView(done)));
    progress.update(realisticView(waitingView()));
    progress.update(realisticView(completedView()));
    progress.close();
    for (const row of screen.rows()) expect(visibleWidth(row)).toBeLessThan(columns);
    const stepRows = screen.lines().filter((l) => / \d\/9 /.test(l));
    expect(stepRows).toHaveLength(9);
    expect(screen.lines().filter((l) => l.includes('running'))).toEqual([]);
  });

  it('reads the width again on every update (a resized window)', () => {
    const screen = new Terminal(true, 160) as Terminal & { columns: number };
    const progress = new ProgressView(screen, base);
    progress.update(realisticView(runningView(4)));
    (screen as { columns: number }).columns = 60;
    progress.update(realisticView(runningView(5)));
    progress.close();
    const fifth = screen.lines().find((l) => l.includes('5/9'))!;
    expect(visibleWidth(screen.lines().find((l) => l.includes('4/9'))!)).toBeGreaterThan(100);
    expect(visibleWidth(fifth)).toBeLessThan(60);
  });

  it('writes plain whole lines when stdout is no terminal: no spinner, no escape codes, nothing cut', () => {
    const screen = new Terminal(false);
    const progress = new ProgressView(screen, base);
    progress.update(realisticView(runningView(3)));
    progress.update(realisticView(completedView()));
    progress.close();
    expect(screen.written).not.toContain('\r');
    expect(screen.written).not.toContain(ESC);
    expect(screen.written).not.toContain('…');
    expect(screen.written).toContain('S/4 communication system (OAuth 2.0 IdP, signing certificate, SAML issuer)');
    expect(screen.written).toContain('user COM0501_0A1B2C3D, step 9');
  });

  it('shows on a terminal that it waits for a person and for what, instead of waiting silently', () => {
    const screen = new Terminal(true, 100);
    const progress = new ProgressView(screen, base);
    progress.update(waitingView('Checked at 10:05: system BTP_0A1B2C3D does not hold the certificate yet.'));
    progress.close();
    expect(screen.written).toContain(`${SPINNER_FRAMES[0]} waiting for you: Upload the signing certificate`);
    expect(screen.written).toContain('⚠ Last check: Checked at 10:05: system BTP_0A1B2C3D does not hold the certificate yet.');
  });

  it('prints a warning that arrives after its step was printed', () => {
    const screen = new Terminal(false);
    const progress = new ProgressView(screen, base);
    const first = runningView(2);
    progress.update(first);
    const later = runningView(3);
    later.steps[0].warnings = ['the certificate upload will be a manual step'];
    progress.update(later);
    progress.update(later);
    progress.close();
    expect(screen.written.match(/⚠ the certificate upload will be a manual step/g)).toHaveLength(1);
  });

  it('after Ctrl-C leaves a clean line: the run goes on on the server, how to follow it and cancel it', () => {
    const screen = new Terminal(true, 160);
    const progress = new ProgressView(screen, { ...base, targetArgs: ' --url https://app.azurewebsites.net' });
    progress.update(runningView(2));
    progress.interrupted('onboard-my100001-0a1b2c3d');
    const after = screen.written.slice(screen.written.lastIndexOf('\r\x1b[2K') + '\r\x1b[2K'.length);
    expect(after.split('\n')[0]).toBe('Stopped following. Onboarding onboard-my100001-0a1b2c3d goes on on the server.');
    expect(after).toMatch(/Follow it again +sap-trust follow onboard-my100001-0a1b2c3d --url https:\/\/app\.azurewebsites\.net/);
    expect(after).toMatch(/Cancel it +sap-trust cancel onboard-my100001-0a1b2c3d --url https:\/\/app\.azurewebsites\.net/);
    expect(interruptedLines('x', base).join('\n')).not.toContain('--url');
  });

  it('breaks a command too long for the terminal with shell continuations, never inside a word', () => {
    const id = 'onboard-my100004-3bd6ddac-8194-40b4-8b5b-a90c3675525e';
    const lines = interruptedLines(id, { ...base, width: 79, targetArgs: ' --url http://127.0.0.1:42483' });
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(79);
    const follow = lines.slice(lines.findIndex((l) => l === '  Follow it again:') + 1);
    expect(follow[0]).toBe(`    sap-trust follow ${id} \\`);
    expect(follow[1]).toBe('      --url http://127.0.0.1:42483');
  });

  it('keeps the live line two columns short, so the ^C a terminal echoes does not wrap it', () => {
    const screen = new Terminal(true, 80);
    const progress = new ProgressView(screen, base, () => Date.parse('2025-01-01T10:00:03.000Z'));
    progress.update(realisticView(runningView(3)));
    const live = screen.written.slice(screen.written.lastIndexOf('\n') + 1);
    expect(live).toContain('running');
    expect(visibleWidth(live)).toBeLessThanOrEqual(77);
    progress.close();
  });
});
