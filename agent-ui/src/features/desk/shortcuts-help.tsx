import { SHORTCUT_HELP } from './desk-shortcuts.ts';

/** A "Shortcuts" disclosure in the header listing the desk's keyboard shortcuts. */
export function ShortcutsHelp() {
  return (
    <details className="shortcuts-help">
      <summary className="button button-quiet">Shortcuts</summary>
      <div className="shortcuts-panel">
        <table>
          <caption>Keyboard shortcuts</caption>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Does</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUT_HELP.map((row) => (
              <tr key={row.keys}>
                <td>
                  <kbd>{row.keys}</kbd>
                </td>
                <td>{row.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
