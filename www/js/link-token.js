// A mailed link's token travels in the fragment (`#t=…`), so it never reaches a server log or a Referer. The page
// takes it, then drops it from the address bar and the history (keeping the query: the language).
export function takeLinkToken() {
  const token = new URLSearchParams(location.hash.slice(1)).get("t") || "";
  history.replaceState(null, "", location.pathname + location.search);
  return token;
}

// The language switch reloads the page: it takes the token along (only this page ever sees it).
export function keepTokenAcrossLanguages(token) {
  if (token) for (const link of document.querySelectorAll("a[data-language-switch]")) link.hash = "t=" + token;
}
