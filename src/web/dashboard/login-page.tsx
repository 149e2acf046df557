// The sign-in form: one field for BATON_DASHBOARD_TOKEN.
import { Layout } from './layout.tsx';

export function LoginPage(props: { nonce: string; next: string; problem?: string | undefined }) {
  return (
    <Layout title="Sign in" nonce={props.nonce} signedIn={false}>
      <section class="panel login">
        <h2>Sign in to the Baton dashboard</h2>
        {props.problem && (
          <p class="problem" role="alert">
            {props.problem}
          </p>
        )}
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Dashboard token
            <input type="password" name="token" required autocomplete="current-password" autofocus />
          </label>
          <button type="submit">Sign in</button>
        </form>
        <p class="hint">The token is BATON_DASHBOARD_TOKEN in the server's .env.</p>
      </section>
    </Layout>
  );
}
