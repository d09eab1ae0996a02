import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { FileInfo, FileWithOutcomes, JournalEntryInfo, LhrInfo } from '../admin-contract.ts';
import { download, followEvents, get, post, put, token, Unauthorized } from './api.ts';

interface InstitutionInfo {
  symbol: string;
  encodedSymbol: string;
  accounts: { current: string; legacy: string };
  collections: { id: string; type: string; default: boolean }[];
  folders: string[];
}

type Progress = Record<number, { bytes: number; totalBytes: number }>;

const OUTCOME_ACTIONS = ['match', 'create', 'replace', 'field transfer', 'unresolved', 'data error'];

function App() {
  const [needToken, setNeedToken] = useState(false);
  const [institutions, setInstitutions] = useState<InstitutionInfo[]>([]);
  const [files, setFiles] = useState<Record<number, FileInfo>>({});
  const [progress, setProgress] = useState<Progress>({});
  const [selected, setSelected] = useState<number | undefined>();
  const [tick, setTick] = useState(0);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    try {
      const [inst, list] = await Promise.all([
        get<{ institutions: InstitutionInfo[] }>('/api/institutions'),
        get<{ files: FileInfo[] }>('/api/files'),
      ]);
      setInstitutions(inst.institutions);
      setFiles(Object.fromEntries(list.files.map((f) => [f.id, f])));
      setNeedToken(false);
      return true;
    } catch (error) {
      if (error instanceof Unauthorized) setNeedToken(true);
      else setMessage(String(error));
      return false;
    }
  }, []);

  useEffect(() => {
    let stop: (() => void) | undefined;
    void load().then((ok) => {
      if (!ok) return;
      stop = followEvents((event, data) => {
        if (event === 'processing:progress') {
          const p = data as { fileId: number; bytes: number; totalBytes: number };
          setProgress((old) => ({ ...old, [p.fileId]: p }));
        } else if (event === 'simulator:reset') {
          setFiles({});
          setSelected(undefined);
        } else if (/^(upload|file):/.test(event)) {
          const file = data as FileInfo;
          setFiles((old) => ({ ...old, [file.id]: file }));
        }
        setTick((t) => t + 1);
      });
    });
    return () => stop?.();
  }, [load, needToken]);

  if (needToken) return <TokenPrompt onSaved={() => void load()} />;
  return (
    <>
      <header>
        <h1>datasync-sim</h1>
        <p>
          A simulated OCLC WorldShare Data Sync file exchange. Files move live as they are uploaded and
          processed.
        </p>
      </header>
      <main>
        <p role="status" aria-live="polite" class="message">
          {message}
        </p>
        <Controls onMessage={setMessage} />
        <Upload institutions={institutions} onMessage={setMessage} />
        <Institutions institutions={institutions} />
        <Timeline files={Object.values(files)} progress={progress} onSelect={setSelected} />
        {selected !== undefined && files[selected] && (
          <FilePage file={files[selected]} tick={tick} onClose={() => setSelected(undefined)} />
        )}
        <Holdings institutions={institutions} tick={tick} />
        <Journal tick={tick} />
      </main>
    </>
  );
}

function TokenPrompt({ onSaved }: { onSaved: () => void }) {
  const [value, setValue] = useState('');
  return (
    <main>
      <h1>datasync-sim</h1>
      <form
        class="token"
        onSubmit={(e) => {
          e.preventDefault();
          token.set(value.trim());
          onSaved();
        }}
      >
        <label for="token">Admin token</label>
        <p id="token-help">
          This simulator wants its admin token (admin.token or DATASYNC_ADMIN_TOKEN). It is kept for this tab
          only.
        </p>
        <input
          id="token"
          type="password"
          aria-describedby="token-help"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          autoFocus
        />
        <button type="submit">Use token</button>
      </form>
    </main>
  );
}

function Controls({ onMessage }: { onMessage: (m: string) => void }) {
  const [by, setBy] = useState('1h');
  const act = (what: () => Promise<string>) => () =>
    void what().then(onMessage, (e: unknown) => onMessage(e instanceof Error ? e.message : String(e)));
  return (
    <section aria-labelledby="controls-h">
      <h2 id="controls-h">Controls</h2>
      <div class="row">
        <button
          type="button"
          onClick={act(async () => {
            const r = await post<{ processed: FileInfo[] }>('/api/processing/run');
            return `Processed ${r.processed.length} file(s).`;
          })}
        >
          Process now
        </button>
        <label for="advance-by">Advance the clock by</label>
        <input id="advance-by" value={by} size={6} onInput={(e) => setBy(e.currentTarget.value)} />
        <button
          type="button"
          onClick={act(
            async () => `Clock now ${(await post<{ now: string }>('/api/clock/advance', { by })).now}.`,
          )}
        >
          Advance
        </button>
        <button
          type="button"
          class="danger"
          onClick={act(async () => {
            if (
              !confirm('Reset the simulator? Files, holdings, LHRs, reports and the journal are forgotten.')
            ) {
              return 'Reset cancelled.';
            }
            await post('/api/reset');
            return 'Reset done.';
          })}
        >
          Reset…
        </button>
      </div>
    </section>
  );
}

function Upload({
  institutions,
  onMessage,
}: {
  institutions: InstitutionInfo[];
  onMessage: (m: string) => void;
}) {
  const [symbol, setSymbol] = useState('');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [error, setError] = useState('');
  const chosen = symbol || institutions[0]?.symbol || '';
  return (
    <section aria-labelledby="upload-h">
      <h2 id="upload-h">Upload a file</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          setError('');
          const path = `/api/institutions/${encodeURIComponent(chosen)}/files/${encodeURIComponent(name || file.name)}`;
          void file
            .arrayBuffer()
            .then((bytes) => put<FileInfo>(path, bytes))
            .then(
              (f) => onMessage(`Uploaded ${f.name} (${f.size ?? 0} bytes) as ${f.account}.`),
              (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
            );
        }}
      >
        <label for="upload-symbol">Institution</label>
        <select id="upload-symbol" value={chosen} onChange={(e) => setSymbol(e.currentTarget.value)}>
          {institutions.map((i) => (
            <option value={i.symbol} key={i.symbol}>
              {i.symbol}
            </option>
          ))}
        </select>
        <label for="upload-file">File</label>
        <input
          id="upload-file"
          type="file"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            setFile(f);
            if (f && !name) setName(f.name);
          }}
        />
        <label for="upload-name">Upload as</label>
        <input id="upload-name" value={name} size={36} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" disabled={!file}>
          Upload
        </button>
      </form>
      {error && (
        <p role="alert" class="error" data-testid="upload-error">
          {error}
        </p>
      )}
    </section>
  );
}

function Institutions({ institutions }: { institutions: InstitutionInfo[] }) {
  return (
    <section aria-labelledby="inst-h">
      <h2 id="inst-h">Institutions</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Logins</th>
            <th scope="col">Collections</th>
            <th scope="col">Folders</th>
          </tr>
        </thead>
        <tbody>
          {institutions.map((i) => (
            <tr key={i.symbol}>
              <td>{i.symbol}</td>
              <td>
                {i.accounts.current} (or {i.accounts.legacy})
              </td>
              <td>
                {i.collections.map((c) => `${c.id} ${c.type}${c.default ? ' (default)' : ''}`).join(', ')}
              </td>
              <td>{i.folders.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Timeline(props: { files: FileInfo[]; progress: Progress; onSelect: (id: number) => void }) {
  const rows = [...props.files].sort((a, b) => b.id - a.id);
  return (
    <section aria-labelledby="files-h">
      <h2 id="files-h">Files</h2>
      <p>received → queued → processing → processed / failed / halted / refused, live.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Name</th>
            <th scope="col">Account</th>
            <th scope="col">State</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => {
            const p = props.progress[f.id];
            const percent = p && p.totalBytes > 0 ? Math.round((100 * p.bytes) / p.totalBytes) : undefined;
            return (
              <tr
                key={f.id}
                data-testid="file-row"
                data-file-name={f.name}
                data-state={f.state}
                class={`state-${f.state}`}
              >
                <td>{f.id}</td>
                <td>
                  <button type="button" class="link" onClick={() => props.onSelect(f.id)}>
                    {f.name}
                  </button>
                </td>
                <td>{f.account}</td>
                <td>
                  {f.state}
                  {f.state === 'processing' && percent !== undefined ? ` ${percent} %` : ''}
                </td>
                <td>{f.reason ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function FilePage({ file, tick, onClose }: { file: FileInfo; tick: number; onClose: () => void }) {
  const [detail, setDetail] = useState<FileWithOutcomes | undefined>();
  useEffect(() => {
    void get<FileWithOutcomes>(`/api/files/${file.id}?limit=200`).then(setDetail, () => undefined);
  }, [file.id, file.state, tick]);
  const actions = file.summary?.actions ?? {};
  const max = Math.max(1, ...Object.values(actions));
  return (
    <section aria-labelledby="file-h" class="file-page" data-testid="file-page">
      <h2 id="file-h">
        File {file.id}: {file.name}
      </h2>
      <button type="button" onClick={onClose}>
        Close
      </button>
      <p>
        {file.account} → {file.folder}, state <strong>{file.state}</strong>
        {file.size !== null ? `, ${file.size} bytes` : ''}
      </p>
      <h3>Name rules</h3>
      {file.violations.length === 0 ? (
        <p>The name passes every rule.</p>
      ) : (
        <ul data-testid="violations">
          {file.violations.map((v) => (
            <li key={v.code}>
              <strong>{v.code}</strong>: {v.reason}
            </li>
          ))}
        </ul>
      )}
      {file.reason && <p class="error">{file.reason}</p>}
      {file.summary && (
        <>
          <h3>Outcomes ({file.summary.records} records)</h3>
          <ul class="bars" aria-label="outcome counts">
            {[...OUTCOME_ACTIONS, ...Object.keys(actions).filter((a) => !OUTCOME_ACTIONS.includes(a))].map(
              (a) => (
                <li key={a}>
                  <span class="bar-label">{a}</span>
                  <span class="bar" style={{ width: `${(100 * (actions[a] ?? 0)) / max}%` }} />
                  <span>{actions[a] ?? 0}</span>
                </li>
              ),
            )}
          </ul>
          <h3>Reports</h3>
          <ul>
            {file.summary.reports.map((r) => (
              <li key={r}>
                <button
                  type="button"
                  class="link"
                  onClick={() => void download(`/api/files/${file.id}/reports/${encodeURIComponent(r)}`, r)}
                >
                  Download {r}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {detail && detail.outcomes.length > 0 && (
        <table data-testid="outcomes">
          <caption>
            Report rows (first {detail.outcomes.length} of {detail.outcomeCount})
          </caption>
          <thead>
            <tr>
              <th scope="col">Locator</th>
              <th scope="col">LSN</th>
              <th scope="col">Incoming OCN</th>
              <th scope="col">WorldCat OCN</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {detail.outcomes.map((o) => (
              <tr key={o.offset}>
                <td>{o.locator}</td>
                <td>{o.lsn}</td>
                <td>{o.incomingOcn}</td>
                <td>{o.worldcatOcn}</td>
                <td>{o.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Holdings({ institutions, tick }: { institutions: InstitutionInfo[]; tick: number }) {
  const [symbol, setSymbol] = useState('');
  const [search, setSearch] = useState('');
  const [ocns, setOcns] = useState<string[]>([]);
  const [lhrs, setLhrs] = useState<LhrInfo[]>([]);
  const [history, setHistory] = useState<number[]>([]);
  const chosen = symbol || institutions[0]?.symbol || '';
  useEffect(() => {
    if (!chosen) return;
    const s = encodeURIComponent(chosen);
    void Promise.all([
      get<{ ocns: string[] }>(`/api/institutions/${s}/holdings`),
      get<{ lhrs: LhrInfo[] }>(`/api/institutions/${s}/lhrs`),
    ]).then(([h, l]) => {
      setOcns(h.ocns);
      setLhrs(l.lhrs);
      setHistory((old) => (old.at(-1) === h.ocns.length ? old : [...old, h.ocns.length].slice(-40)));
    });
  }, [chosen, tick]);
  const found = useMemo(
    () => (search ? ocns.filter((o) => o.includes(search.trim())) : ocns),
    [ocns, search],
  );
  const foundLhrs = useMemo(
    () => (search ? lhrs.filter((l) => l.ocn.includes(search.trim())) : lhrs),
    [lhrs, search],
  );
  const top = Math.max(1, ...history);
  return (
    <section aria-labelledby="holdings-h">
      <h2 id="holdings-h">Holdings and LHRs</h2>
      <div class="row">
        <label for="holdings-symbol">Institution</label>
        <select id="holdings-symbol" value={chosen} onChange={(e) => setSymbol(e.currentTarget.value)}>
          {institutions.map((i) => (
            <option value={i.symbol} key={i.symbol}>
              {i.symbol}
            </option>
          ))}
        </select>
        <label for="holdings-search">Search by OCN</label>
        <input
          id="holdings-search"
          type="search"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
        />
      </div>
      <p>
        {ocns.length} holdings, {lhrs.length} LHRs.
      </p>
      <div class="spark" role="img" aria-label={`holdings count over time: ${history.join(', ')}`}>
        {history.map((n, i) => (
          <span key={i} style={{ height: `${(100 * n) / top}%` }} />
        ))}
      </div>
      <ul class="ocns" data-testid="holdings">
        {found.slice(0, 200).map((o) => (
          <li key={o}>{o}</li>
        ))}
      </ul>
      {foundLhrs.length > 0 && (
        <table data-testid="lhrs">
          <caption>Local holdings records{search ? ` for OCNs containing ${search.trim()}` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">OCN</th>
              <th scope="col">LSN (001)</th>
              <th scope="col">852 $b</th>
              <th scope="col">Location</th>
              <th scope="col">Call number</th>
              <th scope="col">Barcodes</th>
              <th scope="col">From file</th>
            </tr>
          </thead>
          <tbody>
            {foundLhrs.slice(0, 200).map((l) => (
              <tr key={l.lsn} data-testid="lhr-row">
                <td>{l.ocn}</td>
                <td>{l.lsn}</td>
                <td>{l.holdingLibrary}</td>
                <td>{l.location}</td>
                <td>{l.callNumber}</td>
                <td>{l.barcodes.join(', ')}</td>
                <td>{l.sourceFile.name ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Journal({ tick }: { tick: number }) {
  const [entries, setEntries] = useState<JournalEntryInfo[]>([]);
  useEffect(() => {
    void get<{ entries: JournalEntryInfo[] }>('/api/journal?limit=30').then((j) =>
      setEntries(j.entries.reverse()),
    );
  }, [tick]);
  return (
    <section aria-labelledby="journal-h">
      <h2 id="journal-h">Journal</h2>
      <ol class="journal">
        {entries.map((e) => (
          <li key={e.id}>
            <code>{e.type}</code> {e.account ?? ''} {e.subject ?? ''} {e.message ? `: ${e.message}` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
