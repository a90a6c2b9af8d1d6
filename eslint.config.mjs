// ESLint for the pages' scripts and the widget's loader (www/), and the demo app (demo/): ES modules in the browser, ESLint's recommended rules
// plus the few that keep this code honest. Run by scripts/test.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["www/widget/**"] },
  js.configs.recommended,
  {
    files: ["www/**/*.js", "demo/**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
    },
  },
  {
    files: ["demo/serve.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.node } },
  },
];
