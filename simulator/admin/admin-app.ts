import express, { type NextFunction, type Request, type Response } from 'express';
import { DataSyncError, toDataSyncError } from '../../oclc/error-catalogue.ts';
import type { UploadFilter, UploadState } from '../store/upload-store.ts';
import type { StartedSimulator } from '../started-simulator.ts';

const STATES: readonly UploadState[] = [
  'receiving',
  'received',
  'queued',
  'halted',
  'refused',
  'incomplete',
  'removed',
];

/** The admin API, built without listening so tests drive it with supertest. */
export function createAdminApp(sim: Pick<StartedSimulator, 'files' | 'journal' | 'status'>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  app.get('/api/health', (_req, res) => {
    res.json(sim.status());
  });

  app.get('/api/files', (req, res) => {
    res.json({ files: sim.files.list(uploadFilter(req)) });
  });

  app.get('/api/files/:id', (req, res) => {
    const id = Number(req.params['id']);
    const file = Number.isInteger(id) ? sim.files.find(id) : undefined;
    if (!file)
      throw new DataSyncError('NOT_FOUND', {
        subject: `file ${req.params['id']}`,
        reason: 'no upload has that id; GET /api/files lists them',
      });
    res.json(file);
  });

  app.get('/api/journal', (req, res) => {
    const type = typeof req.query['type'] === 'string' ? req.query['type'] : undefined;
    const limit = Number(req.query['limit'] ?? 500);
    res.json({ entries: sim.journal.list({ type, limit: Number.isFinite(limit) ? limit : 500 }) });
  });

  app.use('/api', (req, _res, next) => {
    next(
      new DataSyncError('NOT_FOUND', {
        subject: `${req.method} ${req.originalUrl}`,
        reason: 'no such admin API path',
      }),
    );
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const err = toDataSyncError(error, 'answer the admin request');
    res.status(err.definition.http).json({ error: { code: err.code, message: err.message } });
  });
  return app;
}

function uploadFilter(req: Request): UploadFilter {
  const filter: UploadFilter = {};
  const state = req.query['state'];
  if (typeof state === 'string') {
    if (!STATES.includes(state as UploadState)) {
      throw new DataSyncError('PATH_INVALID', {
        action: 'filter files',
        path: `state=${state}`,
        reason: `state must be one of ${STATES.join(', ')}`,
      });
    }
    filter.state = state as UploadState;
  }
  if (typeof req.query['account'] === 'string') filter.account = req.query['account'];
  if (typeof req.query['symbol'] === 'string') filter.symbol = req.query['symbol'];
  return filter;
}
