// Logging in to an app (OpenID Connect): /oauth2/authorize sends the person to the login page — or, first, to set up
// 2-Step Verification or choose a new password — with `continue`, the request to go back to once done. The console
// (/admin) does the same. Only those paths on this site are followed, so the parameter cannot send anyone elsewhere.

export function continueTo() {
  const target = new URLSearchParams(location.search).get("continue");
  return target && (target.startsWith("/oauth2/authorize?") || target === "/admin") ? target : null;
}

// `page` with what the person came with: the app's request to go back to, the app, the language.
export function carry(page) {
  const here = new URLSearchParams(location.search);
  const params = new URLSearchParams();
  for (const name of ["continue", "app", "lang"]) {
    if (here.get(name) && (name !== "continue" || continueTo())) params.set(name, here.get(name));
  }
  const query = params.toString();
  return page + (query ? "?" + query : "");
}
