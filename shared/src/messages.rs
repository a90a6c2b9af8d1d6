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
    WidgetStrengthChecking = "widget.strength_checking" {
        en: "Strength: at least {n} of 4, still checking…",
        es: "Fortaleza: al menos {n} de 4; aún comprobando…",
    },
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
