/**
 * Synthetic content of realistic shape for the publishing benchmarks: a publication.yaml and
 * posts of 600 to 1,500 words with front matter, headings, links, a list, an image and now and
 * then a quote, a table-free prose body like the posts a newsletter publishes. The same seed
 * always gives the same bytes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ContentFile } from '../../core/content/content-file.js';
import { loadContent } from '../../core/content/load-content.js';
import { selectPublished } from '../../core/content/select-published.js';
import type { Publication, RenderedPost } from '../../core/model.js';
import { renderPost } from '../../core/render/render-post.js';
import { createRandom, type Random } from '../support/random.js';

const WORDS = `
the of and to in that is for on with as it by was at from this be are has have not but they
which or an their were been more will would its about after who also new one two other than
into over there some only could when can first last year years time people government officials
minister ministry talks talk agreement security energy market markets price prices trade policy
report reports analysis data figures growth share shares region regional national international
border borders defence military forces troops alliance treaty sanctions exports imports supply
supplies demand pipeline gas oil power grid coal wind solar nuclear climate emissions target
targets budget deficit debt inflation rates bank central currency investors investment fund funds
company companies industry industrial workers labour union strike wages cost costs plan plans
proposal proposals vote votes election elections parliament senate coalition party parties leader
leaders president prime spokesman spokeswoman statement interview comments week weeks month months
monday tuesday wednesday thursday friday weekend morning evening capital city cities province
north south east west eastern western northern southern coast island islands port ports shipping
route routes cargo container vessels fleet navy air force aircraft drills exercise exercises
mission missions peacekeeping aid humanitarian refugees migration asylum court ruling judges law
laws rules regulation regulators reform reforms tax taxes revenue spending public private sector
sectors digital network networks data cyber attack attacks infrastructure ports railways roads
water food grain harvest farmers prices drought flood floods storm season record records level
levels rise rising fall falling steady sharp modest slow fast quickly slowly early late later
despite however while although because since until before during against between among within
without across toward towards under above below nearly almost roughly about around least most
many much several few each every both either neither such same different similar likely unlikely
possible expected unexpected official unofficial senior junior former current next previous recent
major minor key main broad narrow wide long short high low large small strong weak open closed
`
  .trim()
  .split(/\s+/);

const TITLE_WORDS = `
Talks Stall Over Border Security Energy Prices Ease Grid Upgrade Delayed Ports Reopen After Strike
Sanctions Widen Budget Vote Looms Coalition Strains Inflation Cools Central Bank Holds Rates Pipeline
Deal Signed Harvest Outlook Improves Drought Deepens Navy Drills Expand Refugee Flows Rise Court Blocks
Reform Regulators Probe Market Power Exports Rebound Shipping Costs Climb Wind Auction Draws Record Bids
Cyber Attack Disrupts Railways Aid Convoy Reaches Capital Election Date Set Leaders Meet Summit Ends
Without Agreement Treaty Review Begins Troops Withdraw Islands Dispute Flares Coal Plants Close Early
`
  .trim()
  .split(/\s+/);

/** Tags, from broad to narrow: a few carry many posts, most carry few (as on a real publication). */
export const SYNTHETIC_TAGS = [
  'diplomacy',
  'security',
  'energy',
  'economy',
  'europe',
  'trade',
  'climate',
  'defence',
  'elections',
  'migration',
  'asia',
  'americas',
  'africa',
  'middle-east',
  'markets',
  'shipping',
  'technology',
  'cyber',
  'food',
  'law',
  'sanctions',
  'nato',
  'united-nations',
  'infrastructure',
  'health',
  'labour',
  'finance',
  'arctic',
  'space',
  'analysis',
] as const;

const AUTHORS = ['Mara Lindqvist', 'Tomás Herrera', 'Aiko Tanaka', 'Kwame Mensah', 'Ilse de Vries'];
const SOURCES = ['Reuters', 'Associated Press', 'Financial Times', 'Le Monde', 'Nikkei Asia'];

/** The instant of the newest synthetic post; older ones follow roughly every 18 hours. */
export const NEWEST_POST = new Date('2026-06-01T08:00:00Z');

/** A clock instant at which every synthetic post is due. */
export const AFTER_ALL_POSTS = new Date('2026-06-02T00:00:00Z');

export interface PublicationOptions {
  /** How many posts each feed carries (`feed.items`). */
  feedItems: number;
}

/** publication.yaml of the synthetic publication. */
export function syntheticPublicationYaml(options: PublicationOptions): string {
  return `title: Gazette Benchmark Weekly
description: >-
  Synthetic briefings on diplomacy, energy and the economy, written by a seeded generator
  so that every benchmark run publishes the same bytes.
url: https://bench.example.com/
language: en
timeZone: Europe/Berlin
author:
  name: Benchmark desk
  email: desk@bench.example.com
  url: https://bench.example.com/
email:
  from:
    name: Gazette Benchmark Weekly
    address: weekly@bench.example.com
  replyTo: desk@bench.example.com
postalAddress: |
  Gazette Benchmark Weekly
  Example Street 1
  10115 Berlin
  Germany
schedule:
  daily:
    time: "07:00"
    timeZone: Europe/Berlin
  weekly:
    day: friday
    time: "09:00"
    timeZone: Europe/Berlin
feed:
  items: ${options.feedItems}
  content: full
`;
}

/** One synthetic post: its file and what the benchmarks need to know about it. */
export interface SyntheticPost {
  slug: string;
  /** Path in the content folder: `posts/<slug>.md`. */
  path: string;
  text: string;
  tags: string[];
  /** Words of prose in the body (Markdown syntax not counted). */
  words: number;
  date: Date;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Picks from the tag list with weight 1/rank, so the first tags are the common ones. */
function pickTag(random: Random): string {
  const weights = SYNTHETIC_TAGS.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let roll = random.next() * total;
  for (const [i, weight] of weights.entries()) {
    roll -= weight;
    if (roll < 0) return SYNTHETIC_TAGS[i] as string;
  }
  return SYNTHETIC_TAGS[0];
}

class Prose {
  words = 0;
  private links = 0;
  constructor(
    private readonly random: Random,
    private readonly slug: string,
  ) {}

  private phrase(min: number, max: number): string[] {
    const n = this.random.int(min, max);
    this.words += n;
    return Array.from({ length: n }, () => this.random.pick(WORDS));
  }

  link(): string {
    this.links++;
    const words = this.phrase(2, 4);
    const path = `${words.join('-')}-${this.links}`;
    return `[${words.join(' ')}](https://www.example.org/reports/${path})`;
  }

  sentence(): string {
    const words = this.phrase(8, 24);
    const out: string[] = [];
    for (const [i, word] of words.entries()) {
      let w = i === 0 ? capitalize(word) : word;
      if (i > 2 && i < words.length - 2 && this.random.chance(0.06)) w += ',';
      out.push(w);
    }
    if (this.random.chance(0.12)) out.splice(this.random.int(1, out.length - 1), 0, this.link());
    else if (this.random.chance(0.06)) {
      const at = this.random.int(1, out.length - 2);
      out[at] = `**${out[at]}**`;
    } else if (this.random.chance(0.03)) out.push(`\`${this.random.pick(WORDS)}\``);
    return `${out.join(' ')}.`;
  }

  paragraph(): string {
    return Array.from({ length: this.random.int(2, 5) }, () => this.sentence()).join(' ');
  }

  heading(): string {
    return `## ${this.phrase(3, 6).map(capitalize).join(' ')}`;
  }

  list(): string {
    return Array.from({ length: this.random.int(3, 6) }, () => {
      const words = this.phrase(5, 12).join(' ');
      return this.random.chance(0.3)
        ? `- ${capitalize(words)}, see ${this.link()}`
        : `- ${capitalize(words)}`;
    }).join('\n');
  }

  image(n: number): string {
    const alt = capitalize(this.phrase(5, 9).join(' '));
    return `![${alt}](/images/${this.slug}/figure-${n}.jpg)`;
  }

  quote(): string {
    return `> ${this.sentence()} ${this.sentence()}`;
  }
}

/**
 * The `index`-th newest synthetic post (0 is the newest), 600 to 1,500 words. Every post has a
 * front matter summary, one to three tags, an image in the body, a list, links and headings;
 * every other one a lead image, every fifth its own author, every fourth a credited source.
 */
export function syntheticPost(index: number): SyntheticPost {
  const random = createRandom(0x5eed + index * 7919);
  const titleWords = Array.from({ length: random.int(4, 8) }, () => random.pick(TITLE_WORDS));
  const title = titleWords.join(' ');
  const slug = `${titleWords.slice(0, 4).join('-').toLowerCase()}-${String(index + 1).padStart(4, '0')}`;
  const minutes = index * 18 * 60 + random.int(0, 50);
  const date = new Date(NEWEST_POST.getTime() - minutes * 60_000);
  const tags = [...new Set(Array.from({ length: random.int(1, 3) }, () => pickTag(random)))];

  const prose = new Prose(random, slug);
  const summaryProse = new Prose(random, slug);
  const summary = `${summaryProse.sentence()} ${summaryProse.sentence()}`.replaceAll(
    /\[|\]\([^)]*\)|\*\*|`/g,
    '',
  );
  const target = random.int(600, 1500);
  const blocks: string[] = [prose.paragraph(), prose.paragraph()];
  let section = 0;
  let listDone = false;
  let imageDone = false;
  while (prose.words < target) {
    section++;
    blocks.push(prose.heading(), prose.paragraph());
    if (!listDone && section === 1) {
      blocks.push(prose.list());
      listDone = true;
    }
    if (!imageDone && section === 2) {
      blocks.push(prose.image(1));
      imageDone = true;
    }
    if (section % 3 === 0 && random.chance(0.5)) blocks.push(prose.quote());
    const more = random.int(1, 3);
    for (let p = 0; p < more && prose.words < target; p++) blocks.push(prose.paragraph());
  }
  if (!listDone) blocks.push(prose.list());
  if (!imageDone) blocks.push(prose.image(1));

  const front = [
    '---',
    `title: "${title}"`,
    `date: ${date.toISOString().replace('.000Z', 'Z')}`,
    `summary: "${summary}"`,
    `tags: [${tags.join(', ')}]`,
  ];
  if (index % 5 === 4) front.push(`author: "${random.pick(AUTHORS)}"`);
  if (index % 2 === 0) {
    const alt = capitalize(Array.from({ length: random.int(5, 9) }, () => random.pick(WORDS)).join(' '));
    front.push(`image: { src: /images/${slug}/lead.jpg, alt: "${alt}" }`);
  }
  if (index % 4 === 3) {
    front.push(`credit: { name: "${random.pick(SOURCES)}", url: "https://www.example.com/news/${slug}" }`);
  }
  front.push('---', '');
  return {
    slug,
    path: `posts/${slug}.md`,
    text: `${front.join('\n')}\n${blocks.join('\n\n')}\n`,
    tags,
    words: prose.words,
    date,
  };
}

/** A content folder of `count` posts: publication.yaml first, then the posts newest first. */
export function syntheticContent(
  count: number,
  options: PublicationOptions,
): { files: ContentFile[]; posts: SyntheticPost[] } {
  const posts = Array.from({ length: count }, (_, i) => syntheticPost(i));
  const files: ContentFile[] = [
    { path: 'publication.yaml', text: syntheticPublicationYaml(options) },
    ...posts.map((post) => ({ path: post.path, text: post.text })),
  ];
  return { files, posts };
}

/** Writes content files under `dir` (creating folders). */
export async function writeContent(dir: string, files: readonly ContentFile[]): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const path = join(dir, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text);
    }),
  );
}

/** `count` synthetic posts, loaded and rendered as a build renders them, newest first. */
export function renderSyntheticPosts(
  count: number,
  options: PublicationOptions,
): { publication: Publication; posts: RenderedPost[] } {
  const { files } = syntheticContent(count, options);
  const content = loadContent(files);
  const posts = selectPublished(content.posts, AFTER_ALL_POSTS).map((post) =>
    renderPost(post, content.publication),
  );
  if (posts.length !== count) throw new Error(`expected ${count} published posts, got ${posts.length}`);
  return { publication: content.publication, posts };
}

/**
 * The post's file with one more paragraph at the end of its body: a change to the body only,
 * front matter and summary untouched.
 */
export function editBody(text: string, paragraph: string): string {
  return `${text.trimEnd()}\n\n${paragraph}\n`;
}
