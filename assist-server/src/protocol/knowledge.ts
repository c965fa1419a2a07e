/** Knowledge-base articles as the REST API (`/api/kb/articles`) sends and stores them. */
export interface KbArticle {
  id: string;
  title: string;
  /** What the agent can read out. */
  answer: string;
  /** Longer guidance for the agent. */
  body: string;
  /** Intent labels this article answers (the intent model's labels). */
  intents: string[];
  keywords: string[];
  language: string;
  owner: string | null;
  updatedAtMs: number;
}
