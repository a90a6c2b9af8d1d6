// The demo app: logs in through latchkey with OpenID Connect (authorization code + PKCE), checks the ID token's
// signature against the published keys with WebCrypto, shows its claims, refreshes the tokens and logs out
// (RP-initiated logout). Plain JavaScript, no library: what any app's OIDC library does, in one page.

const TEXTS = {
  en: {
    title: "Sunny Days — demo app",
    intro: "An app on another site that logs people in through latchkey with OpenID Connect: the authorization code flow with PKCE, in plain JavaScript.",
    login: "Log in with latchkey",
    claims: "The ID token's claims (signature checked against the JWKS)",
    refresh: "Refresh the tokens",
    logout: "Log out",
    welcome: "Logged in as {name}.",
    refreshed: "Tokens refreshed: the old refresh token no longer works.",
    loggedOut: "You are logged out.",
    failed: "The login failed: {why}",
    language: "Español",
  },
  es: {
    title: "Sunny Days — aplicación de demostración",
    intro: "Una aplicación de otro sitio que inicia sesión con latchkey mediante OpenID Connect: el flujo de código de autorización con PKCE, en JavaScript sencillo.",
    login: "Iniciar sesión con latchkey",
    claims: "Los datos del token de identidad (firma comprobada con el JWKS)",
    refresh: "Renovar los tokens",
    logout: "Cerrar sesión",
    welcome: "Sesión iniciada como {name}.",
    refreshed: "Tokens renovados: el token de renovación anterior ya no sirve.",
    loggedOut: "Has cerrado la sesión.",
    failed: "No se pudo iniciar sesión: {why}",
    language: "English",
  },
};

const params = new URLSearchParams(location.search);
const lang = (params.get("lang") || sessionStorage.getItem("demo-lang") || "en") === "es" ? "es" : "en";
sessionStorage.setItem("demo-lang", lang);
const t = (key, values = {}) => Object.entries(values).reduce((s, [k, v]) => s.replace("{" + k + "}", v), TEXTS[lang][key]);
const here = location.origin + location.pathname;
const status = document.getElementById("status");

function say(text, kind = "info") {
  status.textContent = text;
  status.dataset.kind = kind;
}

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const random = () => b64url(crypto.getRandomValues(new Uint8Array(32)));
const decode = (part) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));

async function json(response) {
  const body = await response.json();
  if (!response.ok) throw new Error(body.error_description || body.error || response.status);
  return body;
}

const config = await json(await fetch("config.json"));
const provider = await json(await fetch(config.issuer + "/.well-known/openid-configuration"));

const ALGORITHMS = {
  RS256: [{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, { name: "RSASSA-PKCS1-v1_5" }],
  ES256: [{ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }],
  EdDSA: [{ name: "Ed25519" }, { name: "Ed25519" }],
};

// The ID token checked as the specification asks: signature (the key its header names, from the JWKS), issuer,
// audience, expiry and the nonce this app sent.
async function verify(idToken, nonce) {
  const [header, payload, signature] = idToken.split(".");
  const { alg, kid } = decode(header);
  const { keys } = await json(await fetch(provider.jwks_uri));
  const jwk = keys.find((key) => key.kid === kid);
  if (!jwk || !ALGORITHMS[alg]) throw new Error("unknown signing key");
  const [importAlg, verifyAlg] = ALGORITHMS[alg];
  const { kty, n, e, crv, x, y } = jwk;
  const key = await crypto.subtle.importKey("jwk", { kty, n, e, crv, x, y }, importAlg, false, ["verify"]);
  const signed = new TextEncoder().encode(header + "." + payload);
  const raw = Uint8Array.from(atob(signature.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  if (!(await crypto.subtle.verify(verifyAlg, key, raw, signed))) throw new Error("bad signature");
  const claims = decode(payload);
  if (claims.iss !== provider.issuer || claims.aud !== config.client_id) throw new Error("not for this app");
  if (claims.exp * 1000 < Date.now()) throw new Error("expired");
  if (nonce && claims.nonce !== nonce) throw new Error("wrong nonce");
  return claims;
}

async function tokens(form) {
  const body = new URLSearchParams({ client_id: config.client_id, ...form });
  return json(await fetch(provider.token_endpoint, { method: "POST", body }));
}

// The claims that are moments, shown as dates (with the number the token holds).
const MOMENTS = ["exp", "iat", "auth_time"];
const dateOf = (unix) => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(unix * 1000));

function show(claims) {
  const table = document.getElementById("claims");
  table.replaceChildren();
  for (const [name, value] of Object.entries(claims)) {
    const row = table.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = name;
    row.append(th);
    const shown = MOMENTS.includes(name) && typeof value === "number" ? dateOf(value) + " (" + value + ")" : value;
    row.insertCell().textContent = typeof shown === "object" ? JSON.stringify(shown) : String(shown);
  }
  document.getElementById("welcome").textContent = t("welcome", { name: claims.name || claims.email || claims.sub });
  document.getElementById("logged-in").hidden = false;
  document.getElementById("logged-out").hidden = true;
}

async function keep(answer, nonce) {
  const claims = await verify(answer.id_token, nonce);
  sessionStorage.setItem("demo-tokens", JSON.stringify({ id_token: answer.id_token, refresh_token: answer.refresh_token }));
  show(claims);
}

// After a reload: the tokens this tab kept. An ID token lives minutes; once it has expired, the refresh token gets a
// new one (as long as the latchkey session lives).
async function resume() {
  const saved = JSON.parse(sessionStorage.getItem("demo-tokens") || "{}");
  if (!saved.id_token) return;
  try {
    show(await verify(saved.id_token));
  } catch {
    if (!saved.refresh_token) return sessionStorage.removeItem("demo-tokens");
    try {
      await keep(await tokens({ grant_type: "refresh_token", refresh_token: saved.refresh_token }));
    } catch {
      sessionStorage.removeItem("demo-tokens");
    }
  }
}

document.getElementById("login").addEventListener("click", async () => {
  const request = { verifier: random(), state: random(), nonce: random() };
  sessionStorage.setItem("demo-request", JSON.stringify(request));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(request.verifier)));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id,
    redirect_uri: here,
    scope: "openid email profile offline_access",
    state: request.state,
    nonce: request.nonce,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ui_locales: lang,
  });
  location.assign(provider.authorization_endpoint + "?" + query);
});

document.getElementById("refresh").addEventListener("click", async () => {
  const saved = JSON.parse(sessionStorage.getItem("demo-tokens") || "{}");
  try {
    await keep(await tokens({ grant_type: "refresh_token", refresh_token: saved.refresh_token }));
    say(t("refreshed"));
  } catch (error) {
    say(t("failed", { why: error.message }), "error");
  }
});

document.getElementById("logout").addEventListener("click", () => {
  const saved = JSON.parse(sessionStorage.getItem("demo-tokens") || "{}");
  sessionStorage.removeItem("demo-tokens");
  const query = new URLSearchParams({ id_token_hint: saved.id_token, post_logout_redirect_uri: here, state: "logged-out", ui_locales: lang });
  location.assign(provider.end_session_endpoint + "?" + query);
});

async function start() {
  document.documentElement.lang = lang;
  for (const element of document.querySelectorAll("[data-text]")) element.textContent = t(element.dataset.text);
  document.title = t("title");
  const language = document.getElementById("language");
  language.textContent = t("language");
  language.href = "?lang=" + (lang === "es" ? "en" : "es");
  language.lang = lang === "es" ? "en" : "es";
  if (params.get("state") === "logged-out") {
    history.replaceState(null, "", here);
    return say(t("loggedOut"));
  }
  if (params.has("error")) return say(t("failed", { why: params.get("error_description") || params.get("error") }), "error");
  if (!params.has("code")) return resume();
  const request = JSON.parse(sessionStorage.getItem("demo-request") || "{}");
  sessionStorage.removeItem("demo-request");
  history.replaceState(null, "", here);
  // RFC 9207: the answer names its issuer; and the state is the one this app sent.
  if (params.get("state") !== request.state || params.get("iss") !== provider.issuer) return say(t("failed", { why: "state" }), "error");
  try {
    const answer = await tokens({ grant_type: "authorization_code", code: params.get("code"), redirect_uri: here, code_verifier: request.verifier });
    await keep(answer, request.nonce);
  } catch (error) {
    say(t("failed", { why: error.message }), "error");
  }
}

await start();
document.body.dataset.ready = "true";
