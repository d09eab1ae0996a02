import { useState } from 'preact/hooks';
import type { FileInfo } from '../../admin-contract.ts';
import { put } from '../api.ts';
import { useInstitutions } from '../hooks/use-institutions.ts';
import { useMessage } from '../hooks/use-message.tsx';
import { definePanel } from '../panel.ts';

function Upload() {
  const institutions = useInstitutions();
  const onMessage = useMessage();
  const [symbol, setSymbol] = useState('');
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [error, setError] = useState('');
  const chosen = symbol || institutions[0]?.symbol || '';
  return (
    <>
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
        <input id="upload-name" value={name} size={30} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" disabled={!file}>
          Upload
        </button>
      </form>
      {error && (
        <p role="alert" class="error" data-testid="upload-error">
          {error}
        </p>
      )}
    </>
  );
}

export default definePanel({
  page: 'board',
  id: 'upload',
  title: 'Upload a file',
  order: 40,
  width: 'half',
  hideWhenPresenting: true,
  Component: Upload,
});
