/**
 * A command in a real pseudo-terminal: one tmux server per terminal (its own socket and config, so
 * nothing else on the machine is touched), read back with capture-pane.
 *
 * One server per terminal, not one per test file: `kill-server` returns before the server has gone,
 * and no terminal should depend on another's server being gone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TMUX = '/usr/bin/tmux';

const quoted = (argument: string) => `'${argument.replace(/'/g, `'\\''`)}'`;

export class TmuxTerminal {
  private readonly socket: string;
  private readonly config: string;
  private readonly statusFile: string;
  private stopped = false;

  /** Starts `argv` in a detached session `columns` wide; `dir` holds the socket and config. */
  constructor(
    private readonly dir: string,
    private readonly name: string,
    columns: number,
    argv: string[],
    lines = 50,
  ) {
    if (!existsSync(TMUX)) throw new Error(`${TMUX} is missing: these tests need tmux (Debian: apt-get install tmux; .ci/run installs it)`);
    this.socket = join(dir, `tmux-${name}.sock`);
    this.config = join(dir, `tmux-${name}.conf`);
    writeFileSync(this.config, 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n');
    this.statusFile = join(dir, `tmux-${name}.status`);
    // The shell traps Ctrl-C (so that it waits for the command to handle it) and writes its status.
    const script = `trap true INT; env -u NO_COLOR ${argv.map(quoted).join(' ')}; echo $? > ${quoted(this.statusFile)}`;
    this.tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(lines), `sh -c ${quoted(script)}`);
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-u', '-S', this.socket, '-f', this.config, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: this.dir, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'xterm-256color' },
    });
  }

  /** The rows on screen (`joined`: rows the terminal wrapped are joined again). */
  rows(joined = false): string[] {
    const rows = this.tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', this.name, '-S', '-', '-E', '-')
      .split('\n')
      .filter((r) => !/^Pane is dead/.test(r));
    while (rows.length && rows[rows.length - 1].trim() === '') rows.pop();
    return rows;
  }

  width(): number {
    return Number(this.tmux('display-message', '-p', '-t', this.name, '#{pane_width}').trim());
  }

  /**
   * The command's exit status once it has ended, as a shell reports it (128 + n for signal n).
   * It comes from a file the pane's shell writes, not from tmux: tmux 3.3a at times leaves the
   * ended process a zombie it never reaps (seen under load), and then never learns the status.
   */
  exitStatus(): number | undefined {
    if (!existsSync(this.statusFile)) return undefined;
    const text = readFileSync(this.statusFile, 'utf8').trim();
    return text === '' ? undefined : Number(text);
  }

  interrupt(): void {
    this.tmux('send-keys', '-t', this.name, 'C-c');
  }

  async waitFor(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(`terminal ${this.name}: no ${what} within ${timeoutMs} ms:\n${this.rows().join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.tmux('kill-server');
  }
}
