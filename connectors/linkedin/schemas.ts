// The parts of LinkedIn's answers the client relies on, checked with zod.
import { z } from 'zod';
import { ServiceError } from '../core/index.ts';

export const InitializeUploadSchema = z.object({
  value: z.object({
    uploadUrl: z.url(),
    image: z.string().startsWith('urn:li:image:'),
    uploadUrlExpiresAt: z.number().optional(),
  }),
});

export const UserInfoSchema = z.object({ sub: z.string().min(1), name: z.string().optional() });

export const PostSchema = z.object({
  id: z.string(),
  author: z.string(),
  commentary: z.string().default(''),
  lifecycleState: z.string().optional(),
  createdAt: z.number().optional(),
});

export const PostPageSchema = z.object({ elements: z.array(PostSchema) });

export const PostUrnSchema = z.string().regex(/^urn:li:(share|ugcPost):\d+$/);

export function parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ServiceError('linkedin', `LinkedIn ${operation}: unexpected answer`, {
      hint: z.prettifyError(result.error).replace(/\n+/g, '; '),
    });
  }
  return result.data;
}
