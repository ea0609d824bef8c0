/**
 * Append-only journal of instance operations (one JSON line each) under the engine's state directory.
 *
 * Writes are synchronous `write(2)` calls without fsync: once `append` returns, the bytes are in the kernel's
 * page cache and survive a SIGKILL of this process (not a power loss, which devhost does not promise). The
 * engine appends before it acts (starts an activity, arms a timer, reports a status), so a restart never
 * knows less than what was done. A torn last line (killed mid-write) is ignored on load.
 * Compaction rewrites the journal as one snapshot per instance into a temporary file and renames it over the
 * old one, which is atomic.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JournalOperation } from './instanceState';

const JOURNAL_FILE = 'journal.ndjson';
const COMPACTING_FILE = 'journal.compacting';

export class Journal {
  private fd: number | undefined;
  private bytesSinceCompaction = 0;

  constructor(
    private readonly dir: string,
    /** Compact when this many bytes were appended since the last compaction. */
    readonly compactAfterBytes = 64 * 1024 * 1024,
  ) {}

  private get file(): string {
    return path.join(this.dir, JOURNAL_FILE);
  }

  /** Reads every complete operation recorded so far. */
  load(): JournalOperation[] {
    fs.mkdirSync(this.dir, { recursive: true });
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const operations: JournalOperation[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line === '') continue;
      try {
        operations.push(JSON.parse(line) as JournalOperation);
      } catch (error) {
        const isTornTail = i === lines.length - 1; // killed mid-write: no newline after it
        if (!isTornTail) throw new Error(`devhost state: ${this.file} line ${i + 1} is not valid JSON (${String(error)})`);
      }
    }
    return operations;
  }

  append(operations: JournalOperation[]): void {
    if (operations.length === 0) return;
    if (this.fd === undefined) throw new Error('devhost state journal is not open');
    let text = '';
    for (const operation of operations) text += JSON.stringify(operation) + '\n';
    const buffer = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < buffer.length) offset += fs.writeSync(this.fd, buffer, offset);
    this.bytesSinceCompaction += buffer.length;
  }

  get wantsCompaction(): boolean {
    return this.bytesSinceCompaction >= this.compactAfterBytes;
  }

  /** Replaces the journal with `snapshot` (one operation per live instance) and opens it for appending. */
  rewrite(snapshot: JournalOperation[]): void {
    this.close();
    fs.mkdirSync(this.dir, { recursive: true });
    const temporary = path.join(this.dir, COMPACTING_FILE);
    const fd = fs.openSync(temporary, 'w');
    try {
      for (const operation of snapshot) fs.writeSync(fd, JSON.stringify(operation) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.bytesSinceCompaction = 0;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
