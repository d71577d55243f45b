/**
 * The record of every ingestion run (seeding and live feeds): which source, when, how many rows
 * were read, accepted and rejected, and why each reject was refused.
 */
export interface IngestionReject {
  /** the entity id or source row the reject concerns */
  ref: string;
  reason: string;
}

export interface IngestionRun {
  id: string;
  connector: string;
  sources: string[];
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'succeeded' | 'failed';
  read: number;
  accepted: number;
  rejected: number;
  historyInstances: number;
  rejects: IngestionReject[];
  error?: string;
}

export interface IngestionStore {
  saveRun(run: IngestionRun): Promise<void>;
  getRun(id: string): Promise<IngestionRun | undefined>;
  listRuns(filter: { connector?: string; limit: number; offset: number }): Promise<IngestionRun[]>;
}
