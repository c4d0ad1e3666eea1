// The API: answers every request with the version of the function that ran,
// so that hooks, smoke tests and people can tell which version is live.
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    ok: true,
    path: (event && event.rawPath) || '/',
    version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  }),
});
