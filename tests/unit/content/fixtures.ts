import type { ContentFile } from '../../../core/content/content-file.js';

/** A valid publication.yaml; tests replace lines in it to break one thing at a time. */
export const PUBLICATION_YAML = `title: The Test Post
description: A publication for tests.
url: https://news.example.com
language: en-GB
timeZone: Europe/Berlin
author:
  name: Ada Editor
  email: ada@news.example.com
email:
  from:
    name: The Test Post
    address: post@news.example.com
  replyTo: desk@news.example.com
postalAddress: |
  The Test Post
  1 Example Street
  10115 Berlin
schedule:
  daily:
    time: "07:00"
    timeZone: Europe/Berlin
  weekly:
    day: Friday
    time: "9:30"
feed:
  items: 10
  content: summary
`;

export function publicationFile(text = PUBLICATION_YAML): ContentFile {
  return { path: 'publication.yaml', text };
}

/** A post file from front matter lines and a body. */
export function postFile(name: string, frontMatter: string[], body = 'Some words.'): ContentFile {
  return { path: `posts/${name}.md`, text: ['---', ...frontMatter, '---', '', body, ''].join('\n') };
}
