// Types for the widget's script API (`latchkey.js`), for TypeScript projects that import it:
//   import { attach } from "https://YOUR-LATCHKEY/latchkey.js";
// Copy this file beside your code (or point a `declare module` at it); it is served at /latchkey.d.ts.

/** Whose rules apply, when the policy sets them per account type. */
export type Audience = "staff" | "parent";

/** The widget's languages. */
export type Locale = "en" | "es";

/** A class of characters a policy can require. */
export type CharClass = "lower" | "upper" | "digit" | "special";

/** The policy's rules, as `GET /api/policy` serves them under `policy.rules`. */
export interface PolicyRules {
  min_length: number;
  /** The shorter minimum for an account with 2-Step Verification. */
  min_length_two_step?: number;
  max_length: number;
  required_classes: CharClass[];
  /** zxcvbn's score, 0 to 4. */
  min_score: number;
  history_depth: number;
  token_lifetime_secs: number;
}

/** An inline policy, instead of the server's: checked as strictly (unknown fields are refused). */
export interface Policy {
  name?: string;
  rules: PolicyRules;
  /** Per account type, any of the rules replaced. */
  audiences?: Partial<Record<Audience, Partial<PolicyRules>>>;
}

export interface AttachOptions {
  /** `new-password` (the default): checklist, strength meter, show/hide, Caps Lock; `current-password`: the last two. */
  mode?: "new-password" | "current-password";
  audience?: Audience;
  /** The account uses 2-Step Verification: the policy's `min_length_two_step` applies. */
  twoStep?: boolean;
  /** Otherwise the page's `lang`, otherwise English. */
  locale?: Locale;
  /** The confirmation input, or a selector for it: the widget says whether they match and sets its validity. */
  confirm?: HTMLInputElement | string;
  policy?: Policy;
}

/** What `attach` resolves to. */
export interface LatchkeyHandle {
  /** Takes the widget away and leaves the input as it was. */
  destroy(): void;
}

/** The `detail` of the `latchkey:change` event the input hears at every change. */
export interface LatchkeyChangeDetail {
  /** Every rule met (a rule still waiting for the strength estimate does not count against it). */
  acceptable: boolean;
  /** zxcvbn's score, 0 to 4, once the estimator knows it exactly (null before, and while it shows a lower bound). */
  score: number | null;
  /** The message keys of the rules not met, such as `rule.min_length`. */
  unmet: string[];
}

export type LatchkeyChangeEvent = CustomEvent<LatchkeyChangeDetail>;

/** Enhances one input; rejects with a message (a string starting `latchkey:`) naming what was wrong in the options. */
export function attach(element: HTMLInputElement, options?: AttachOptions): Promise<LatchkeyHandle>;

declare global {
  interface HTMLElementEventMap {
    "latchkey:change": LatchkeyChangeEvent;
  }
}
