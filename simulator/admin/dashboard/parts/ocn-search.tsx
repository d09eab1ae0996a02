import { useState } from 'preact/hooks';
import { get } from '../api.ts';
import { Link } from '../router.tsx';

interface FileRef {
  id: number;
  name: string | null;
}
interface Holders {
  ocn: string;
  holders: {
    symbol: string;
    holding: { setBy: FileRef | null } | null;
    lhrs: { lsn: string; holdingLibrary: string; callNumber: string; setBy: FileRef }[];
    lsns: string[];
  }[];
  created: { symbol: string; lsn: string | null; by: FileRef | null } | null;
}

function FileLink({ file }: { file: FileRef | null }) {
  if (!file) return <>a change made without a file</>;
  return <Link to={`/files/${file.id}`}>{file.name ?? `file ${file.id}`}</Link>;
}

/** Who holds an OCN and why: each holding, LHR and linked local number with the file that set it. */
export function OcnSearch() {
  const [query, setQuery] = useState('');
  const [answer, setAnswer] = useState<Holders | undefined>();
  const [error, setError] = useState('');
  return (
    <div class="ocn-search">
      <h3 id="ocn-search-h">Who holds an OCN?</h3>
      <form
        class="row"
        role="search"
        aria-labelledby="ocn-search-h"
        onSubmit={(e) => {
          e.preventDefault();
          setError('');
          get<Holders>(`/api/worldcat/ocns/${encodeURIComponent(query.trim())}`).then(
            setAnswer,
            (err: unknown) => {
              setAnswer(undefined);
              setError(err instanceof Error ? err.message : String(err));
            },
          );
        }}
      >
        <label for="ocn-search">Search by OCN</label>
        <input
          id="ocn-search"
          type="search"
          value={query}
          size={16}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div aria-live="polite" data-testid="ocn-holders">
        {answer && <HoldersAnswer answer={answer} />}
      </div>
    </div>
  );
}

function HoldersAnswer({ answer }: { answer: Holders }) {
  return (
    <>
      <p>
        OCN <strong>{answer.ocn}</strong>:{' '}
        {answer.holders.length === 0
          ? 'no institution holds it.'
          : `held by ${answer.holders.map((h) => h.symbol).join(', ')}.`}
        {answer.created && (
          <>
            {' '}
            The record was created in WorldCat by {answer.created.symbol}&apos;s{' '}
            <FileLink file={answer.created.by} />.
          </>
        )}
      </p>
      <ul class="holders">
        {answer.holders.map((h) => (
          <li key={h.symbol} data-testid="ocn-holder" data-symbol={h.symbol}>
            <strong>{h.symbol}</strong>
            {h.holding ? (
              <>
                {' '}
                holds it, set by <FileLink file={h.holding.setBy} />
              </>
            ) : (
              ' has no holding on it'
            )}
            {h.lsns.length > 0 && <> · local record {h.lsns.join(', ')}</>}
            {h.lhrs.length > 0 && (
              <ul>
                {h.lhrs.map((l) => (
                  <li key={l.lsn}>
                    LHR {l.lsn} ({l.holdingLibrary}
                    {l.callNumber ? `, ${l.callNumber}` : ''}) from <FileLink file={l.setBy} />
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
