/** The recent SAP calls the sandbox answered: method, host, path, status and duration only. */
export interface RequestLogEntry {
  at: string;
  method: string;
  host: string;
  path: string;
  status: number;
  ms: number;
  /** `lost-response`: carried out, then never answered; status is what SAP would have answered. */
  fault?: 'error' | 'hang' | 'lost-response';
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  constructor(private readonly capacity = 1000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
  }
}
