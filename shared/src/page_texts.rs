//! The pages' own texts (`page.*`), apart from [`MessageKey`](crate::MessageKey) so the widget, which never shows
//! them, does not carry them. The Worker serves both catalogues to the pages at `/api/messages`.

crate::catalogue::catalogue! {
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
    TwoStepReauthIntro = "page.two_step.reauth_intro" {
        en: "For your safety, enter your password again before changing 2-Step Verification.",
        es: "Por tu seguridad, vuelve a escribir tu contraseña antes de cambiar la verificación en 2 pasos.",
    },
    TwoStepReauthButton = "page.two_step.reauth_button" { en: "Confirm password", es: "Confirmar contraseña" },
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

    // Shared by the login, restore and reset pages.
    PageFailed = "page.failed" { en: "Something went wrong. Try again.", es: "Algo salió mal. Inténtalo de nuevo." },
    PageStaff = "page.audience.staff" { en: "Staff", es: "Personal" },
    PageParent = "page.audience.parent" { en: "Parent", es: "Familia" },
    PageEmail = "page.email" { en: "Email", es: "Correo electrónico" },
    PagePassword = "page.password" { en: "Password", es: "Contraseña" },
    PageCodeLabel = "page.code_label" {
        en: "Code from your authenticator app",
        es: "Código de tu aplicación de autenticación",
    },

    LoginTitle = "page.login.title" { en: "Log in", es: "Iniciar sesión" },
    LoginIAm = "page.login.i_am" { en: "I am", es: "Soy" },
    LoginEmailHint = "page.login.email_hint" {
        en: "Use the email from your invitation. It can differ from the contact email on your profile.",
        es: "Usa el correo de tu invitación. Puede ser distinto del correo de contacto de tu perfil.",
    },
    LoginCodeHint = "page.login.code_hint" {
        en: "Your account uses 2-Step Verification. Lost your phone? Enter one of your recovery codes instead.",
        es: "Tu cuenta usa la verificación en 2 pasos. ¿Perdiste el teléfono? Escribe uno de tus códigos de \
             recuperación.",
    },
    LoginButton = "page.login.button" { en: "Log in", es: "Entrar" },
    LoginMissing = "page.login.missing" { en: "To log in, {what}.", es: "Para entrar, {what}." },
    LoginMissingAudience = "page.login.missing_audience" {
        en: "choose Staff or Parent",
        es: "elige Personal o Familia",
    },
    LoginMissingEmail = "page.login.missing_email" { en: "enter your email", es: "escribe tu correo" },
    LoginMissingPassword = "page.login.missing_password" { en: "enter your password", es: "escribe tu contraseña" },
    LoginMissingCode = "page.login.missing_code" {
        en: "enter the code from your app",
        es: "escribe el código de tu aplicación",
    },
    LoginSignedIn = "page.login.signed_in" {
        en: "You are logged in as {name}.",
        es: "Has iniciado sesión como {name}.",
    },
    LoginTwoStepOff = "page.login.two_step_off" {
        en: "2-Step Verification is off. Turn it on so a stolen password alone cannot get into your account.",
        es: "La verificación en 2 pasos está desactivada. Actívala para que una contraseña robada no baste para \
             entrar en tu cuenta.",
    },
    LoginManageTwoStep = "page.login.manage_two_step" {
        en: "Manage 2-Step Verification",
        es: "Gestionar la verificación en 2 pasos",
    },
    LoginChangePassword = "page.login.change_password" { en: "Change password", es: "Cambiar la contraseña" },
    LoginLogOut = "page.login.log_out" { en: "Log out", es: "Cerrar sesión" },
    LoginLoggingIn = "page.login.logging_in" { en: "Logging in…", es: "Entrando…" },
    LoginLoggedOut = "page.login.logged_out" { en: "You are logged out.", es: "Has cerrado la sesión." },
    LoginResetDone = "page.login.reset_done" {
        en: "Your password was changed. Log in with the new one.",
        es: "Tu contraseña se cambió. Entra con la nueva.",
    },
    LoginForgot = "page.login.forgot" { en: "Forgot password? Reset", es: "¿Olvidaste la contraseña? Restablécela" },
    LoginCapsHint = "page.login.caps_hint" {
        en: "Can't log in after a reset? Check Caps Lock, and that you chose Staff or Parent as on your account.",
        es: "¿No puedes entrar después de restablecerla? Revisa el Bloq Mayús y que elegiste Personal o Familia como \
             en tu cuenta.",
    },

    RestoreTitle = "page.restore.title" { en: "Reset your password", es: "Restablece tu contraseña" },
    RestoreIntro = "page.restore.intro" {
        en: "Enter the email you log in with. We will send you a link to choose a new password.",
        es: "Escribe el correo con el que entras. Te enviaremos un enlace para elegir una contraseña nueva.",
    },
    RestoreAccountIs = "page.restore.account_is" { en: "My account is a", es: "Mi cuenta es de" },
    RestoreStaff = "page.restore.staff" { en: "Staff account", es: "Personal" },
    RestoreParent = "page.restore.parent" { en: "Parent account", es: "Familia" },
    RestoreSend = "page.restore.send" { en: "Send the reset link", es: "Enviar el enlace" },
    RestoreSent = "page.restore.sent" {
        en: "If an account matches {email}, we have sent it an email with a link to reset the password.",
        es: "Si hay una cuenta con {email}, le hemos enviado un correo con un enlace para restablecer la contraseña.",
    },
    RestoreSentWait = "page.restore.sent_wait" {
        en: "It can take a few minutes. *Check your spam folder* too.",
        es: "Puede tardar unos minutos. *Revisa también la carpeta de spam*.",
    },
    RestoreSentNewest = "page.restore.sent_newest" {
        en: "Only the *newest* link works: if you ask again, use the latest email.",
        es: "Solo funciona el enlace *más reciente*: si lo pides otra vez, usa el último correo.",
    },
    RestoreSentOnce = "page.restore.sent_once" {
        en: "The link works once, for a limited time.",
        es: "El enlace funciona una sola vez, durante un tiempo limitado.",
    },
    RestoreResend = "page.restore.resend" { en: "Resend the email", es: "Reenviar el correo" },
    RestoreResendIn = "page.restore.resend_in" { en: "Resend the email ({n} s)", es: "Reenviar el correo ({n} s)" },
    RestoreBack = "page.restore.back" { en: "Back to log in", es: "Volver a iniciar sesión" },
    RestoreChallengeUnavailable = "page.restore.challenge_unavailable" {
        en: "The anti-robot check could not load. Check your connection and reload the page.",
        es: "La comprobación antirrobots no se pudo cargar. Revisa tu conexión y vuelve a cargar la página.",
    },
    RestoreChallengeFirst = "page.restore.challenge_first" {
        en: "Complete the check that you are not a robot first.",
        es: "Completa primero la comprobación de que no eres un robot.",
    },
    RestoreSending = "page.restore.sending" { en: "Sending…", es: "Enviando…" },
    RestoreIncomplete = "page.restore.incomplete" {
        en: "Choose Staff or Parent and enter the email you log in with.",
        es: "Elige Personal o Familia y escribe el correo con el que entras.",
    },
    RestoreResent = "page.restore.resent" {
        en: "We sent another email. Only the newest link works.",
        es: "Hemos enviado otro correo. Solo funciona el enlace más reciente.",
    },

    ResetTitle = "page.reset.title" { en: "Choose a new password", es: "Elige una contraseña nueva" },
    ResetNewPassword = "page.reset.new_password" { en: "New password", es: "Contraseña nueva" },
    ResetAgain = "page.reset.again" { en: "Type it again", es: "Escríbela otra vez" },
    ResetCodeHint = "page.reset.code_hint" {
        en: "Your account uses 2-Step Verification, so changing the password takes a code too. Lost your phone? Enter \
             one of your recovery codes.",
        es: "Tu cuenta usa la verificación en 2 pasos, así que cambiar la contraseña también pide un código. \
             ¿Perdiste el teléfono? Escribe uno de tus códigos de recuperación.",
    },
    ResetSave = "page.reset.save" { en: "Save the new password", es: "Guardar la contraseña nueva" },
    ResetSaveHint = "page.reset.save_hint" {
        en: "Saving logs you out everywhere. You will then log in with the new password.",
        es: "Al guardarla se cierra tu sesión en todas partes. Después entrarás con la contraseña nueva.",
    },
    ResetAskNew = "page.reset.ask_new" { en: "Ask for a new link", es: "Pedir un enlace nuevo" },
    ResetDone = "page.reset.done" {
        en: "*Your password was changed.* Every device that was logged in has been logged out.",
        es: "*Tu contraseña se cambió.* Se ha cerrado la sesión en todos los dispositivos.",
    },
    ResetLogIn = "page.reset.log_in" { en: "Log in with the new password", es: "Entrar con la contraseña nueva" },
    ResetExpired = "page.reset.expired" {
        en: "This link has expired. Reset links work for a limited time.",
        es: "Este enlace ha caducado. Los enlaces para restablecer funcionan durante un tiempo limitado.",
    },
    ResetSuperseded = "page.reset.superseded" {
        en: "A newer reset email was sent after this one. Only the newest link works: use the latest email, or ask \
             for a new one.",
        es: "Después de este se envió un correo más reciente. Solo funciona el enlace más reciente: usa el último \
             correo o pide uno nuevo.",
    },
    ResetUsed = "page.reset.used" {
        en: "This link has already been used to set a password. If that was not you, ask for a new link now.",
        es: "Este enlace ya se usó para poner una contraseña. Si no fuiste tú, pide un enlace nuevo ahora.",
    },
    ResetInvalid = "page.reset.invalid" {
        en: "This link is not valid. It may be incomplete: copy the whole link from the email, or ask for a new one.",
        es: "Este enlace no es válido. Puede estar incompleto: copia el enlace entero del correo o pide uno nuevo.",
    },
    ResetMismatch = "page.reset.mismatch" {
        en: "The two passwords do not match. Check Caps Lock and type them again.",
        es: "Las dos contraseñas no coinciden. Revisa el Bloq Mayús y escríbelas otra vez.",
    },
    ResetCodeNeeded = "page.reset.code_needed" {
        en: "Enter the code from your authenticator app, or a recovery code.",
        es: "Escribe el código de tu aplicación de autenticación o un código de recuperación.",
    },
    ResetSaving = "page.reset.saving" { en: "Saving…", es: "Guardando…" },
    ResetCheckList = "page.reset.check_list" {
        en: "Check the list under the password.",
        es: "Revisa la lista bajo la contraseña.",
    },

    // The password page, for someone logged in.
    PasswordTitle = "page.password.title" { en: "Change your password", es: "Cambia tu contraseña" },
    PasswordLoginFirst = "page.password.login_first" {
        en: "Log in first to change your password. Forgot it? Ask for a reset link instead.",
        es: "Inicia sesión primero para cambiar tu contraseña. ¿La olvidaste? Pide un enlace para restablecerla.",
    },
    PasswordCurrent = "page.password.current" { en: "Current password", es: "Contraseña actual" },
    PasswordSave = "page.password.save" { en: "Change the password", es: "Cambiar la contraseña" },
    PasswordSaveHint = "page.password.save_hint" {
        en: "Your other devices will be logged out; you stay logged in here.",
        es: "Se cerrará la sesión en tus otros dispositivos; aquí sigues conectado.",
    },
    PasswordMissing = "page.password.missing" {
        en: "Type your current password, then the new one twice.",
        es: "Escribe tu contraseña actual y después la nueva dos veces.",
    },
    PasswordDone = "page.password.done" {
        en: "*Your password was changed.* Your other devices have been logged out, and we emailed you a notice.",
        es: "*Tu contraseña se cambió.* Se cerró la sesión en tus otros dispositivos y te enviamos un aviso por correo.",
    },
    PasswordBack = "page.password.back" { en: "Back to your account", es: "Volver a tu cuenta" },
    PasswordWhyPolicy = "page.password.why.policy" {
        en: "Our password requirements have changed, and your password no longer meets them. Choose a new one to go on.",
        es: "Los requisitos de la contraseña han cambiado y la tuya ya no los cumple. Elige una nueva para continuar.",
    },
    PasswordWhyBreached = "page.password.why.breached" {
        en: "Your password appeared in a data breach on another website, so it is no longer safe. Choose a new one to go on.",
        es: "Tu contraseña apareció en una filtración de datos de otro sitio web, así que ya no es segura. Elige una nueva para continuar.",
    },
    PasswordWhyRequired = "page.password.why.required" {
        en: "Your school asks everyone to choose a new password that meets its updated requirements. Choose one to go on.",
        es: "Tu centro pide a todos que elijan una contraseña nueva que cumpla sus requisitos actualizados. Elige una para continuar.",
    },
    PasswordWhyRequiredBy = "page.password.why.required_by" {
        en: "Your school asks everyone to choose a new password that meets its updated requirements, by {date}. Until then you may go on with the current one.",
        es: "Tu centro pide a todos que elijan una contraseña nueva que cumpla sus requisitos actualizados, antes del {date}. Hasta entonces puedes seguir con la actual.",
    },
    PasswordRequirementsLink = "page.password.requirements_link" {
        en: "See the requirements (to print)",
        es: "Ver los requisitos (para imprimir)",
    },
    LoginChangeNow = "page.login.change_now" { en: "Change it now", es: "Cámbiala ahora" },

    // The printable requirements.
    RequirementsTitle = "page.requirements.title" { en: "Password requirements", es: "Requisitos de la contraseña" },
    RequirementsIntro = "page.requirements.intro" {
        en: "A new password must meet every requirement below. The form that asks for it ticks them off as you type.",
        es: "Una contraseña nueva debe cumplir todos los requisitos de abajo. El formulario que la pide los marca \
             mientras escribes.",
    },
    RequirementsStaff = "page.requirements.staff" { en: "For staff", es: "Para el personal" },
    RequirementsParent = "page.requirements.parent" { en: "For parents and families", es: "Para las familias" },
    RequirementsTwoStep = "page.requirements.two_step" {
        en: "With 2-Step Verification on, {n} characters are enough.",
        es: "Con la verificación en 2 pasos activada, bastan {n} caracteres.",
    },
    RequirementsHistory = "page.requirements.history" {
        en: "It cannot be one of your last {n} passwords.",
        es: "No puede ser una de tus últimas {n} contraseñas.",
    },
    RequirementsWhere = "page.requirements.where" {
        en: "Change your password at {change}. Forgot it? Reset it at {reset}.",
        es: "Cambia tu contraseña en {change}. ¿La olvidaste? Restablécela en {reset}.",
    },
    RequirementsPrint = "page.requirements.print" { en: "Print", es: "Imprimir" },

    NotFoundTitle = "page.not_found.title" { en: "This page does not exist", es: "Esta página no existe" },
    NotFoundHome = "page.not_found.home" { en: "Go to the start page", es: "Ir a la página de inicio" },

    AppLogInTo = "page.app.log_in_to" { en: "Log in to {app}", es: "Inicia sesión en {app}" },
    AppLoggingInTo = "page.app.logging_in_to" {
        en: "{app} asks you to log in with your school account. You will go back to it afterwards.",
        es: "{app} te pide que inicies sesión con tu cuenta del colegio. Después volverás a la aplicación.",
    },
    AppErrorTitle = "page.app.error_title" {
        en: "This app's login link does not work",
        es: "El enlace de inicio de sesión de esta aplicación no funciona",
    },
    AppErrorIncomplete = "page.app.error_incomplete" {
        en: "The link is incomplete: it does not say which app it is for, or where to go back to.",
        es: "El enlace está incompleto: no dice para qué aplicación es, o adónde volver.",
    },
    AppErrorUnknown = "page.app.error_unknown" {
        en: "The app that sent you here is not registered with this site.",
        es: "La aplicación que te trajo aquí no está registrada en este sitio.",
    },
    AppErrorRedirect = "page.app.error_redirect" {
        en: "The app asked to send you back to an address it has not registered, so you were not sent there.",
        es: "La aplicación pidió devolverte a una dirección que no ha registrado, así que no se te envió allí.",
    },
    AppErrorOff = "page.app.error_off" {
        en: "Logging in to other apps is not set up on this site.",
        es: "El inicio de sesión en otras aplicaciones no está configurado en este sitio.",
    },
    AppErrorHelp = "page.app.error_help" {
        en: "Go back to the app and try again. If it keeps happening, tell the school office what this page says.",
        es: "Vuelve a la aplicación e inténtalo de nuevo. Si sigue pasando, cuéntale a la secretaría del colegio lo que dice esta página.",
    },
    AppLogoutTitle = "page.app.logout_title" { en: "Log out", es: "Cerrar sesión" },
    AppLogoutConfirm = "page.app.logout_confirm" {
        en: "Log out of this site and of the apps you logged in to with it?",
        es: "¿Cerrar sesión en este sitio y en las aplicaciones en las que entraste con él?",
    },
    AppLogoutButton = "page.app.logout_button" { en: "Log out", es: "Cerrar sesión" },
    AppLoggedOut = "page.app.logged_out" {
        en: "You are logged out of this site and of the apps you logged in to with it.",
        es: "Has cerrado sesión en este sitio y en las aplicaciones en las que entraste con él.",
    },
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

    /// Every text a page names — each `"page.…"` in its HTML (`data-text`) and its scripts — is in the catalogue, so
    /// no page shows a bare key in either language. (Scripts name keys whole, never built from pieces, for this.)
    #[test]
    fn every_text_the_pages_name_is_in_a_catalogue() {
        let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../www");
        let mut named = Vec::new();
        let mut pages = 0;
        for dir in [www.clone(), www.join("js")] {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                let source = match path.extension().and_then(|e| e.to_str()) {
                    Some("html" | "js") => std::fs::read_to_string(&path).unwrap(),
                    _ => continue,
                };
                pages += 1;
                for piece in source.split("\"page.").skip(1) {
                    let key = format!("page.{}", piece.split('"').next().unwrap_or_default());
                    named.push((path.file_name().unwrap().to_string_lossy().into_owned(), key));
                }
            }
        }
        assert!(pages >= 10 && named.len() > 80, "the pages were read: {pages} files, {} texts", named.len());
        let missing: Vec<_> = named.iter().filter(|(_, key)| key.parse::<PageKey>().is_err()).collect();
        assert!(missing.is_empty(), "not in a catalogue: {missing:?}");
    }
}
