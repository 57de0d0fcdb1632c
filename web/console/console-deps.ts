import type { Post } from '../../core/model.js';
import type { SubscriberDirectory } from '../../core/ports.js';

/** What the editors' console needs beyond the web app's and the editor API's deps. */
export interface ConsoleDeps {
  /** Every post as written, drafts and future-dated ones included (the Posts page sorts them out). */
  posts(): Promise<readonly Post[]> | readonly Post[];
  /** The whole subscriber list, for export and search. */
  directory: SubscriberDirectory;
  /**
   * Secret the console signs its session cookies and CSRF tokens with (a key is derived from
   * it, so the app's HMAC secret can be given); at least 16 characters.
   */
  sessionSecret: string;
}
