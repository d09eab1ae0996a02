import { useCallback, useEffect, useState } from 'preact/hooks';
import { get } from '../api.ts';
import { useLiveVersion } from './live.tsx';

export interface ApiState<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => void;
}

/**
 * GETs an admin API path and fetches it again when it changes or when an event matching
 * `refreshOn` arrives (e.g. /^file:processed$/); the last answer stays shown while refetching.
 * `undefined` as the path fetches nothing.
 */
export function useApi<T>(path: string | undefined, refreshOn?: RegExp): ApiState<T> {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [reloads, setReloads] = useState(0);
  const version = useLiveVersion(refreshOn);
  useEffect(() => {
    if (path === undefined) return undefined;
    let current = true;
    get<T>(path).then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError(undefined);
      },
      (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [path, version, reloads]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { data, error, reload };
}
