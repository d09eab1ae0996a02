import express, { type NextFunction, type Request, type Response } from 'express';
import { parseDuration } from '../../oclc/duration.ts';
import { DataSyncError, toDataSyncError } from '../../oclc/error-catalogue.ts';
import { ManualClock } from '../clock.ts';
import type { Institution } from '../config/simulator-config.ts';
import type { StartedSimulator } from '../started-simulator.ts';
import { UPLOAD_STATES, type UploadFilter, type UploadState } from '../store/upload-store.ts';

export type AdminDeps = Pick<
  StartedSimulator,
  'files' | 'journal' | 'status' | 'worldcat' | 'processing' | 'clock' | 'config' | 'reset'
>;

/** The admin API, built without listening so tests drive it with supertest. Each route calls one method. */
export function createAdminApp(sim: AdminDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  app.get('/api/health', (_req, res) => {
    res.json(sim.status());
  });

  app.get('/api/files', (req, res) => {
    res.json({ files: sim.files.list(uploadFilter(req)) });
  });

  app.get('/api/files/:id', async (req, res) => {
    const id = Number(req.params['id']);
    const file = Number.isInteger(id) ? sim.files.find(id) : undefined;
    if (!file) {
      throw new DataSyncError('NOT_FOUND', {
        subject: `file ${req.params['id']}`,
        reason: 'no upload has that id; GET /api/files lists them',
      });
    }
    const page = {
      offset: numberParam(req, 'offset', 0),
      limit: Math.min(numberParam(req, 'limit', 1000), 100_000),
    };
    const { total, outcomes } = await sim.files.outcomes(id, page);
    res.json({ ...file, outcomeCount: total, outcomes });
  });

  app.get('/api/institutions/:symbol/holdings', (req, res) => {
    const institution = findInstitution(sim.config.institutions, req.params['symbol'] ?? '');
    res.json({ symbol: institution.symbol, ocns: sim.worldcat.holdings(institution.symbol) });
  });

  app.get('/api/institutions/:symbol/lhrs', (req, res) => {
    const institution = findInstitution(sim.config.institutions, req.params['symbol'] ?? '');
    const ocn = typeof req.query['ocn'] === 'string' ? req.query['ocn'] : undefined;
    res.json({ symbol: institution.symbol, lhrs: sim.worldcat.lhrs(institution.symbol, ocn) });
  });

  app.post('/api/reset', async (_req, res) => {
    await sim.reset();
    res.json({ status: 'reset' });
  });

  app.post('/api/processing/run', async (_req, res) => {
    res.json({ processed: await sim.processing.run() });
  });

  app.post('/api/clock/advance', (req, res) => {
    const by: unknown = (req.body as { by?: unknown } | undefined)?.by;
    const ms = typeof by === 'number' ? by : typeof by === 'string' ? parseDuration(by) : undefined;
    if (ms === undefined || ms < 0) {
      throw new DataSyncError('PATH_INVALID', {
        action: 'advance the clock',
        path: String(by),
        reason: 'send {"by": "4h"} (a duration such as 30s, 5m or 4h) or a number of milliseconds',
      });
    }
    if (!(sim.clock instanceof ManualClock)) throw new DataSyncError('CLOCK_NOT_MANUAL', {});
    sim.clock.advance(ms);
    res.json({ now: new Date(sim.clock.now()).toISOString() });
  });

  app.get('/api/journal', (req, res) => {
    const type = typeof req.query['type'] === 'string' ? req.query['type'] : undefined;
    res.json({ entries: sim.journal.list({ type, limit: numberParam(req, 'limit', 500) }) });
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

function numberParam(req: Request, name: string, fallback: number): number {
  const value = Number(req.query[name] ?? fallback);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** Accepts the symbol as OCLC spells it (AB@, URL-encoded) or as written in names (AB_64), any case. */
export function findInstitution(institutions: readonly Institution[], symbol: string): Institution {
  const wanted = symbol.toLowerCase();
  const found = institutions.find(
    (i) => i.symbol.toLowerCase() === wanted || i.encodedSymbol.toLowerCase() === wanted,
  );
  if (!found) {
    const known = institutions.map((i) => i.symbol).join(', ');
    throw new DataSyncError('NOT_FOUND', {
      subject: `institution ${symbol}`,
      reason: `the configured institutions are ${known}`,
    });
  }
  return found;
}

function uploadFilter(req: Request): UploadFilter {
  const filter: UploadFilter = {};
  const state = req.query['state'];
  if (typeof state === 'string') {
    if (!UPLOAD_STATES.includes(state as UploadState)) {
      throw new DataSyncError('PATH_INVALID', {
        action: 'filter files',
        path: `state=${state}`,
        reason: `state must be one of ${UPLOAD_STATES.join(', ')}`,
      });
    }
    filter.state = state as UploadState;
  }
  if (typeof req.query['account'] === 'string') filter.account = req.query['account'];
  if (typeof req.query['symbol'] === 'string') filter.symbol = req.query['symbol'];
  return filter;
}
