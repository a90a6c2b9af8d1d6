//! The pages' own texts (`page.*`), apart from [`MessageKey`](crate::MessageKey) so the widget, which never shows
//! them, does not carry them. The Worker serves both catalogues to the pages at `/api/messages`.

crate::messages::catalogue! {
    /// A text of the pages (`www/`), named in their `data-text` attributes.
    PageKey;

    PageLanguageSwitch = "page.language_switch" { en: "Español", es: "English" },
    PageWorking = "page.working" { en: "Working…", es: "Un momento…" },
    PageNetwork = "page.network" {
        en: "The connection failed. Check your internet connection and try again.",
        es: "La conexión falló. Comprueba tu conexión a internet e inténtalo de nuevo.",
    },
    PageCodeMissing = "page.code_missing" { en: "Enter the code first.", es: "Escribe primero el código." },
    TwoStepTitle = "page.two_step.title" { en: "2-Step Verification", es: "Verificación en 2 pasos" },
    TwoStepIntro = "page.two_step.intro" {
        en: "With 2-Step Verification, logging in takes your password and a code from an authenticator app on your phone. \
             Someone who learns your password, or gets into your email, still cannot get in.",
        es: "Con la verificación en 2 pasos, para entrar hacen falta tu contraseña y un código de una aplicación de \
             autenticación de tu teléfono. Quien averigüe tu contraseña, o entre en tu correo, seguirá sin poder entrar.",
    },
    TwoStepLoginFirst = "page.two_step.login_first" {
        en: "Log in first to manage 2-Step Verification.",
        es: "Inicia sesión primero para gestionar la verificación en 2 pasos.",
    },
    TwoStepLogIn = "page.two_step.log_in" { en: "Log in", es: "Iniciar sesión" },
    TwoStepIsOn = "page.two_step.is_on" {
        en: "2-Step Verification is on.",
        es: "La verificación en 2 pasos está activada.",
    },
    TwoStepIsOff = "page.two_step.is_off" {
        en: "2-Step Verification is off.",
        es: "La verificación en 2 pasos está desactivada.",
    },
    TwoStepCodesLeft = "page.two_step.codes_left" {
        en: "Unused recovery codes: {n}.",
        es: "Códigos de recuperación sin usar: {n}.",
    },
    TwoStepRequiredBy = "page.two_step.required_by" {
        en: "Your organisation requires 2-Step Verification for your account. Turn it on by {date}.",
        es: "Tu organización exige la verificación en 2 pasos para tu cuenta. Actívala antes del {date}.",
    },
    TwoStepRequiredNow = "page.two_step.required_now" {
        en: "Your organisation requires 2-Step Verification for your account. Turn it on to continue.",
        es: "Tu organización exige la verificación en 2 pasos para tu cuenta. Actívala para continuar.",
    },
    TwoStepStart = "page.two_step.start" {
        en: "Turn on 2-Step Verification",
        es: "Activar la verificación en 2 pasos",
    },
    TwoStepScan = "page.two_step.scan" {
        en: "1. Scan this QR code with an authenticator app, such as Google Authenticator, Microsoft Authenticator or \
             1Password.",
        es: "1. Escanea este código QR con una aplicación de autenticación, como Google Authenticator, Microsoft \
             Authenticator o 1Password.",
    },
    TwoStepQrAlt = "page.two_step.qr_alt" {
        en: "QR code to scan with your authenticator app",
        es: "Código QR para escanear con tu aplicación de autenticación",
    },
    TwoStepManual = "page.two_step.manual" {
        en: "Cannot scan it? Type this key into the app instead:",
        es: "¿No puedes escanearlo? Escribe esta clave en la aplicación:",
    },
    TwoStepEnterCode = "page.two_step.enter_code" {
        en: "2. Enter the 6-digit code the app shows.",
        es: "2. Escribe el código de 6 cifras que muestra la aplicación.",
    },
    TwoStepCodeLabel = "page.two_step.code_label" { en: "Code from the app", es: "Código de la aplicación" },
    TwoStepConfirm = "page.two_step.confirm" { en: "Turn on", es: "Activar" },
    TwoStepCodesTitle = "page.two_step.codes_title" {
        en: "Your recovery codes",
        es: "Tus códigos de recuperación",
    },
    TwoStepCodesIntro = "page.two_step.codes_intro" {
        en: "If you lose your phone, each of these codes works once instead of a code from the app. Print them or keep \
             them somewhere safe: this is the only time they are shown.",
        es: "Si pierdes el teléfono, cada uno de estos códigos sirve una vez en lugar de un código de la aplicación. \
             Imprímelos o guárdalos en un lugar seguro: solo se muestran esta vez.",
    },
    TwoStepCodesSaved = "page.two_step.codes_saved" {
        en: "I have saved my recovery codes",
        es: "Ya he guardado mis códigos de recuperación",
    },
    TwoStepManageLabel = "page.two_step.manage_label" {
        en: "Code from the app, or a recovery code",
        es: "Código de la aplicación o un código de recuperación",
    },
    TwoStepRegenerate = "page.two_step.regenerate" {
        en: "Get new recovery codes",
        es: "Obtener nuevos códigos de recuperación",
    },
    TwoStepRegenerateHint = "page.two_step.regenerate_hint" {
        en: "New codes replace the old ones, which stop working.",
        es: "Los códigos nuevos sustituyen a los anteriores, que dejan de funcionar.",
    },
    TwoStepDisable = "page.two_step.disable" {
        en: "Turn off 2-Step Verification",
        es: "Desactivar la verificación en 2 pasos",
    },
    TwoStepDone = "page.two_step.done" {
        en: "2-Step Verification is on. From now on, logging in asks for a code from the app.",
        es: "La verificación en 2 pasos está activada. A partir de ahora, al entrar se te pedirá un código de la \
             aplicación.",
    },
    TwoStepTurnedOff = "page.two_step.turned_off" {
        en: "2-Step Verification is off. Logging in takes only your password now.",
        es: "La verificación en 2 pasos está desactivada. Ahora para entrar solo hace falta tu contraseña.",
    },
    TwoStepContinue = "page.two_step.continue" { en: "Continue", es: "Continuar" },
}

#[cfg(test)]
mod tests {
    use super::PageKey;
    use crate::MessageKey;

    #[test]
    fn page_keys_are_apart_from_message_keys() {
        for key in PageKey::ALL {
            assert!(key.as_str().starts_with("page."), "{key}");
            assert!(key.as_str().parse::<MessageKey>().is_err(), "{key} is in both catalogues");
        }
        assert!(MessageKey::ALL.iter().all(|k| !k.as_str().starts_with("page.")));
    }
}
