/* Core's dataspace object: a physically contiguous range of RAM (or device memory). */
import type { Dataspace } from '../session/dataspace/session.js';

/** Something that has the dataspace attached, so freeing it can detach it everywhere. */
export interface DataspaceUser {
  dataspaceGone(ds: DataspaceComponent): void;
}

export class DataspaceComponent implements Dataspace {
  readonly users = new Set<DataspaceUser>();

  constructor(
    readonly phys: number,
    readonly bytes: number,
    readonly isWriteable: boolean,
    /** The PD session that allocated it, or undefined for core-owned (ROM) dataspaces. */
    readonly owner: object | undefined,
  ) {}

  size = async (): Promise<number> => this.bytes;
  writeable = async (): Promise<boolean> => this.isWriteable;

  /** Detaches the dataspace from everything that has it attached. */
  detachAll(): void {
    for (const u of [...this.users]) u.dataspaceGone(this);
    this.users.clear();
  }
}
