import { performance } from 'node:perf_hooks';
import { formatByteSize } from '../../../oclc/byte-size.ts';
import { parseDuration } from '../../../oclc/duration.ts';
import { DataSyncError, toDataSyncError } from '../../../oclc/error-catalogue.ts';
import type { FaultAction, FaultOperation } from '../../config/fault-rule-schema.ts';
import type { SftpOperationRecord } from '../../events/simulator-events.ts';
import { BadPacketError, PacketReader } from './packet-reader.ts';
import { PacketFramer } from './packet-framer.ts';
import { PacketWriter } from './packet-writer.ts';
import type { BackendAttributes, BackendEntry, SftpBackend, SpaceFigures } from './sftp-backend.ts';
import { MAX_READ_LENGTH, OPEN_FLAG, PACKET, STATUS_CODE, type StatusName } from './sftp-constants.ts';
import type { SftpPersonality } from './sftp-personality.ts';
import { countReceived } from './young-garbage.ts';

/** The raw `sftp` subsystem channel as ssh2 hands it over. */
export interface SubsystemChannel {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close' | 'drain', listener: () => void): unknown;
  /** False once the channel buffers more than the client has taken (ssh2: 2 MiB). */
  write(data: Buffer): boolean;
  /** Stops taking data: ssh2 then stops widening the client's window, so the client waits. */
  pause(): unknown;
  resume(): unknown;
  end(): unknown;
  exit?(code: number): unknown;
}

export type OperationRecord = Omit<SftpOperationRecord, 'session' | 'account' | 'address'>;

/** What the packet layer needs from the server around it. */
export interface SftpEdge {
  personality: SftpPersonality;
  backend: SftpBackend;
  /** `sftp.maxFileSize` in bytes: no WRITE may end past it, no READ start past it. */
  maxFileSize: number;
  /** The fault rule action for this call, if one applies (counted as used). */
  takeFault(
    call: { operation: FaultOperation; path: string },
    applies: (action: FaultAction) => boolean,
  ): { action: FaultAction; id?: string } | undefined;
  record(entry: OperationRecord): void;
  /** A refusal the user must understand: shown on stderr and emitted as an event. */
  denied(error: DataSyncError, operation: string, path: string): void;
  /** Text for the user on the channel's stderr (OpenSSH's sftp shows it; libraries ignore it). */
  explain(message: string): void;
  /** Cut the TCP connection now, as a network failure would. */
  drop(): void;
}

/** Refusals the user must understand; probes such as STAT of a missing file stay quiet. */
const EXPLAIN_STATUSES = new Set(['PERMISSION_DENIED', 'FAILURE', 'OP_UNSUPPORTED']);
const EXPLAIN_CODES = new Set(['UPLOAD_PICKED_UP', 'UPLOAD_INTERRUPTED']);

/** OpenSSH's sftp-server texts for statuses a fault rule sends without its own message. */
const STATUS_TEXT: Readonly<Record<StatusName, string>> = {
  OK: 'Success',
  EOF: 'End of file',
  NO_SUCH_FILE: 'No such file',
  PERMISSION_DENIED: 'Permission denied',
  FAILURE: 'Failure',
  BAD_MESSAGE: 'Bad message',
  NO_CONNECTION: 'No connection',
  CONNECTION_LOST: 'Connection lost',
  OP_UNSUPPORTED: 'Operation unsupported',
};

const FAULT_STATUS: Readonly<Record<string, StatusName>> = {
  failure: 'FAILURE',
  'permission-denied': 'PERMISSION_DENIED',
  'no-such-file': 'NO_SUCH_FILE',
  'op-unsupported': 'OP_UNSUPPORTED',
  'bad-message': 'BAD_MESSAGE',
  'connection-lost': 'CONNECTION_LOST',
};

interface Request {
  id: number;
  operation: FaultOperation | 'fsetstat' | 'fstatvfs' | 'hardlink' | 'readlink' | 'symlink' | 'extended';
  path: string;
  from?: string;
  bytes: number;
  /** Runs the operation and returns the reply packet. */
  run(): Buffer | Promise<Buffer>;
  /** Called instead of `run` when a disconnect fault fires mid-WRITE. */
  partial?: (bytes: number) => void;
  /** Called instead of `run` when a fault answers the request with a failure status. */
  failed?: (message: string) => void;
}

/**
 * Requests served at once per session. Pipelining clients keep up to 64 requests outstanding
 * (OpenSSH's `sftp -R` default); more in flight only buys memory, as each may hold a 255 KiB reply.
 */
const MAX_IN_FLIGHT = 64;

/** Byte and packet totals of one handle's WRITEs or READs, journalled as one entry. */
interface Transfer {
  operation: 'write' | 'read';
  path: string;
  bytes: number;
  startedAt: number;
  status: string;
  message?: string;
}

/**
 * Serves SFTP v3 on a raw subsystem channel: frames packets, decodes requests, calls the backend,
 * encodes replies, and applies fault rules and the journal at this one edge.
 */
export function serveSftpChannel(channel: SubsystemChannel, edge: SftpEdge): { end(): void } {
  const framer = new PacketFramer();
  const transfers = new Map<number, Transfer>();
  let closed = false;
  /** A fault cut the connection: requests still buffered are never served. */
  let dropped = false;
  const drop = (): void => {
    dropped = true;
    edge.drop();
  };
  const closeChannel = (): void => {
    dropped = true;
    channel.exit?.(1);
    channel.end();
  };
  /** Requests framed but not served yet: held while the client does not take our replies. */
  const waiting: Buffer[] = [];
  let next = 0;
  let inFlight = 0;
  /** The channel holds more than the client has taken: serve nothing more until it drains. */
  let congested = false;
  const send = (packet: Buffer): void => {
    if (closed) return;
    if (!channel.write(packet)) congested = true;
  };
  channel.on('drain', () => {
    congested = false;
    pump();
  });
  /**
   * Serves waiting requests while the client takes the replies. When it stops, the channel is
   * paused, so ssh2 stops widening the client's window and the client stops sending: memory stays
   * bounded by the window, not by how many requests a client pipelines (D120).
   */
  const pump = (): void => {
    while (next < waiting.length && !closed && !dropped && !congested && inFlight < MAX_IN_FLIGHT) {
      const body = waiting[next++] as Buffer;
      if (body.length > 0) dispatch(body);
    }
    if (next === waiting.length) {
      waiting.length = 0;
      next = 0;
      channel.resume();
    } else channel.pause();
  };

  const flushTransfer = (handle: number): void => {
    const transfer = transfers.get(handle);
    if (!transfer) return;
    transfers.delete(handle);
    edge.record({
      operation: transfer.operation,
      path: transfer.path,
      bytes: transfer.bytes,
      status: transfer.status,
      ...(transfer.message ? { message: transfer.message } : {}),
      durationMs: Math.round(performance.now() - transfer.startedAt),
    });
  };
  const countTransfer = (handle: number, operation: 'write' | 'read', path: string, bytes: number) => {
    let transfer = transfers.get(handle);
    if (!transfer) {
      transfer = { operation, path, bytes: 0, startedAt: performance.now(), status: 'ok' };
      transfers.set(handle, transfer);
    }
    transfer.bytes += bytes;
    return transfer;
  };

  const handleRequest = async (request: Request, handle: number | undefined): Promise<void> => {
    const started = performance.now();
    const transferBytes = handle === undefined ? 0 : (transfers.get(handle)?.bytes ?? 0);
    const fault = isFaultable(request.operation)
      ? edge.takeFault({ operation: request.operation, path: request.path }, (action) =>
          'disconnect' in action
            ? request.operation === 'write' && transferBytes + request.bytes >= action.disconnect.afterBytes
            : 'status' in action || 'delay' in action || 'lostReply' in action,
        )
      : undefined;
    const finish = (status: string, message?: string): void => {
      if (request.operation === 'write' || request.operation === 'read') {
        if (handle === undefined) return;
        const transfer = countTransfer(
          handle,
          request.operation,
          request.path,
          status === 'ok' ? request.bytes : 0,
        );
        if (status !== 'ok') Object.assign(transfer, { status, message });
        return;
      }
      if (request.operation === 'close' && handle !== undefined) flushTransfer(handle);
      edge.record({
        operation: request.operation,
        path: request.path,
        ...(request.from !== undefined ? { from: request.from } : {}),
        bytes: request.bytes,
        status,
        ...(message ? { message } : {}),
        durationMs: Math.round(performance.now() - started),
        ...(fault?.id ? { fault: fault.id } : {}),
      });
    };

    if (fault && 'disconnect' in fault.action) {
      request.partial?.(fault.action.disconnect.afterBytes - transferBytes);
      if (handle !== undefined)
        countTransfer(
          handle,
          'write',
          request.path,
          Math.max(0, fault.action.disconnect.afterBytes - transferBytes),
        );
      finish('connection-lost', 'dropped by a disconnect fault');
      drop();
      return;
    }
    // A rule for SFTP has a status name; HTTP status numbers are for operation api only.
    if (fault && 'status' in fault.action && typeof fault.action.status === 'string') {
      const statusName = FAULT_STATUS[fault.action.status] ?? 'FAILURE';
      const message = fault.action.message ?? STATUS_TEXT[statusName];
      finish(fault.action.status, message);
      // A WRITE that never reached the file leaves a hole: the upload must not be taken whole.
      request.failed?.(message);
      if (fault.action.message !== undefined) edge.explain(message);
      send(statusPacket(request.id, statusName, message));
      return;
    }
    let reply: Buffer;
    try {
      reply = await request.run();
      finish('ok');
    } catch (error) {
      const err = error instanceof BadPacketError ? badMessage() : toDataSyncError(error, request.operation);
      const status = err.definition.sftp;
      if (EXPLAIN_STATUSES.has(status) || EXPLAIN_CODES.has(err.code))
        edge.denied(err, request.operation, request.path);
      reply = statusPacket(request.id, status, err.message);
      finish(statusSpelling(status), err.message);
    }
    const delayMs = fault && 'delay' in fault.action ? (parseDuration(fault.action.delay) ?? 0) : 0;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (fault && 'lostReply' in fault.action) {
      drop();
      return;
    }
    send(reply);
  };

  const dispatch = (body: Buffer): void => {
    const reader = new PacketReader(body);
    const type = reader.byte();
    if (type === PACKET.INIT) {
      send(versionPacket(edge.personality));
      return;
    }
    if (reader.remaining < 4) {
      // No request id to answer BAD_MESSAGE to: as OpenSSH's sftp-server, end this channel only.
      closeChannel();
      return;
    }
    const id = reader.uint32();
    let request: Request | undefined;
    let handle: number | undefined;
    try {
      ({ request, handle } = decodeRequest(type, id, reader, edge));
    } catch (error) {
      if (!(error instanceof BadPacketError)) throw error;
      send(statusPacket(id, 'BAD_MESSAGE', badMessage().message));
      return;
    }
    inFlight += 1;
    handleRequest(request, handle)
      .catch(drop) // our bug: end this connection, not the process
      .finally(() => {
        inFlight -= 1;
        pump();
      });
  };

  channel.on('data', (chunk: Buffer) => {
    countReceived(chunk.length);
    let packets: Buffer[];
    try {
      packets = framer.push(chunk);
    } catch {
      // OpenSSH's sftp-server exits on an oversized packet: the client sees this channel close,
      // and its other channels on the connection go on.
      closeChannel();
      return;
    }
    if (dropped) return;
    waiting.push(...packets);
    pump();
  });
  // OpenSSH's sftp waits for the server to close the channel after `bye`.
  channel.on('end', () => {
    if (closed) return;
    channel.exit?.(0);
    channel.end();
  });
  const end = (): void => {
    if (closed) return;
    closed = true;
    for (const handle of [...transfers.keys()]) flushTransfer(handle);
    edge.backend.end();
  };
  channel.on('close', end);
  return { end };
}

function isFaultable(operation: Request['operation']): operation is FaultOperation {
  return !['fsetstat', 'fstatvfs', 'hardlink', 'readlink', 'symlink', 'extended'].includes(operation);
}

/** A READ, WRITE or resize past `sftp.maxFileSize`, named with the limit. */
function sizeLimit(edge: SftpEdge, action: string, path: string, offset: number): DataSyncError {
  return new DataSyncError('FILE_SIZE_LIMIT', {
    action,
    path,
    offset: Number.isFinite(offset) ? offset : 'beyond 2^53',
    limit: formatByteSize(edge.maxFileSize),
    bytes: edge.maxFileSize,
    done: { read: 'read', write: 'written' }[action] ?? 'changed',
  });
}

function badMessage(): DataSyncError {
  return new DataSyncError('PATH_INVALID', {
    action: 'read the request',
    path: '',
    reason: 'the packet is malformed',
  });
}

/** Decodes one request; the handle is returned for requests that carry one. */
function decodeRequest(
  type: number,
  id: number,
  reader: PacketReader,
  edge: SftpEdge,
): { request: Request; handle?: number } {
  const { backend } = edge;
  const ok = (): Buffer => statusPacket(id, 'OK', 'Success');
  const pathOf = (handle: number): string => backend.handlePath(handle) ?? '';
  const attrsReply = (attrs: BackendAttributes): Buffer =>
    new PacketWriter(PACKET.ATTRS).uint32(id).attributes(toWire(attrs)).finish();
  const base = { id, bytes: 0 };
  switch (type) {
    case PACKET.OPEN: {
      const path = backend.canonical(reader.string());
      const pflags = reader.uint32();
      reader.attributes();
      const flags = {
        read: (pflags & OPEN_FLAG.READ) !== 0,
        write: (pflags & (OPEN_FLAG.WRITE | OPEN_FLAG.APPEND)) !== 0,
        append: (pflags & OPEN_FLAG.APPEND) !== 0,
        create: (pflags & OPEN_FLAG.CREAT) !== 0,
        truncate: (pflags & OPEN_FLAG.TRUNC) !== 0,
        exclusive: (pflags & OPEN_FLAG.EXCL) !== 0,
      };
      return {
        request: { ...base, operation: 'open', path, run: () => handlePacket(id, backend.open(path, flags)) },
      };
    }
    case PACKET.CLOSE: {
      const handle = handleOf(reader.bytes());
      const path = pathOf(handle);
      return {
        request: { ...base, operation: 'close', path, run: () => backend.close(handle).then(ok) },
        handle,
      };
    }
    case PACKET.READ: {
      const handle = handleOf(reader.bytes());
      const offset = reader.uint64();
      const length = Math.min(reader.uint32(), MAX_READ_LENGTH);
      const request: Request = {
        ...base,
        operation: 'read',
        path: pathOf(handle),
        run: () => {
          // A file never grows past the limit, so a READ that starts past it is a client's bug.
          if (offset >= edge.maxFileSize) throw sizeLimit(edge, 'read', pathOf(handle), offset);
          const data = backend.read(handle, offset, length);
          request.bytes = data?.length ?? 0;
          return data
            ? new PacketWriter(PACKET.DATA).uint32(id).bytes(data).finish()
            : statusPacket(id, 'EOF', 'End of file');
        },
      };
      return { request, handle };
    }
    case PACKET.WRITE: {
      const handle = handleOf(reader.bytes());
      const offset = reader.uint64();
      const data = reader.bytes();
      return {
        request: {
          ...base,
          operation: 'write',
          path: pathOf(handle),
          bytes: data.length,
          run: () => {
            if (offset + data.length > edge.maxFileSize) {
              const error = sizeLimit(edge, 'write', pathOf(handle), offset);
              // Like any failed WRITE (D70): the upload has a hole and is never processed.
              backend.writeFailed(handle, Math.min(offset, Number.MAX_SAFE_INTEGER), error.message);
              throw error;
            }
            backend.write(handle, offset, data);
            return ok();
          },
          partial: (bytes) => {
            if (bytes > 0) backend.write(handle, offset, data.subarray(0, Math.min(bytes, data.length)));
          },
          failed: (message) => backend.writeFailed(handle, offset, message),
        },
        handle,
      };
    }
    case PACKET.STAT:
    case PACKET.LSTAT: {
      const path = backend.canonical(reader.string());
      const operation = type === PACKET.STAT ? 'stat' : 'lstat';
      return { request: { ...base, operation, path, run: () => attrsReply(backend.stat(path)) } };
    }
    case PACKET.FSTAT: {
      const handle = handleOf(reader.bytes());
      return {
        request: {
          ...base,
          operation: 'fstat',
          path: pathOf(handle),
          run: () => attrsReply(backend.fstat(handle)),
        },
        handle,
      };
    }
    case PACKET.SETSTAT: {
      const path = backend.canonical(reader.string());
      const attrs = reader.attributes();
      const run = (): Buffer => {
        if ((attrs.size ?? 0) > edge.maxFileSize) throw sizeLimit(edge, 'resize', path, attrs.size ?? 0);
        backend.setstat(path, attrs);
        return ok();
      };
      return { request: { ...base, operation: 'setstat', path, run } };
    }
    case PACKET.FSETSTAT: {
      const handle = handleOf(reader.bytes());
      const attrs = reader.attributes();
      return {
        request: {
          ...base,
          operation: 'setstat',
          path: pathOf(handle),
          run: () => {
            if ((attrs.size ?? 0) > edge.maxFileSize)
              throw sizeLimit(edge, 'resize', pathOf(handle), attrs.size ?? 0);
            backend.fsetstat(handle, attrs);
            return ok();
          },
        },
        handle,
      };
    }
    case PACKET.OPENDIR: {
      const path = backend.canonical(reader.string());
      return {
        request: { ...base, operation: 'opendir', path, run: () => handlePacket(id, backend.opendir(path)) },
      };
    }
    case PACKET.READDIR: {
      const handle = handleOf(reader.bytes());
      return {
        request: {
          ...base,
          operation: 'readdir',
          path: pathOf(handle),
          run: () => {
            const entries = backend.readdir(handle);
            return entries ? namePacket(id, entries) : statusPacket(id, 'EOF', 'End of file');
          },
        },
        handle,
      };
    }
    case PACKET.REMOVE: {
      const path = backend.canonical(reader.string());
      return { request: { ...base, operation: 'remove', path, run: () => (backend.remove(path), ok()) } };
    }
    case PACKET.MKDIR:
    case PACKET.RMDIR: {
      const path = backend.canonical(reader.string());
      if (type === PACKET.MKDIR) reader.attributes();
      const operation = type === PACKET.MKDIR ? 'mkdir' : 'rmdir';
      const run = (): Buffer => (type === PACKET.MKDIR ? backend.mkdir(path) : backend.rmdir(path), ok());
      return { request: { ...base, operation, path, run } };
    }
    case PACKET.REALPATH: {
      const path = backend.canonical(reader.string());
      return {
        request: {
          ...base,
          operation: 'realpath',
          path,
          run: () => {
            const resolved = backend.realpath(path);
            return new PacketWriter(PACKET.NAME)
              .uint32(id)
              .uint32(1)
              .string(resolved)
              .string(resolved)
              .uint32(0)
              .finish();
          },
        },
      };
    }
    case PACKET.RENAME: {
      const from = backend.canonical(reader.string());
      const to = backend.canonical(reader.string());
      return {
        request: {
          ...base,
          operation: 'rename',
          path: to,
          from,
          run: () => backend.rename(from, to).then(ok),
        },
      };
    }
    case PACKET.READLINK:
    case PACKET.SYMLINK: {
      const path = backend.canonical(reader.string());
      const operation = type === PACKET.READLINK ? 'readlink' : 'symlink';
      return {
        request: {
          ...base,
          operation,
          path,
          run: () => {
            throw new DataSyncError('OP_UNSUPPORTED', { action: operation });
          },
        },
      };
    }
    case PACKET.EXTENDED:
      return decodeExtended(id, reader, edge, ok);
    default:
      return {
        request: {
          ...base,
          operation: 'extended',
          path: '',
          run: () => {
            throw new DataSyncError('OP_UNSUPPORTED', { action: `SFTP request type ${type}` });
          },
        },
      };
  }
}

function decodeExtended(
  id: number,
  reader: PacketReader,
  edge: SftpEdge,
  ok: () => Buffer,
): { request: Request; handle?: number } {
  const { backend, personality } = edge;
  const name = reader.string();
  const base = { id, bytes: 0 };
  const unsupported = (): Request => ({
    ...base,
    operation: 'extended',
    path: name,
    run: () => {
      throw new DataSyncError('OP_UNSUPPORTED', { action: `use the SFTP extension ${name}` });
    },
  });
  if (!personality.extensions.some(([ext]) => ext === name)) return { request: unsupported() };
  switch (name) {
    case 'posix-rename@openssh.com': {
      const from = backend.canonical(reader.string());
      const to = backend.canonical(reader.string());
      return {
        request: {
          ...base,
          operation: 'posix-rename',
          path: to,
          from,
          run: () => backend.rename(from, to, { overwrite: true }).then(ok),
        },
      };
    }
    case 'statvfs@openssh.com': {
      const path = backend.canonical(reader.string());
      return {
        request: { ...base, operation: 'statvfs', path, run: () => statvfsPacket(id, backend.statvfs(path)) },
      };
    }
    case 'fstatvfs@openssh.com': {
      const handle = handleOf(reader.bytes());
      return {
        request: {
          ...base,
          operation: 'statvfs',
          path: backend.handlePath(handle) ?? '',
          run: () => statvfsPacket(id, backend.fstatvfs(handle)),
        },
        handle,
      };
    }
    case 'hardlink@openssh.com': {
      const from = backend.canonical(reader.string());
      const to = backend.canonical(reader.string());
      return {
        request: {
          ...base,
          operation: 'hardlink',
          path: to,
          from,
          run: () => (backend.hardlink(from, to), ok()),
        },
      };
    }
    case 'fsync@openssh.com': {
      const handle = handleOf(reader.bytes());
      return {
        request: {
          ...base,
          operation: 'fsync',
          path: backend.handlePath(handle) ?? '',
          run: () => (backend.fsync(handle), ok()),
        },
        handle,
      };
    }
    default:
      return { request: unsupported() };
  }
}

function versionPacket(personality: SftpPersonality): Buffer {
  const writer = new PacketWriter(PACKET.VERSION).uint32(3);
  for (const [name, version] of personality.extensions) writer.string(name).string(version);
  return writer.finish();
}

export function statusPacket(id: number, status: StatusName, message: string): Buffer {
  return new PacketWriter(PACKET.STATUS)
    .uint32(id)
    .uint32(STATUS_CODE[status])
    .string(message)
    .string('')
    .finish();
}

function handlePacket(id: number, handle: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(handle);
  return new PacketWriter(PACKET.HANDLE).uint32(id).bytes(buffer).finish();
}

function namePacket(id: number, entries: readonly BackendEntry[]): Buffer {
  const writer = new PacketWriter(PACKET.NAME).uint32(id).uint32(entries.length);
  for (const entry of entries)
    writer.string(entry.filename).string(entry.longname).attributes(toWire(entry.attrs));
  return writer.finish();
}

/** The reply layout of OpenSSH's statvfs@openssh.com: eleven uint64 fields. */
function statvfsPacket(id: number, space: SpaceFigures): Buffer {
  return new PacketWriter(PACKET.EXTENDED_REPLY)
    .uint32(id)
    .uint64(space.blockSize)
    .uint64(space.blockSize)
    .uint64(space.totalBlocks)
    .uint64(space.freeBlocks)
    .uint64(space.availableBlocks)
    .uint64(space.totalFiles)
    .uint64(space.freeFiles)
    .uint64(space.freeFiles)
    .uint64(0)
    .uint64(0)
    .uint64(space.nameMax)
    .finish();
}

function toWire(attrs: BackendAttributes) {
  return {
    size: attrs.size,
    uid: attrs.uid,
    gid: attrs.gid,
    permissions: attrs.mode,
    atime: attrs.atime,
    mtime: attrs.mtime,
  };
}

function handleOf(handle: Buffer): number {
  return handle.length === 4 ? handle.readUInt32BE(0) : 0;
}

/** The journal and fault rules spell statuses in lower case with dashes. */
function statusSpelling(status: string): string {
  return status.toLowerCase().replace(/_/g, '-');
}
