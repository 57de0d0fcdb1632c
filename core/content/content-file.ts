/**
 * One file of the content folder, as text. The core never reads the disk: the CLI, the dev
 * server and the publish function hand files over in this shape.
 */
export interface ContentFile {
  /** Path relative to the content folder, POSIX separators: `publication.yaml`, `posts/hello.md`. */
  path: string;
  /** The file's text, decoded as UTF-8. */
  text: string;
}
