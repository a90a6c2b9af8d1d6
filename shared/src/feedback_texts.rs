//! The estimator's feedback — zxcvbn's warnings and suggestions — in English and Spanish, apart from
//! [`MessageKey`](crate::MessageKey): only the estimator renders them (in the widget, its Web Worker), so the texts
//! travel with it and not in the widget's first download.

crate::catalogue::catalogue! {
    /// A warning or a suggestion about a password's strength. Its string form is part of the estimator's answers and of
    /// `/api/messages`: never rename one, only add.
    FeedbackKey;

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
}
