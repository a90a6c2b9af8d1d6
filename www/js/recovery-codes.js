// The recovery codes, shown once — on the 2-Step Verification page, and on the welcome page when a passkey set the
// account up: one list item each, as code, and the "I saved them" button focused.
export function showRecoveryCodes(codes) {
  document.getElementById("code-list").replaceChildren(...codes.map((code) => {
    const item = document.createElement("li");
    const text = document.createElement("code");
    text.textContent = code;
    item.append(text);
    return item;
  }));
  document.getElementById("codes").hidden = false;
  document.getElementById("codes-saved").focus();
}
