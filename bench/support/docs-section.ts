/**
 * A generated section of a Markdown document, kept between two marker comments so that a
 * benchmark run rewrites its own section and never touches the text around it.
 */

export function sectionMarkers(name: string): { begin: string; end: string } {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new RangeError(`section name must be kebab-case: ${name}`);
  return { begin: `<!-- ${name}:begin -->`, end: `<!-- ${name}:end -->` };
}

/**
 * `document` with the section `name` replaced by `body`, or appended at the end when the
 * document has no such section yet. Throws when the markers are unbalanced, rather than guess
 * which text is generated.
 */
export function replaceSection(document: string, name: string, body: string): string {
  const { begin, end } = sectionMarkers(name);
  const block = `${begin}\n${body.trim()}\n${end}`;
  const first = document.indexOf(begin);
  const last = document.indexOf(end);
  const begins = document.split(begin).length - 1;
  const ends = document.split(end).length - 1;
  if (begins === 0 && ends === 0) {
    const text = document.replace(/\s*$/, '');
    return `${text === '' ? '' : `${text}\n\n`}${block}\n`;
  }
  if (begins !== 1 || ends !== 1 || last < first) {
    throw new Error(
      `the document has ${begins} "${begin}" and ${ends} "${end}" markers; expected one of each, in order`,
    );
  }
  return document.slice(0, first) + block + document.slice(last + end.length);
}
