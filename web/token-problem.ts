import type { TokenProblem } from '../core/subscriptions/resolve-token.js';
import { HttpProblemError } from './http-problem.js';

/** A link that does not work, as an HTTP answer naming the problem. */
export function tokenProblem(reason: TokenProblem | 'not-pending'): HttpProblemError {
  switch (reason) {
    case 'missing':
      return new HttpProblemError(400, { field: 'token', message: 'missing: open the link from your email' });
    case 'malformed':
      return new HttpProblemError(400, {
        field: 'token',
        message: 'malformed: copy the whole link from your email',
      });
    case 'bad-signature':
      return new HttpProblemError(403, {
        field: 'token',
        message: 'invalid signature: this link was not made by us',
      });
    case 'wrong-purpose':
      return new HttpProblemError(403, { field: 'token', message: 'not valid for this page' });
    case 'expired':
      return new HttpProblemError(400, {
        field: 'token',
        message: 'expired: subscribe again to get a new link',
      });
    case 'unknown-subscriber':
      return new HttpProblemError(410, {
        field: 'token',
        message: 'no longer valid: the subscription it was made for no longer exists',
      });
    case 'not-pending':
      return new HttpProblemError(409, {
        field: 'token',
        message: 'this subscription is no longer waiting for confirmation: subscribe again',
      });
  }
}
