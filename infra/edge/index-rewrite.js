// CloudFront Function (cloudfront-js-2.0), viewer request of the site bucket's behaviour.
// S3 behind origin access control has no index documents: a folder URL is mapped to its
// index.html, and an extension-less path is redirected to its folder URL so that relative links
// on the page resolve as they do in the archive. Site pages take no query string, so the
// redirect drops it rather than re-encode it.
// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls the top-level `handler`.
function handler(event) {
  const request = event.request;
  const uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = `${uri}index.html`;
    return request;
  }
  const last = uri.substring(uri.lastIndexOf('/') + 1);
  if (!last.includes('.')) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: {
        location: { value: `${uri}/` },
        'cache-control': { value: 'max-age=3600' },
      },
    };
  }
  return request;
}
