import type { Post, Publication, RenderedPost } from '../../../core/model.js';
import { renderPost } from '../../../core/render/render-post.js';

/**
 * The site goldens' publication: an ampersand to escape, an author with an address and a page,
 * British English and London time.
 */
export function publication(overrides: Partial<Publication> = {}): Publication {
  return {
    title: 'The Quiet Gazette',
    description: 'Slow news, carefully written: essays on cities, maps & the people who draw them.',
    url: 'https://gazette.example/',
    language: 'en-GB',
    timeZone: 'Europe/London',
    author: { name: 'Ada Quill', email: 'ada@gazette.example', url: 'https://gazette.example/about/' },
    email: {
      from: { name: 'The Quiet Gazette', address: 'letters@gazette.example' },
      replyTo: 'ada@gazette.example',
    },
    postalAddress: '1 Printing House Square, London EC4V 4AB, United Kingdom',
    schedule: {
      daily: { time: '07:30', timeZone: 'Europe/London' },
      weekly: { day: 'friday', time: '08:00', timeZone: 'Europe/London' },
    },
    feed: { items: 20, content: 'full' },
    ...overrides,
  };
}

export function post(overrides: Partial<Post> & Pick<Post, 'slug'>): Post {
  return {
    title: `Post ${overrides.slug}`,
    date: new Date('2022-01-13T09:00:00Z'),
    tags: [],
    draft: false,
    body: `First paragraph of ${overrides.slug}.\n\nSecond paragraph.`,
    source: { file: `posts/${overrides.slug}.md`, bodyLine: 6 },
    ...overrides,
  };
}

/** A small, fixed publication with every feature a page or feed shows. */
export function fixturePosts(): Post[] {
  return [
    post({
      slug: 'maps-that-lie',
      title: 'Maps that lie, & why we <love> them',
      date: new Date('2022-03-02T18:30:00Z'),
      updated: new Date('2022-03-04T08:15:00Z'),
      summary: 'Every map is an argument. A short tour of the honest lies cartographers tell.',
      tags: ['Maps', 'Design'],
      image: { src: 'images/mercator.jpg', alt: 'A Mercator world map with Greenland as large as Africa' },
      body: [
        'Every map is an argument about what matters.',
        '',
        '## The Mercator problem',
        '',
        'Greenland looks as big as Africa. It is [fourteen times smaller](https://en.wikipedia.org/wiki/Mercator_projection).',
        '',
        '![Greenland beside Africa](/images/greenland.png "Not to scale")',
        '',
        '```js',
        'const ratio = africa / greenland; // ≈ 14',
        '```',
        '',
        '| projection | keeps |',
        '| :--- | ---: |',
        '| Mercator | angles |',
        '| Gall–Peters | areas |',
      ].join('\n'),
    }),
    post({
      slug: 'city-of-bridges',
      title: 'A city of bridges',
      date: new Date('2022-01-13T09:00:00Z'),
      tags: ['Cities'],
      author: 'Sam Ferry',
      credit: { name: 'The Bridge Review', url: 'https://bridges.example/issue/7' },
      body: [
        'Königsberg had seven bridges and one famous puzzle: can you cross each bridge exactly once?',
        '',
        '> Euler said no, and graph theory was born.',
        '',
        '### Notes',
        '',
        '1. The city is now Kaliningrad.',
        '2. Two of the bridges survived the war.',
      ].join('\n'),
    }),
    post({
      slug: 'longest-street-names',
      title: 'Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu',
      date: new Date('2021-11-30T23:30:00Z'),
      tags: ['Cities', 'Maps'],
      body: [
        'The longest place name: Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu,',
        'and a URL to match: https://example.org/a/very/long/path/that/never/breaks/by/itself/unless/the/stylesheet/lets/it/wrap/anywhere/at/all.',
        '',
        '    a code block with a very long line that must scroll inside its own box and never widen the page at all, not even on a phone',
      ].join('\n'),
    }),
  ];
}

export function renderedFixture(pub: Publication = publication()): RenderedPost[] {
  return fixturePosts().map((p) => renderPost(p, pub));
}
