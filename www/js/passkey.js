// Passkeys in the pages: WebAuthn's JSON forms to and from the browser's objects, a sign-in answer for a ceremony
// the API began, and a new passkey. Browsers with the JSON helpers (parse…FromJSON, toJSON) use them; older ones get
// the same conversion here.
import { api } from "./api.js";

export function supported() {
  return typeof window.PublicKeyCredential === "function" && Boolean(navigator.credentials);
}

// Whether the browser offers passkeys in the email field's autofill (conditional mediation).
export async function autofillSupported() {
  if (!supported() || typeof PublicKeyCredential.isConditionalMediationAvailable !== "function") return false;
  try {
    return await PublicKeyCredential.isConditionalMediationAvailable();
  } catch {
    return false;
  }
}

function bytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function text(buffer) {
  if (!buffer) return null;
  let raw = "";
  for (const byte of new Uint8Array(buffer)) raw += String.fromCharCode(byte);
  return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function requestOptions(options) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
    return PublicKeyCredential.parseRequestOptionsFromJSON(options);
  }
  return {
    ...options,
    challenge: bytes(options.challenge),
    allowCredentials: (options.allowCredentials || []).map((c) => ({ ...c, id: bytes(c.id) })),
  };
}

function creationOptions(options) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
    return PublicKeyCredential.parseCreationOptionsFromJSON(options);
  }
  return {
    ...options,
    challenge: bytes(options.challenge),
    user: { ...options.user, id: bytes(options.user.id) },
    excludeCredentials: options.excludeCredentials.map((c) => ({ ...c, id: bytes(c.id) })),
  };
}

function asJSON(credential) {
  if (typeof credential.toJSON === "function") return credential.toJSON();
  const r = credential.response;
  const response = { clientDataJSON: text(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = text(r.attestationObject);
    response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
  } else {
    response.authenticatorData = text(r.authenticatorData);
    response.signature = text(r.signature);
    response.userHandle = text(r.userHandle);
  }
  return { id: credential.id, rawId: credential.id, type: credential.type, response };
}

// A passkey's answer to a new ceremony for `purpose` ("login" or "second_step"): { ok, proof } with the proof to
// send where a code would go, { ok: false, cancelled } when the person closed the browser's dialog (or the autofill
// request was aborted), { ok: false, error } when the API refused.
export async function answer(purpose, { mediation, signal } = {}) {
  const begun = await api("POST", "/api/passkeys/challenge", { purpose });
  if (!begun.ok) return { ok: false, error: begun.error };
  try {
    const publicKey = requestOptions(begun.data.options);
    const credential = await navigator.credentials.get({ publicKey, mediation, signal });
    if (!credential) return { ok: false, cancelled: true };
    return { ok: true, proof: { ceremony: begun.data.ceremony, credential: asJSON(credential) } };
  } catch {
    return { ok: false, cancelled: true };
  }
}

// Makes a passkey for the logged-in account: { ok, data } with the list (and recovery codes, if it turned 2-Step
// Verification on), { ok: false, cancelled }, or the API's refusal (the options' or the registration's). The welcome
// page begins and finishes it elsewhere (with the invitation's link instead of a session): `begin` asks for the
// options, `finish` sends the new passkey.
export async function create({
  begin = () => api("POST", "/api/passkeys/registration-options"),
  finish = (made) => api("POST", "/api/passkeys", made),
} = {}) {
  const begun = await begin();
  if (!begun.ok) return begun;
  let credential;
  try {
    credential = await navigator.credentials.create({ publicKey: creationOptions(begun.data.options) });
  } catch {
    return { ok: false, cancelled: true };
  }
  if (!credential) return { ok: false, cancelled: true };
  return finish({ ceremony: begun.data.ceremony, credential: asJSON(credential) });
}
