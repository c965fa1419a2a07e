/** Admin (`#/admin`): knowledge-base articles and the compliance rules, edited in the browser. */
import { useState } from 'react';
import { DeadLetterPanel } from './dead-letter-panel.tsx';
import { KnowledgeAdmin } from './knowledge-admin.tsx';
import { RulesEditor } from './rules-editor.tsx';
import './admin.css';

type Section = 'kb' | 'rules';

export function AdminScreen() {
  const [section, setSection] = useState<Section>('kb');
  return (
    <div className="admin">
      <h1>Admin</h1>
      <nav className="admin-tabs" aria-label="Admin sections">
        <button type="button" className={`button ${section === 'kb' ? '' : 'button-quiet'}`} aria-pressed={section === 'kb'} onClick={() => setSection('kb')}>
          Knowledge base
        </button>
        <button type="button" className={`button ${section === 'rules' ? '' : 'button-quiet'}`} aria-pressed={section === 'rules'} onClick={() => setSection('rules')}>
          Compliance rules
        </button>
      </nav>
      {section === 'kb' ? <KnowledgeAdmin /> : <RulesEditor />}
      <DeadLetterPanel />
    </div>
  );
}
