/**
 * The parts of Eleventy 3 and its RSS plugin that the benchmark calls. Neither package ships
 * type declarations.
 */
declare module '@11ty/eleventy' {
  import type MarkdownIt from 'markdown-it';

  interface CollectionItem {
    url: string;
    date: Date;
    inputPath: string;
    data: Record<string, unknown>;
  }

  interface CollectionApi {
    getFilteredByGlob(glob: string | string[]): CollectionItem[];
  }

  interface UserConfig {
    addCollection(name: string, make: (api: CollectionApi) => CollectionItem[]): void;
    addPlugin(plugin: unknown, options?: Record<string, unknown>): void;
    amendLibrary(name: 'md', amend: (md: MarkdownIt) => void): void;
    addPassthroughCopy(path: string | Record<string, string>): void;
  }

  interface EleventyOptions {
    quietMode?: boolean;
    configPath?: string;
    pathPrefix?: string;
    config?: (config: UserConfig) => void | Promise<void>;
  }

  export class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    write(): Promise<unknown>;
  }
}

declare module '@11ty/eleventy-plugin-rss' {
  export const feedPlugin: unknown;
  export const rssPlugin: unknown;
}
