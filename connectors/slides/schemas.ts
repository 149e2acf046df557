// The parts of Slides' answers the connector relies on, checked with zod.
import { z } from 'zod';
import { ServiceError } from '../core/index.ts';

const TextContent = z.object({
  textElements: z
    .array(z.object({ textRun: z.object({ content: z.string().optional() }).optional() }))
    .optional(),
});

/** A page element: a shape with text, a table of cells with text, or a group of elements. */
export interface PageElement {
  shape?: { text?: z.infer<typeof TextContent> | undefined } | undefined;
  table?:
    | {
        tableRows?:
          | { tableCells?: { text?: z.infer<typeof TextContent> | undefined }[] | undefined }[]
          | undefined;
      }
    | undefined;
  elementGroup?: { children?: PageElement[] | undefined } | undefined;
}

const PageElementSchema: z.ZodType<PageElement> = z.lazy(() =>
  z.object({
    shape: z.object({ text: TextContent.optional() }).optional(),
    table: z
      .object({
        tableRows: z
          .array(z.object({ tableCells: z.array(z.object({ text: TextContent.optional() })).optional() }))
          .optional(),
      })
      .optional(),
    elementGroup: z.object({ children: z.array(PageElementSchema).optional() }).optional(),
  }),
);

/** The fields makeDeck reads from presentations.get. */
export const PRESENTATION_FIELDS =
  'presentationId,title,slides(objectId,pageElements(shape/text/textElements/textRun/content,table/tableRows/tableCells/text/textElements/textRun/content,elementGroup))';

export const PresentationSchema = z.object({
  presentationId: z.string(),
  title: z.string().default(''),
  slides: z
    .array(z.object({ objectId: z.string(), pageElements: z.array(PageElementSchema).default([]) }))
    .default([]),
});

/** A replaceAllText reply; `occurrencesChanged` is left out when zero (proto3 JSON). */
export const BatchUpdateSchema = z.object({
  replies: z
    .array(
      z.object({ replaceAllText: z.object({ occurrencesChanged: z.number().int().default(0) }).optional() }),
    )
    .default([]),
});

/** @throws ServiceError (not retryable) when Slides answered something unexpected. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ServiceError('slides', `Google Slides answered ${operation} in an unexpected shape`, {
    hint: z.prettifyError(result.error).replace(/\n+/g, '; ').slice(0, 300),
  });
}

/** The text of every shape and table cell, one string per text box (groups opened). */
export function textBoxes(presentation: z.infer<typeof PresentationSchema>): string[] {
  const out: string[] = [];
  const join = (text: z.infer<typeof TextContent> | undefined) =>
    (text?.textElements ?? []).map((e) => e.textRun?.content ?? '').join('');
  const visit = (element: PageElement): void => {
    if (element.shape?.text) out.push(join(element.shape.text));
    for (const row of element.table?.tableRows ?? [])
      for (const cell of row.tableCells ?? []) out.push(join(cell.text));
    for (const child of element.elementGroup?.children ?? []) visit(child);
  };
  for (const slide of presentation.slides) for (const element of slide.pageElements) visit(element);
  return out;
}
