// A real OpenID Connect provider for the e2e tier: panva's `oidc-provider` (OpenID-certified) on
// 127.0.0.1, with a login step (pick a user, no password) and a consent step (approve or deny) in
// place of its development pages, so tests can play the user's browser.
//
//   node provider.mjs '<clients JSON>' '<users JSON>'
//
// Clients: [{ client_id, client_secret, redirect_uris, id_token_signed_response_alg?,
// id_token_ttl? }], each authenticating at the token endpoint with client_secret_post (Better
// Auth's default), their id_tokens signed with RS256 unless they ask for ES256, valid for an hour
// unless `id_token_ttl` says how many seconds. Users: [{ sub, email,
// email_verified, name, picture }]. Prints `{"issuer": "http://127.0.0.1:<port>"}` on one line
// once it listens; everything else goes to stderr.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const [clientsJson = '[]', usersJson = '[]'] = process.argv.slice(2);
const users = new Map(JSON.parse(usersJson).map((user) => [user.sub, user]));
const idTokenTtl = new Map(JSON.parse(clientsJson).map((c) => [c.client_id, c.id_token_ttl ?? 3600]));
const clients = JSON.parse(clientsJson).map(({ client_id, client_secret, redirect_uris, id_token_signed_response_alg }) => ({
  client_id,
  client_secret,
  redirect_uris,
  id_token_signed_response_alg: id_token_signed_response_alg ?? 'RS256',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_post',
}));

// Fresh RS256 and ES256 keys per run: id_tokens are verified against the JWKS the provider
// publishes.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-rs256', alg: 'RS256', use: 'sig' };
const { privateKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecSigningKey = { ...ecKey.export({ format: 'jwk' }), kid: 'e2e-es256', alg: 'ES256', use: 'sig' };

let provider;
const server = http.createServer((req, res) => {
  const step = req.url.match(/^\/interaction\/([\w-]+)(?:\/(login|consent))?$/);
  const handle = step ? interaction(req, res, step[2]) : provider.callback()(req, res);
  Promise.resolve(handle).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(error));
  });
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients,
    jwks: { keys: [signingKey, ecSigningKey] },
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
    cookies: { keys: ['rauth-e2e-oidc-provider'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'picture'] },
    // The id_token carries the granted scopes' claims too (as Google's does), not only userinfo.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      return user && { accountId: sub, claims: () => user };
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Every code exchange yields a refresh token (as Google does with access_type=offline), so a
    // relying party does not have to send `offline_access` with `prompt=consent`, the only way
    // oidc-provider keeps that scope.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Short access tokens, so a test can wait one out and refresh (OIDC_ACCESS_TOKEN_TTL seconds).
    ttl: {
      AccessToken: Number(process.env.OIDC_ACCESS_TOKEN_TTL ?? 60),
      AuthorizationCode: 60,
      IdToken: (_ctx, _token, client) => idTokenTtl.get(client.clientId) ?? 3600,
      RefreshToken: 86400,
      Grant: 86400,
      Interaction: 600,
      Session: 3600,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><title>${escape(out.error)}</title><h1>${escape(out.error)}</h1><p>${escape(out.error_description ?? '')}</p>`;
    },
  });
  provider.on('server_error', (_ctx, error) => console.error(error));
  console.log(JSON.stringify({ issuer }));
});

// The provider's own pages: GET shows the pending step's form, POSTs finish the step.
async function interaction(req, res, action) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (req.method === 'GET') {
    const form = prompt.name === 'login'
      ? `<input name="login" placeholder="alice"><button>Sign in</button>`
      : `<p>${escape(params.client_id)} asks for ${escape(params.scope)}</p>
         <button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><title>${prompt.name}</title>
      <form method="post" action="/interaction/${uid}/${prompt.name}" data-step="${prompt.name}">${form}</form>`);
    return;
  }
  const form = new URLSearchParams(await body(req));
  if (action === 'login') {
    const sub = form.get('login');
    if (!users.has(sub)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`no user ${sub}`);
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    return;
  }
  if (form.get('decision') !== 'approve') {
    const denied = { error: 'access_denied', error_description: 'the user denied the request' };
    await provider.interactionFinished(req, res, denied, { mergeWithLastSubmission: false });
    return;
  }
  // Grant exactly what the client asked for and the user has not granted yet.
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
