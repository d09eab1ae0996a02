import { useState } from 'preact/hooks';
import { token } from './api.ts';

/** Asks once per tab for the admin token (admin.token), kept in sessionStorage. */
export function TokenPrompt({ onSaved }: { onSaved: () => void }) {
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
