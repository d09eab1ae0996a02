import { useInstitutions } from '../hooks/use-institutions.ts';
import { definePanel } from '../panel.ts';

function Institutions() {
  const institutions = useInstitutions();
  return (
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
            <td>
              <details>
                <summary>{i.folders.length} folders</summary>
                {i.folders.join(', ')}
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default definePanel({
  page: 'board',
  id: 'institutions',
  title: 'Institutions',
  order: 60,
  width: 'wide',
  Component: Institutions,
});
