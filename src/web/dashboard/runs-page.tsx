// The runs list: counts by recipe and state, then the newest runs (filtered by state and recipe).
import type { RunRow } from '../run-index.ts';
import { utcTime, waitingFor } from '../run-words.ts';
import { Layout } from './layout.tsx';

/** States a user looks for first; the others (queued, running, cancelled) are counted too. */
const STATES = ['waiting', 'failed', 'done', 'queued', 'running', 'cancelled'] as const;
export const SHOWN_RUNS = 200;

export interface RunsPageProps {
  nonce: string;
  /** Every live run, each with its current status. */
  runs: RunRow[];
  state?: string | undefined;
  recipe?: string | undefined;
}

export function RunsPage(props: RunsPageProps) {
  const recipes = [...new Set(props.runs.map((r) => r.recipe))].sort();
  const shown = props.runs
    .filter((r) => (!props.state || r.status === props.state) && (!props.recipe || r.recipe === props.recipe))
    .sort((a, b) => b.updatedAt - a.updatedAt || b.id.localeCompare(a.id));
  const link = (state?: string, recipe?: string) => {
    const query = new URLSearchParams({
      ...(state ? { state } : {}),
      ...(recipe ? { recipe } : {}),
    }).toString();
    return query ? `/?${query}` : '/';
  };
  return (
    <Layout title="Runs" nonce={props.nonce} signedIn>
      <section class="panel" id="recipes">
        <h2>Runs by recipe</h2>
        <table>
          <thead>
            <tr>
              <th>Recipe</th>
              {STATES.map((s) => (
                <th>{s}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {recipes.map((recipe) => (
              <tr data-recipe={recipe}>
                <td>
                  <a href={link(undefined, recipe)}>{recipe}</a>
                </td>
                {STATES.map((state) => (
                  <td data-count={state}>
                    <a href={link(state, recipe)}>
                      {props.runs.filter((r) => r.recipe === recipe && r.status === state).length}
                    </a>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {recipes.length === 0 && <p class="muted">No runs yet.</p>}
      </section>
      <section class="panel" id="runs">
        <h2>
          {props.state ? `${cap(props.state)} runs` : 'Runs'}
          {props.recipe && ` of ${props.recipe}`} <span class="muted">({shown.length})</span>
        </h2>
        <p class="filters">
          {[undefined, 'waiting', 'failed', 'done'].map((state) => (
            <a href={link(state, props.recipe)} class={state === props.state ? 'current' : ''}>
              {state ? cap(state) : 'All'}
            </a>
          ))}
        </p>
        <table>
          <thead>
            <tr>
              <th>Run</th>
              <th>Recipe</th>
              <th>Item</th>
              <th>State</th>
              <th>Updated</th>
              <th>Waiting for / error</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, SHOWN_RUNS).map((run) => (
              <tr data-run-id={run.id} data-run-status={run.status}>
                <td>
                  <a href={`/runs/${run.id}`}>
                    <code>{run.id}</code>
                  </a>
                </td>
                <td>{run.recipe}</td>
                <td>{run.item}</td>
                <td>
                  <span class={`badge run-${run.status}`}>{run.status}</span>
                </td>
                <td>{utcTime(run.updatedAt)}</td>
                <td>
                  {run.status === 'waiting' && run.wake && waitingFor(run.wake, utcTime)}
                  {run.status === 'failed' && <span class="error">{run.error}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length > SHOWN_RUNS && (
          <p class="muted">The newest {SHOWN_RUNS} are shown; `baton runs` lists all.</p>
        )}
      </section>
    </Layout>
  );
}

const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
