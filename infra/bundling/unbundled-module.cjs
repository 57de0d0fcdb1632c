// Stands in for a package that a dependency loads at start-up but whose features Gazette never
// uses: cheerio (inside MJML and juice) requires undici and encoding-sniffer at the top of its
// entry point only for cheerio.fromURL() and decodeStream(), which fetch and decode web pages.
// Gazette parses strings it rendered itself, so the bundles carry this empty module instead of
// about 2 MB of HTTP client and character-set tables. Calling one of those functions fails with
// "… is not a constructor"; tests/infra/bundles.test.ts renders MJML from a bundle to prove the
// paths Gazette uses do not touch them.
module.exports = {};
