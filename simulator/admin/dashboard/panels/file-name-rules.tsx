import type { FileInfo } from '../../admin-contract.ts';
import { definePanel } from '../panel.ts';

function NameRules({ file }: { file: FileInfo }) {
  if (file.violations.length === 0) return <p>The name passes every rule.</p>;
  return (
    <ul data-testid="violations" class="violations">
      {file.violations.map((v) => (
        <li key={v.code}>
          <strong>{v.code}</strong>: {v.reason}
        </li>
      ))}
    </ul>
  );
}

export default definePanel({
  page: 'file',
  id: 'name-rules',
  title: 'Name rules',
  order: 15,
  width: 'half',
  Component: NameRules,
});
