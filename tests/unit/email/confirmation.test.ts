import { describe, expect, it } from 'vitest';
import { InvalidAddressError, InvalidLinkError } from '../../../core/email/errors.js';
import {
  compileConfirmation,
  personalizeConfirmation,
} from '../../../core/email/personalize-confirmation.js';
import { PLACEHOLDER_PREFIX } from '../../../core/email/placeholders.js';
import { renderConfirmation } from '../../../core/email/render-confirmation.js';
import { TemplateError } from '../../../core/errors.js';
import { publication, emailTemplates as templates } from '../../support/fixtures.js';

const confirmUrl = 'https://news.example.com/confirm?token=eyJwIjoiYyJ9.c2ln&a=1';

describe('confirmation mail', () => {
  it('asks to confirm, with a button to the signed URL, the address, and what ignoring it means', async () => {
    const rendered = await renderConfirmation({ publication, templates, validForDays: 7 });
    expect(rendered.subject).toBe('Confirm your subscription to Gazette Dispatch');
    const mail = personalizeConfirmation(compileConfirmation(rendered), {
      confirmUrl,
      email: "o'neil+news@example.org",
    });
    expect(mail.subject).toBe(rendered.subject);
    const escapedUrl = confirmUrl.replace('&', '&amp;');
    expect(mail.html).toMatch(
      new RegExp(
        `<a\\s+href="${escapedUrl.replace(/[.?]/g, '\\$&')}"[^>]*>\\s*Confirm your subscription\\s*</a>`,
      ),
    );
    expect(mail.html).toContain('<strong>o&#39;neil+news@example.org</strong>');
    expect(mail.html).toContain('If you did not ask for this, simply ignore this email');
    expect(mail.html).toContain('The link works for 7 days.');
    expect(mail.html).toContain('Example Street 1');
    expect(mail.text).toContain(`\n${confirmUrl}\n`);
    expect(mail.text).toContain("o'neil+news@example.org");
    expect(mail.text.replace(/\s+/g, ' ')).toContain('simply ignore this email: you will not be subscribed');
    for (const part of [mail.html, mail.text]) {
      expect(part).not.toContain(PLACEHOLDER_PREFIX);
      // Nobody is subscribed yet: there is nothing to unsubscribe from.
      expect(part).not.toMatch(/unsubscribe/i);
    }
  });

  it('refuses a confirm URL or an address that is not what it claims', async () => {
    const compiled = compileConfirmation(await renderConfirmation({ publication, templates }));
    expect(() =>
      personalizeConfirmation(compiled, { confirmUrl: 'javascript:x', email: 'a@example.org' }),
    ).toThrow(InvalidLinkError);
    for (const email of [
      'a@example.org\r\nBcc: b@example.org',
      '<script>@example.org',
      'a@b',
      'a@example.org, b@example.org',
    ]) {
      expect(() => personalizeConfirmation(compiled, { confirmUrl, email })).toThrow(InvalidAddressError);
    }
  });

  it('says nothing about expiry when it is not given, and needs the confirm link in its templates', async () => {
    const rendered = await renderConfirmation({ publication, templates });
    expect(rendered.html).not.toContain('The link works for');
    const broken = {
      ...templates,
      'confirm.txt.liquid': templates['confirm.txt.liquid']!.replace('{{ links.confirm }}', ''),
    };
    await expect(renderConfirmation({ publication, templates: broken })).rejects.toThrow(TemplateError);
    await expect(renderConfirmation({ publication, templates: broken })).rejects.toThrow(
      /confirm\.txt\.liquid: no confirm link/,
    );
  });
});
