import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { FileInfo } from '../../admin-contract.ts';
import { followEvents, get } from '../api.ts';

/** A step of `datasync-sim demo`, as its `demo:step` event tells it. */
export interface DemoStep {
  step: number;
  total: number;
  title: string;
  why: string;
}

export type Progress = Record<number, { bytes: number; totalBytes: number; records: number }>;

interface LiveState {
  files: Record<number, FileInfo>;
  progress: Progress;
  demoStep: DemoStep | undefined;
}

type Listener = (event: string, data: unknown) => void;
const listeners = new Set<Listener>();
const LiveContext = createContext<LiveState>({ files: {}, progress: {}, demoStep: undefined });

function isFile(data: unknown): data is FileInfo {
  const d = data as Partial<FileInfo> | null;
  return typeof d?.id === 'number' && typeof d.state === 'string' && typeof d.name === 'string';
}

/**
 * Follows the event stream once for the whole page: keeps every file's latest state (the board's
 * cards), processing progress and the demo's current step, and passes each event on to the panels'
 * hooks (useLiveVersion).
 */
export function LiveProvider(props: { children: ComponentChildren; onError: (error: unknown) => void }) {
  const [state, setState] = useState<LiveState>({ files: {}, progress: {}, demoStep: undefined });
  const { onError } = props;
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    const loadFiles = (): Promise<void> =>
      get<{ files: FileInfo[] }>('/api/files').then((list) => {
        // What events told since is at least as new as the list: events win.
        if (!cancelled) setState((old) => ({ ...old, files: { ...byId(list.files), ...old.files } }));
      });
    void Promise.all([
      loadFiles(),
      get<{ entries: { data: unknown }[] }>('/api/journal?type=demo:step&limit=1'),
    ])
      .then(([, demo]) => {
        if (cancelled) return;
        const last = demo.entries.at(-1)?.data as DemoStep | undefined;
        setState((old) => ({ ...old, demoStep: old.demoStep ?? last }));
        stop = followEvents((event, data) => {
          // Files that changed between the list and the stream's start are read once more.
          if (event === 'stream:open') void loadFiles().catch(onError);
          setState((old) => nextState(old, event, data));
          for (const listener of listeners) listener(event, data);
        });
      })
      .catch(onError);
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [onError]);
  return <LiveContext.Provider value={state}>{props.children}</LiveContext.Provider>;
}

const byId = (files: FileInfo[]): Record<number, FileInfo> => Object.fromEntries(files.map((f) => [f.id, f]));

function nextState(old: LiveState, event: string, data: unknown): LiveState {
  if (event === 'processing:progress') {
    const p = data as { fileId: number; bytes: number; totalBytes: number; records: number };
    return { ...old, progress: { ...old.progress, [p.fileId]: p } };
  }
  if (event === 'simulator:reset') return { files: {}, progress: {}, demoStep: undefined };
  if (event === 'demo:step') return { ...old, demoStep: data as DemoStep };
  if (/^(upload|file):/.test(event) && isFile(data)) {
    const { id } = data;
    // Events replayed after a reconnect may be older than what the list gave: keep the newer.
    return { ...old, files: { ...old.files, [id]: { ...old.files[id], ...data } } };
  }
  return old;
}

export const useFiles = (): Record<number, FileInfo> => useContext(LiveContext).files;
export const useProgress = (): Progress => useContext(LiveContext).progress;
export const useDemoStep = (): DemoStep | undefined => useContext(LiveContext).demoStep;

/**
 * A number that grows when an event whose name matches `pattern` arrives, at most once per
 * `throttleMs`: use it as an effect dependency to refetch what those events change.
 */
export function useLiveVersion(pattern: RegExp | undefined, throttleMs = 400): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!pattern) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener: Listener = (event) => {
      if (!pattern.test(event) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, throttleMs);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (timer) clearTimeout(timer);
    };
  }, [pattern?.source, throttleMs]);
  return version;
}
