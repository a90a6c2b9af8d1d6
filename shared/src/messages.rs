//! The message catalogue: every user-facing text, keyed by a stable message key, in English and Spanish.
//!
//! The API and the evaluation speak in keys (`rule.min_length`), never in prose, so the widget, the pages and the mail
//! templates can all render the same text in the reader's language. A key's text may hold `{n}`, filled by [`render`].
//! The table is made by `catalogue!` (`catalogue.rs`), so a missing translation is a compile error.

pub use crate::catalogue::{Locale, UnknownMessageKey};

crate::catalogue::catalogue! {
    /// A stable message key of the widget, the evaluation and the API's answers (the API's errors are
    /// [`ErrorKey`](crate::ErrorKey)s). Its string form is part of the API: never rename one, only add.
    MessageKey;

    RuleMinLength = "rule.min_length" { en: "At least {n} characters", es: "Al menos {n} caracteres" },
    RuleMaxLength = "rule.max_length" { en: "At most {n} characters", es: "Como máximo {n} caracteres" },
    RuleLower = "rule.lower" { en: "A lower-case letter", es: "Una letra minúscula" },
    RuleUpper = "rule.upper" { en: "An upper-case letter", es: "Una letra mayúscula" },
    RuleDigit = "rule.digit" { en: "A number", es: "Un número" },
    RuleSpecial = "rule.special" {
        en: "A special character, such as ! # € or a space",
        es: "Un carácter especial, como ! # € o un espacio",
    },
    RuleNoControl = "rule.no_control" {
        en: "No invisible control characters",
        es: "Ningún carácter de control invisible",
    },
    RuleMinStrength = "rule.min_strength" {
        en: "Hard to guess (strength {n} of 4 or better)",
        es: "Difícil de adivinar (fortaleza {n} de 4 o más)",
    },
    RuleNotBreached = "rule.not_breached" {
        en: "Not found in a known data breach",
        es: "No aparece en ninguna filtración de datos conocida",
    },

    Strength0 = "strength.0" { en: "Very weak", es: "Muy débil" },
    Strength1 = "strength.1" { en: "Weak", es: "Débil" },
    Strength2 = "strength.2" { en: "Fair", es: "Aceptable" },
    Strength3 = "strength.3" { en: "Strong", es: "Fuerte" },
    Strength4 = "strength.4" { en: "Very strong", es: "Muy fuerte" },


    WarnStraightRows = "warning.straight_rows" {
        en: "Straight rows of keys are easy to guess.",
        es: "Las filas seguidas de teclas son fáciles de adivinar.",
    },
    WarnShortKeyboardPatterns = "warning.short_keyboard_patterns" {
        en: "Short keyboard patterns are easy to guess.",
        es: "Los patrones cortos de teclado son fáciles de adivinar.",
    },
    WarnRepeatsLikeAaa = "warning.repeats_like_aaa" {
        en: "Repeats like \"aaa\" are easy to guess.",
        es: "Las repeticiones como \"aaa\" son fáciles de adivinar.",
    },
    WarnRepeatsLikeAbcAbc = "warning.repeats_like_abcabc" {
        en: "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\".",
        es: "Las repeticiones como \"abcabcabc\" son apenas más difíciles de adivinar que \"abc\".",
    },
    WarnTop10 = "warning.top10" {
        en: "This is one of the 10 most common passwords.",
        es: "Es una de las 10 contraseñas más comunes.",
    },
    WarnTop100 = "warning.top100" {
        en: "This is one of the 100 most common passwords.",
        es: "Es una de las 100 contraseñas más comunes.",
    },
    WarnCommon = "warning.common" {
        en: "This is a very common password.",
        es: "Es una contraseña muy común.",
    },
    WarnSimilarToCommon = "warning.similar_to_common" {
        en: "This is similar to a commonly used password.",
        es: "Se parece a una contraseña muy usada.",
    },
    WarnSequences = "warning.sequences" {
        en: "Sequences like abc or 6543 are easy to guess.",
        es: "Las secuencias como abc o 6543 son fáciles de adivinar.",
    },
    WarnRecentYears = "warning.recent_years" {
        en: "Recent years are easy to guess.",
        es: "Los años recientes son fáciles de adivinar.",
    },
    WarnWordByItself = "warning.word_by_itself" {
        en: "A word by itself is easy to guess.",
        es: "Una palabra sola es fácil de adivinar.",
    },
    WarnDates = "warning.dates" {
        en: "Dates are often easy to guess.",
        es: "Las fechas suelen ser fáciles de adivinar.",
    },
    WarnNamesByThemselves = "warning.names_by_themselves" {
        en: "Names and surnames by themselves are easy to guess.",
        es: "Los nombres y apellidos solos son fáciles de adivinar.",
    },
    WarnCommonNames = "warning.common_names" {
        en: "Common names and surnames are easy to guess.",
        es: "Los nombres y apellidos comunes son fáciles de adivinar.",
    },

    SuggestFewWords = "suggestion.few_words" {
        en: "Use a few words, and avoid common phrases.",
        es: "Usa varias palabras y evita frases comunes.",
    },
    SuggestNoNeedForSymbols = "suggestion.no_need_for_symbols" {
        en: "No need for symbols, digits or upper-case letters.",
        es: "No hacen falta símbolos, números ni mayúsculas.",
    },
    SuggestAddWord = "suggestion.add_word" {
        en: "Add another word or two. Uncommon words are better.",
        es: "Añade una o dos palabras más. Mejor si son poco comunes.",
    },
    SuggestCapitalization = "suggestion.capitalization" {
        en: "Capitalization doesn't help very much.",
        es: "Usar mayúsculas no ayuda mucho.",
    },
    SuggestAllUppercase = "suggestion.all_uppercase" {
        en: "All upper case is almost as easy to guess as all lower case.",
        es: "Todo en mayúsculas es casi tan fácil de adivinar como todo en minúsculas.",
    },
    SuggestReversedWords = "suggestion.reversed_words" {
        en: "Reversed words aren't much harder to guess.",
        es: "Las palabras al revés no son mucho más difíciles de adivinar.",
    },
    SuggestSubstitutions = "suggestion.substitutions" {
        en: "Predictable substitutions like '@' instead of 'a' don't help very much.",
        es: "Las sustituciones previsibles, como '@' en lugar de 'a', no ayudan mucho.",
    },
    SuggestLongerKeyboardPattern = "suggestion.longer_keyboard_pattern" {
        en: "Use a longer keyboard pattern with more turns.",
        es: "Usa un patrón de teclado más largo y con más giros.",
    },
    SuggestAvoidRepeats = "suggestion.avoid_repeats" {
        en: "Avoid repeated words and characters.",
        es: "Evita palabras y caracteres repetidos.",
    },
    SuggestAvoidSequences = "suggestion.avoid_sequences" { en: "Avoid sequences.", es: "Evita las secuencias." },
    SuggestAvoidRecentYears = "suggestion.avoid_recent_years" {
        en: "Avoid recent years.",
        es: "Evita los años recientes.",
    },
    SuggestAvoidPersonalYears = "suggestion.avoid_personal_years" {
        en: "Avoid years that are associated with you.",
        es: "Evita los años relacionados contigo.",
    },
    SuggestAvoidPersonalDates = "suggestion.avoid_personal_dates" {
        en: "Avoid dates and years that are associated with you.",
        es: "Evita las fechas y los años relacionados contigo.",
    },

    ResetAccepted = "reset.accepted" {
        en: "If an account with that email exists, we have sent it a reset link. Check your spam folder too. Only the newest link works.",
        es: "Si existe una cuenta con ese correo, le hemos enviado un enlace. Revisa también la carpeta de spam. Solo funciona el enlace más reciente.",
    },
    AudienceStaff = "audience.staff" { en: "staff", es: "personal" },
    AudienceParent = "audience.parent" { en: "parent", es: "familia" },

    WidgetChecklistHeading = "widget.checklist_heading" {
        en: "Your new password needs:",
        es: "Tu nueva contraseña necesita:",
    },
    WidgetRuleMet = "widget.rule_met" { en: "done", es: "cumplido" },
    WidgetRuleUnmet = "widget.rule_unmet" { en: "not yet", es: "todavía no" },
    WidgetRulePending = "widget.rule_pending" { en: "checking…", es: "comprobando…" },
    WidgetStrength = "widget.strength" { en: "Strength: {n} of 4", es: "Fortaleza: {n} de 4" },
    WidgetSummary = "widget.summary" {
        en: "{met} of {total} requirements met.",
        es: "{met} de {total} requisitos cumplidos.",
    },
    WidgetShowPassword = "widget.show_password" { en: "Show password", es: "Mostrar contraseña" },
    WidgetHidePassword = "widget.hide_password" { en: "Hide password", es: "Ocultar contraseña" },
    WidgetCapsLock = "widget.caps_lock" {
        en: "Caps Lock is on: passwords are case-sensitive.",
        es: "Bloq Mayús está activado: las contraseñas distinguen mayúsculas y minúsculas.",
    },
    WidgetConfirmMatch = "widget.confirm_match" { en: "The passwords match.", es: "Las contraseñas coinciden." },
    WidgetConfirmMismatch = "widget.confirm_mismatch" {
        en: "The passwords do not match yet.",
        es: "Las contraseñas todavía no coinciden.",
    },
    WidgetInvalid = "widget.invalid" {
        en: "This password does not meet the requirements yet.",
        es: "Esta contraseña todavía no cumple los requisitos.",
    },
    WidgetPolicyUnavailable = "widget.policy_unavailable" {
        en: "The password requirements could not be loaded. The server will still check your password.",
        es: "No se pudieron cargar los requisitos de la contraseña. El servidor la comprobará igualmente.",
    },

}

impl MessageKey {
    /// The text in `locale` with `{n}` filled in.
    pub fn render(self, locale: Locale, n: Option<u64>) -> String {
        match n {
            Some(n) => self.render_with(locale, &[("n", &n.to_string())]),
            None => self.text(locale).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_named_in_the_texts() {
        assert_eq!(MessageKey::WidgetSummary.placeholders(Locale::Es), ["met", "total"]);
        let serialized = serde_json::to_string(&MessageKey::RuleDigit).unwrap();
        assert_eq!(serde_json::from_str::<MessageKey>(&serialized).unwrap(), MessageKey::RuleDigit);
    }

    #[test]
    fn render_fills_the_count() {
        assert_eq!(MessageKey::RuleMinLength.render(Locale::En, Some(12)), "At least 12 characters");
        assert_eq!(MessageKey::RuleMinLength.render(Locale::Es, Some(8)), "Al menos 8 caracteres");
        let summary = MessageKey::WidgetSummary.render_with(Locale::Es, &[("met", "3"), ("total", "5")]);
        assert_eq!(summary, "3 de 5 requisitos cumplidos.");
    }
}
