import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { Unauthorized } from './api.ts';
import { LiveProvider } from './hooks/live.tsx';
import { MessageContext } from './hooks/use-message.tsx';
import { BoardPage } from './pages/board-page.tsx';
import { FilePage } from './pages/file-page.tsx';
import { isPresenting, Link, useRoute } from './router.tsx';
import { TokenPrompt } from './token-prompt.tsx';

function App() {
  const [needToken, setNeedToken] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [message, setMessage] = useState('');
  const onError = useCallback((error: unknown) => {
    if (error instanceof Unauthorized) setNeedToken(true);
    else setMessage(error instanceof Error ? error.message : String(error));
  }, []);
  if (needToken) {
    return (
      <TokenPrompt
        onSaved={() => {
          setNeedToken(false);
          setAttempt((n) => n + 1);
        }}
      />
    );
  }
  return (
    <LiveProvider key={attempt} onError={onError}>
      <MessageContext.Provider value={setMessage}>
        <Shell message={message} />
      </MessageContext.Provider>
    </LiveProvider>
  );
}

function Shell({ message }: { message: string }) {
  const route = useRoute();
  useEffect(() => {
    document.title =
      route.page === 'file' ? `File ${route.id} · datasync-sim` : 'datasync-sim · Data Sync board';
    if (route.page === 'file') window.scrollTo(0, 0);
  }, [route]);
  return (
    <>
      <header class="site">
        <Link to="/" class="brand">
          datasync-sim
        </Link>
        <span class="tagline">a simulated OCLC WorldShare Data Sync exchange</span>
      </header>
      <main>
        <p role="status" aria-live="polite" class="message">
          {message}
        </p>
        {route.page === 'board' && <BoardPage />}
        {route.page === 'file' && <FilePage id={route.id} key={route.id} />}
        {route.page === 'unknown' && (
          <>
            <h1 class="page-title">Nothing at {route.path}</h1>
            <p>
              The dashboard has the board at <Link to="/">/</Link> and a page per file at /files/(id).
            </p>
          </>
        )}
      </main>
    </>
  );
}

if (isPresenting()) document.documentElement.classList.add('present');
render(<App />, document.getElementById('app') as HTMLElement);
