import { Liquid } from 'liquidjs';
import { TemplateError } from '../errors.js';
import type { EmailTemplates } from './rendered-mail.js';
import { wrapText } from './wrap-text.js';

/** One engine per output: HTML escapes every value by default, text leaves it as it is. */
export interface LiquidEngines {
  html: Liquid;
  text: Liquid;
}

const cache = new WeakMap<EmailTemplates, LiquidEngines>();

function engine(templates: EmailTemplates, escapeHtml: boolean): Liquid {
  const liquid = new Liquid({
    // Core has no file system: includes and layouts come from the in-memory map.
    templates,
    outputEscape: escapeHtml ? 'escape' : undefined,
    // A typo in a template is an error, not an empty string in 10,000 mails.
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true,
    cache: true,
  });
  liquid.registerFilter('wrap', (value: unknown, width?: unknown, indent?: unknown) =>
    wrapText(
      String(value ?? ''),
      typeof width === 'number' ? width : 72,
      typeof indent === 'string' ? indent : '',
    ),
  );
  return liquid;
}

/**
 * The Liquid engines for a set of templates, made once per map (parsed templates are cached
 * in them, so a warm render does not parse again).
 */
export function liquidEngines(templates: EmailTemplates): LiquidEngines {
  let engines = cache.get(templates);
  if (!engines) {
    engines = { html: engine(templates, true), text: engine(templates, false) };
    cache.set(templates, engines);
  }
  return engines;
}

/** Renders one template by name; any Liquid problem becomes a TemplateError naming it. */
export async function renderLiquid(
  liquid: Liquid,
  templates: EmailTemplates,
  name: string,
  data: Record<string, unknown>,
): Promise<string> {
  if (typeof templates[name] !== 'string') {
    throw new TemplateError(`${name}: template missing (have: ${Object.keys(templates).sort().join(', ')})`);
  }
  try {
    return await liquid.renderFile(name, data);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new TemplateError(`${name}: ${message}`, { cause: error });
  }
}
