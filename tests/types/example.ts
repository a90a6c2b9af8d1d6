// How an integrator's TypeScript uses the widget: type-checked against www/latchkey.d.ts by `scripts/test`. The
// `@ts-expect-error` lines are mistakes the declarations must refuse (an unused one is itself an error).
import { attach, type AttachOptions, type LatchkeyHandle } from "../../www/latchkey.js";

export async function enhance(input: HTMLInputElement, confirm: HTMLInputElement, submit: HTMLButtonElement) {
  const options: AttachOptions = { mode: "new-password", audience: "staff", twoStep: true, locale: "es", confirm };
  const handle: LatchkeyHandle = await attach(input, options);
  await attach(input, { confirm: "#confirm", policy: { rules: {
    min_length: 12, max_length: 128, required_classes: ["digit"], min_score: 3, history_depth: 5,
    token_lifetime_secs: 3600,
  }, audiences: { parent: { min_length: 10 } } } });
  input.addEventListener("latchkey:change", (event) => {
    submit.disabled = !event.detail.acceptable;
    const score: number | null = event.detail.score;
    const unmet: string[] = event.detail.unmet;
    return [score, unmet];
  });
  handle.destroy();

  // @ts-expect-error: an account type latchkey does not have
  await attach(input, { audience: "pupil" });
  // @ts-expect-error: a language the widget does not speak
  await attach(input, { locale: "fr" });
  // @ts-expect-error: the option is twoStep
  await attach(input, { two_step: true });
  // @ts-expect-error: a policy needs its rules
  await attach(input, { policy: { name: "mine" } });
  // @ts-expect-error: the event's detail has no such field
  input.addEventListener("latchkey:change", (event) => event.detail.valid);
}
