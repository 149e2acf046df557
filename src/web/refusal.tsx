// The short HTML answer for a refused or failed request: one escaped sentence.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function refusal(
  c: Context,
  status: ContentfulStatusCode,
  text: string,
): Response | Promise<Response> {
  return c.html(<p>{text}</p>, status);
}
