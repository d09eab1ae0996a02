import ssh2 from 'ssh2';
import type { SFTPWrapper } from 'ssh2';
import { DataSyncError, toDataSyncError } from '../../oclc/error-catalogue.ts';
import type { SimulatorEvents } from '../events.ts';
import type { OpenFlags, SftpOperations } from './sftp-operations.ts';

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp;

/** Refusals the user must understand; probes such as STAT of a missing file stay quiet. */
const EXPLAIN_ON_STDERR = new Set(['PERMISSION_DENIED', 'FAILURE', 'OP_UNSUPPORTED']);

/**
 * Adapts ssh2's SFTP server events to SftpOperations. This is the only place that knows request
 * ids, handle buffers and STATUS_CODE; everything else speaks DataSyncError.
 */
export function bindSftpSession(
  sftp: SFTPWrapper,
  ops: SftpOperations,
  context: { account: string; events: SimulatorEvents },
): void {
  const fail = (reqid: number, operation: string, path: string, error: unknown): void => {
    const err = toDataSyncError(error, operation.toLowerCase());
    const status = err.definition.sftp;
    if (EXPLAIN_ON_STDERR.has(status)) {
      explain(sftp, err.message);
      context.events.emit('sftp:denied', {
        account: context.account,
        operation,
        path,
        code: err.code,
        message: err.message,
      });
    }
    sftp.status(reqid, STATUS_CODE[status], err.message);
  };
  const run = (reqid: number, operation: string, path: string, action: () => void | Promise<void>): void => {
    try {
      const result = action();
      if (result instanceof Promise) result.catch((error: unknown) => fail(reqid, operation, path, error));
    } catch (error) {
      fail(reqid, operation, path, error);
    }
  };
  const ok = (reqid: number): void => {
    sftp.status(reqid, STATUS_CODE.OK);
  };

  sftp.on('REALPATH', (reqid, path) =>
    run(reqid, 'REALPATH', path, () => {
      const resolved = ops.realpath(path);
      sftp.name(reqid, [{ filename: resolved, longname: resolved, attrs: {} as never }]);
    }),
  );
  sftp.on('STAT', (reqid, path) => run(reqid, 'STAT', path, () => void sftp.attrs(reqid, ops.stat(path))));
  sftp.on('LSTAT', (reqid, path) => run(reqid, 'LSTAT', path, () => void sftp.attrs(reqid, ops.stat(path))));
  sftp.on('FSTAT', (reqid, handle) =>
    run(reqid, 'FSTAT', '', () => void sftp.attrs(reqid, ops.fstat(handleId(handle)))),
  );
  sftp.on('OPENDIR', (reqid, path) =>
    run(reqid, 'OPENDIR', path, () => void sftp.handle(reqid, handleBuffer(ops.opendir(path)))),
  );
  sftp.on('READDIR', (reqid, handle) =>
    run(reqid, 'READDIR', '', () => {
      const entries = ops.readdir(handleId(handle));
      if (entries) sftp.name(reqid, entries);
      else sftp.status(reqid, STATUS_CODE.EOF);
    }),
  );
  sftp.on('OPEN', (reqid, path, flags) =>
    run(reqid, 'OPEN', path, () => void sftp.handle(reqid, handleBuffer(ops.open(path, openFlags(flags))))),
  );
  sftp.on('READ', (reqid, handle, offset, length) =>
    run(reqid, 'READ', '', () => {
      const data = ops.read(handleId(handle), offset, length);
      if (data) sftp.data(reqid, data);
      else sftp.status(reqid, STATUS_CODE.EOF);
    }),
  );
  sftp.on('WRITE', (reqid, handle, offset, data) =>
    run(reqid, 'WRITE', '', () => {
      ops.write(handleId(handle), offset, data);
      ok(reqid);
    }),
  );
  sftp.on('CLOSE', (reqid, handle) =>
    run(reqid, 'CLOSE', '', () => ops.close(handleId(handle)).then(() => ok(reqid))),
  );
  sftp.on('RENAME', (reqid, from, to) =>
    run(reqid, 'RENAME', from, () => ops.rename(from, to).then(() => ok(reqid))),
  );
  sftp.on('REMOVE', (reqid, path) => run(reqid, 'REMOVE', path, () => (ops.remove(path), ok(reqid))));
  sftp.on('SETSTAT', (reqid, path) => run(reqid, 'SETSTAT', path, () => (ops.setstat(path), ok(reqid))));
  sftp.on('FSETSTAT', (reqid, handle) =>
    run(reqid, 'FSETSTAT', '', () => (ops.fsetstat(handleId(handle)), ok(reqid))),
  );
  sftp.on('MKDIR', (reqid, path) => run(reqid, 'MKDIR', path, () => ops.mkdir(path)));
  sftp.on('RMDIR', (reqid, path) => run(reqid, 'RMDIR', path, () => ops.rmdir(path)));
  for (const op of ['READLINK', 'SYMLINK'] as const) {
    sftp.on(op, (reqid: number, path: string) =>
      run(reqid, op, path, () => {
        throw new DataSyncError('OP_UNSUPPORTED', { action: op.toLowerCase() });
      }),
    );
  }
  // OpenSSH's sftp waits for the server to close the channel after `bye`.
  sftp.on('end', () => sftp.end());
}

function openFlags(flags: number): OpenFlags {
  return {
    read: (flags & OPEN_MODE.READ) !== 0,
    write: (flags & OPEN_MODE.WRITE) !== 0 || (flags & OPEN_MODE.APPEND) !== 0,
    append: (flags & OPEN_MODE.APPEND) !== 0,
    create: (flags & OPEN_MODE.CREAT) !== 0,
    truncate: (flags & OPEN_MODE.TRUNC) !== 0,
    exclusive: (flags & OPEN_MODE.EXCL) !== 0,
  };
}

function handleBuffer(id: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(id);
  return buffer;
}

function handleId(handle: Buffer): number {
  return handle.length === 4 ? handle.readUInt32BE(0) : 0;
}

interface ChannelInternals {
  _protocol?: { channelExtData(channel: number, data: Buffer, type: number): void };
  outgoing?: { id: number; state?: string };
}

/**
 * OpenSSH's sftp prints only the status code's generic text ("Permission denied"), never the
 * server's message, but it does pass the channel's stderr through to the user. ssh2 gives the
 * server-side SFTP object no stderr, so write extended data (type 1, stderr) on its channel.
 */
function explain(sftp: SFTPWrapper, message: string): void {
  const channel = sftp as unknown as ChannelInternals;
  if (!channel._protocol || !channel.outgoing || channel.outgoing.state === 'closed') return;
  channel._protocol.channelExtData(channel.outgoing.id, Buffer.from(`${message}\n`), 1);
}
