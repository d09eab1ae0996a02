import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** What the address bar asks for: the board, one file's page, or nothing we know. */
export type Route = { page: 'board' } | { page: 'file'; id: number } | { page: 'unknown'; path: string };

export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'board' };
  const file = /^\/files\/(\d+)\/?$/.exec(pathname);
  if (file) return { page: 'file', id: Number(file[1]) };
  return { page: 'unknown', path: pathname };
}

/** Presenter mode (`?present=1`) is kept on every link, so a room never falls out of it. */
export function isPresenting(): boolean {
  return new URLSearchParams(location.search).get('present') === '1';
}

export function href(path: string): string {
  return isPresenting() ? `${path}?present=1` : path;
}

export function navigate(path: string): void {
  history.pushState(null, '', href(path));
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route; changes on navigate() and on the browser's back and forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.pathname));
  useEffect(() => {
    const update = (): void => setRoute(routeOf(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A real link (opens in a new tab, copyable) that moves within the page on a plain click. */
export function Link(props: { to: string; class?: string; children: ComponentChildren; label?: string }) {
  return (
    <a
      href={href(props.to)}
      class={props.class}
      aria-label={props.label}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
