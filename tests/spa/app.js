// The browser side of a SPA sign-in: discovery, authorize (PKCE S256), code exchange, ID token checks,
// userInfo. Every Cognito call is a cross-origin fetch. Results are written to the page for the test.
"use strict";

const show = (id, text) => { document.getElementById(id).textContent = text; };
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const decodePart = (part) => JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/")));
const redirectUri = window.location.origin + "/";

async function json(response, what) {
  const body = await response.json();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function discover(issuer) {
  return json(await fetch(issuer + "/.well-known/openid-configuration"), "discovery");
}

async function start(params) {
  const config = { clientId: params.get("client_id"), issuer: params.get("issuer"),
                   idp: params.get("identity_provider"), aws: params.get("aws_endpoint") };
  const doc = await discover(config.issuer);
  const verifier = random(48), state = random(16), nonce = random(16);
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem("signin", JSON.stringify({ ...config, verifier, state, nonce }));
  const authorize = new URL(doc.authorization_endpoint);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: config.clientId,
      redirect_uri: redirectUri, scope: "openid email profile", state, nonce,
      code_challenge: challenge, code_challenge_method: "S256", identity_provider: config.idp })) {
    authorize.searchParams.set(k, v);
  }
  show("status", "redirecting");
  window.location.assign(authorize.toString());
}

async function finish(params) {
  const saved = JSON.parse(sessionStorage.getItem("signin"));
  if (params.get("error")) throw new Error(`authorize: ${params.get("error")} ${params.get("error_description")}`);
  if (params.get("state") !== saved.state) throw new Error("state mismatch");
  const doc = await discover(saved.issuer);
  const tokens = await json(await fetch(doc.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: saved.clientId,
                                code: params.get("code"), redirect_uri: redirectUri,
                                code_verifier: saved.verifier }),
  }), "token");
  const [header, claims] = tokens.id_token.split(".").slice(0, 2).map(decodePart);
  const keys = await json(await fetch(doc.jwks_uri), "jwks");
  if (!keys.keys.some((k) => k.kid === header.kid)) throw new Error("no JWKS key for the ID token's kid");
  if (claims.iss !== saved.issuer || claims.aud !== saved.clientId) throw new Error("iss/aud mismatch");
  if (claims.nonce !== saved.nonce) throw new Error(`nonce mismatch: ${claims.nonce}`);
  show("claims", JSON.stringify(claims));
  const info = await json(await fetch(doc.userinfo_endpoint, {
    headers: { Authorization: "Bearer " + tokens.access_token } }), "userInfo");  // preflighted
  show("userinfo", JSON.stringify(info));
  show("revoke", await revokeAndRefresh(doc, saved.clientId, tokens.refresh_token));
  show("aws-api", await tryAwsApi(saved.aws));
  show("status", "signed in");
}

async function revokeAndRefresh(doc, clientId, refreshToken) {
  // Sign-out as a SPA does it: revoke the refresh token (a public client names itself), then see the
  // refresh fail. Both answers are read cross-origin.
  const form = (fields) => ({ method: "POST", body: new URLSearchParams(fields),
                              headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  const revoked = await fetch(doc.revocation_endpoint, form({ token: refreshToken, client_id: clientId }));
  const refreshed = await fetch(doc.token_endpoint, form({ grant_type: "refresh_token", client_id: clientId,
                                                           refresh_token: refreshToken }));
  return `${revoked.status} ${refreshed.status} ${(await refreshed.json()).error}`;
}

async function tryAwsApi(endpoint) {
  // The AWS API guards secrets: the sandbox refuses browser origins, so the browser blocks this read.
  try {
    await fetch(endpoint + "/", { method: "POST", body: "{}", headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools" } });
    return "readable";
  } catch (e) {
    return "blocked";
  }
}

const params = new URLSearchParams(window.location.search);
(params.has("code") || params.has("error") ? finish(params) : start(params)).catch((e) => {
  show("status", "failed");
  show("error", String(e && e.message || e));
});
