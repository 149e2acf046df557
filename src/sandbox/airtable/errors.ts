// Airtable's error bodies: `{"error":{"type","message"}}`, the bare `{"error":"NOT_FOUND"}`, and the 429 shape.

/** A failure a handler throws; rendered as Airtable's JSON error body with `status`. */
export class AirtableApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export const RATE_LIMIT_MESSAGE = 'Rate limit exceeded. Please try again later';

/** The 429 body as observed from api.airtable.com (a different shape from every other error). */
export function rateLimited(headers: Record<string, string> = {}): Response {
  return Response.json(
    { errors: [{ error: 'RATE_LIMIT_REACHED', message: RATE_LIMIT_MESSAGE }] },
    { status: 429, headers },
  );
}

/** An unknown route or record: Airtable answers with a bare string. */
export function notFoundResponse(headers: Record<string, string> = {}): Response {
  return Response.json({ error: 'NOT_FOUND' }, { status: 404, headers });
}

export function errorBody(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return Response.json({ error: { type, message } }, { status, headers });
}

export const authenticationRequired = () =>
  new AirtableApiError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');

export const invalidToken = () =>
  new AirtableApiError(401, 'AUTHENTICATION_REQUIRED', 'Invalid authentication token');

/** What a PAT gets for a base or table it cannot see, whether or not it exists. */
export const modelNotFound = () =>
  new AirtableApiError(
    403,
    'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.',
  );

export const unknownField = (name: string) =>
  new AirtableApiError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);

export const invalidValue = (name: string) =>
  new AirtableApiError(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${name}" cannot accept the provided value`);

export const newSelectOption = (option: string) =>
  new AirtableApiError(
    422,
    'INVALID_MULTIPLE_CHOICE_OPTIONS',
    `Insufficient permissions to create new select option ""${option}""`,
  );

const FORMULA_PREFIX = 'The formula for filtering records is invalid:';

export const invalidFormula = (detail = 'Invalid formula. Please check your formula text.') =>
  new AirtableApiError(422, 'INVALID_FILTER_BY_FORMULA', `${FORMULA_PREFIX} ${detail}`);

export const invalidRequest = () =>
  new AirtableApiError(
    422,
    'INVALID_REQUEST_UNKNOWN',
    'Invalid request: parameter validation failed. Check your request data.',
  );

export const invalidRecords = (message: string) => new AirtableApiError(422, 'INVALID_RECORDS', message);

/** Render a thrown AirtableApiError as Airtable would. */
export function renderError(err: AirtableApiError): Response {
  return errorBody(err.status, err.type, err.message);
}
