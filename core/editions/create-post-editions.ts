import { type CreateEditionDeps, type CreateEditionResult, createEditionCreator } from './create-edition.js';

/**
 * What a publish calls with the slugs it published for the first time: one `post-<slug>`
 * edition each, for `immediate` subscribers, created once (a repeated publish finds them) and
 * fanned out. One post's failure does not keep the others from going out; it is reported.
 */
export function createPostEditionsCreator(
  deps: CreateEditionDeps,
): (input: {
  slugs: readonly string[];
}) => Promise<
  Array<{ slug: string; result: CreateEditionResult | { ok: false; reason: 'error'; error: string } }>
> {
  const create = createEditionCreator(deps);
  return async ({ slugs }) => {
    const out: Array<{
      slug: string;
      result: CreateEditionResult | { ok: false; reason: 'error'; error: string };
    }> = [];
    for (const slug of new Set(slugs)) {
      try {
        out.push({ slug, result: await create({ post: slug }, { trigger: 'publish' }) });
      } catch (error) {
        deps.logger?.error('post edition failed', {
          slug,
          error: error instanceof Error ? error.message : String(error),
        });
        out.push({
          slug,
          result: {
            ok: false,
            reason: 'error',
            error: error instanceof Error ? error.message : String(error),
          },
        });
      }
    }
    return out;
  };
}
