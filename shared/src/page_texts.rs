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
    PageStaffAccount = "page.audience.staff_account" { en: "staff", es: "personal" },
    PageParentAccount = "page.audience.parent_account" { en: "parent", es: "familia" },
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
    LoginHello = "page.login.hello" { en: "Hello, {name}", es: "Hola, {name}" },
    LoginConsole = "page.login.console" {
        en: "Open the accounts console",
        es: "Abrir la consola de cuentas",
    },
    LoginLoggingIn = "page.login.logging_in" { en: "Logging in…", es: "Entrando…" },
    LoginLoggedOut = "page.login.logged_out" { en: "You are logged out.", es: "Has cerrado la sesión." },
    LoginResetDone = "page.login.reset_done" {
        en: "Your password was changed. Log in with the new one.",
        es: "Tu contraseña se cambió. Entra con la nueva.",
    },
    LoginResetDoneFor = "page.login.reset_done_for" {
        en: "Your password was changed. Type the new one to log in to your {audience} account.",
        es: "Tu contraseña se cambió. Escribe la nueva para entrar en tu cuenta de {audience}.",
    },
    LoginPasskey = "page.login.passkey" { en: "Log in with a passkey", es: "Entrar con una llave de acceso" },
    LoginPasskeyHint = "page.login.passkey_hint" {
        en: "A passkey logs you in with your phone's or computer's screen lock: no password to type.",
        es: "Una llave de acceso te deja entrar con el bloqueo de pantalla de tu móvil u ordenador, sin escribir contraseña.",
    },
    LoginPasskeyInstead = "page.login.passkey_instead" {
        en: "Use a passkey instead",
        es: "Usar una llave de acceso",
    },
    LoginPasskeyCancelled = "page.login.passkey_cancelled" {
        en: "No passkey was used. Try again, or enter the code.",
        es: "No se usó ninguna llave de acceso. Inténtalo de nuevo o escribe el código.",
    },
    TwoStepAddApp = "page.two_step.add_app" {
        en: "Also use an authenticator app",
        es: "Usar también una aplicación de autenticación",
    },
    PasskeysTitle = "page.passkeys.title" { en: "Passkeys", es: "Llaves de acceso" },
    PasskeysIntro = "page.passkeys.intro" {
        en: "A passkey lets you log in with the fingerprint, face or screen lock of a phone or computer you use, with no \
             password and no code. Each passkey also counts as the second step of 2-Step Verification.",
        es: "Una llave de acceso te deja entrar con la huella, la cara o el bloqueo de pantalla de un móvil u ordenador \
             que uses, sin contraseña ni código. Cada llave cuenta también como segundo paso de la verificación en 2 pasos.",
    },
    PasskeysNone = "page.passkeys.none" { en: "No passkeys yet.", es: "Todavía no hay llaves de acceso." },
    PasskeysAdd = "page.passkeys.add" { en: "Add a passkey", es: "Añadir una llave de acceso" },
    PasskeysUnsupported = "page.passkeys.unsupported" {
        en: "This browser cannot make passkeys. Try the browser your phone came with.",
        es: "Este navegador no puede crear llaves de acceso. Prueba con el navegador que traía tu móvil.",
    },
    PasskeysAdded = "page.passkeys.added" { en: "Passkey added.", es: "Llave de acceso añadida." },
    PasskeysRemoved = "page.passkeys.removed" { en: "Passkey removed.", es: "Llave de acceso quitada." },
    PasskeysRenamed = "page.passkeys.renamed" { en: "Passkey renamed.", es: "Llave de acceso renombrada." },
    PasskeysCancelled = "page.passkeys.cancelled" {
        en: "No passkey was made. Try again when you are ready.",
        es: "No se creó ninguna llave de acceso. Inténtalo de nuevo cuando quieras.",
    },
    PasskeysCreated = "page.passkeys.created" { en: "Added {date}", es: "Añadida el {date}" },
    PasskeysUsed = "page.passkeys.used" { en: "last used {date}", es: "último uso el {date}" },
    PasskeysNeverUsed = "page.passkeys.never_used" { en: "not used yet", es: "sin usar todavía" },
    PasskeysRename = "page.passkeys.rename" { en: "Rename", es: "Renombrar" },
    PasskeysRemove = "page.passkeys.remove" { en: "Remove", es: "Quitar" },
    PasskeysNameLabel = "page.passkeys.name_label" { en: "New name for {name}", es: "Nuevo nombre para {name}" },
    PasskeysSave = "page.passkeys.save" { en: "Save", es: "Guardar" },
    PasskeysConfirmLast = "page.passkeys.confirm_last" {
        en: "This is your last second step: removing it turns 2-Step Verification off. Confirm with this passkey.",
        es: "Es tu último segundo paso: quitarla desactiva la verificación en 2 pasos. Confírmalo con esta llave.",
    },
    ResetPasskey = "page.reset.passkey" {
        en: "Save with a passkey instead of a code",
        es: "Guardar con una llave de acceso en lugar de un código",
    },
    LoginForgot = "page.login.forgot" { en: "Forgot password? Reset", es: "¿Olvidaste la contraseña? Restablécela" },
    LoginCapsHint = "page.login.caps_hint" {
        en: "Can't log in after a reset? Check Caps Lock, and that you chose Staff or Parent as on your account.",
        es: "¿No puedes entrar después de restablecerla? Revisa el Bloq Mayús y que elegiste Personal o Familia como \
             en tu cuenta.",
    },

    RestoreTitle = "page.restore.title" { en: "Reset your password", es: "Restablece tu contraseña" },
    RestoreIntro = "page.restore.intro" {
        en: "Enter the email that is associated with your account, then press Continue. We will send you a link to choose a new password.",
        es: "Escribe el correo asociado a tu cuenta y pulsa Continuar. Te enviaremos un enlace para elegir una contraseña nueva.",
    },
    RestoreSend = "page.restore.send" { en: "Continue", es: "Continuar" },
    RestoreSent = "page.restore.sent" {
        en: "If an account logs in with {email}, we have sent an email there with a link to reset the password. If the email logs in to both a staff and a parent account, the email holds a link for each, naming it.",
        es: "Si alguna cuenta entra con {email}, hemos enviado allí un correo con un enlace para restablecer la contraseña. Si con ese correo entras en una cuenta de personal y en una de familia, el correo trae un enlace para cada una, con su nombre.",
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
        en: "Enter the email you log in with.",
        es: "Escribe el correo con el que entras.",
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
        en: "Every device that was logged in has been logged out. Log in again with the new password.",
        es: "Se ha cerrado la sesión en todos los dispositivos. Vuelve a entrar con la contraseña nueva.",
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
    ResetWhose = "page.reset.whose" {
        en: "For your {audience} account, *{email}*.",
        es: "Para tu cuenta de {audience}, *{email}*.",
    },
    ResetDoneTitle = "page.reset.done_title" { en: "Your password was changed", es: "Tu contraseña se cambió" },
    ResetNotYet = "page.reset.not_yet" {
        en: "The new password does not meet every requirement yet: see the list under it.",
        es: "La contraseña nueva aún no cumple todos los requisitos: mira la lista que tiene debajo.",
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
    AppConsentTitle = "page.app.consent_title" { en: "Continue to the app?", es: "¿Continuar a la aplicación?" },
    AppConsentQuestion = "page.app.consent_question" {
        en: "Continue to {app} as {email}?",
        es: "¿Continuar a {app} como {email}?",
    },
    AppConsentHint = "page.app.consent_hint" {
        en: "Continue only if you opened {app} on this device yourself, just now. If you did not, cancel: another program may be trying to get into your account.",
        es: "Continúa solo si acabas de abrir {app} en este dispositivo. Si no, cancela: otro programa podría estar intentando entrar en tu cuenta.",
    },
    AppConsentContinue = "page.app.consent_continue" { en: "Continue", es: "Continuar" },
    AppConsentCancel = "page.app.consent_cancel" { en: "Cancel", es: "Cancelar" },
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
    ConsoleTitle = "page.console.title" {
        en: "Accounts console",
        es: "Consola de cuentas",
    },
    ConsoleSignedInAs = "page.console.signed_in_as" {
        en: "Signed in as {name} ({roles}).",
        es: "Sesión de {name} ({roles}).",
    },
    ConsoleToken = "page.console.token" {
        en: "the admin token",
        es: "el token de administración",
    },
    ConsoleAccountLink = "page.console.account_link" {
        en: "Your account",
        es: "Tu cuenta",
    },
    ConsoleGateLogin = "page.console.gate.login" {
        en: "Log in with your staff account to use the console.",
        es: "Inicia sesión con tu cuenta de personal para usar la consola.",
    },
    ConsoleGateLoginLink = "page.console.gate.login_link" {
        en: "Log in",
        es: "Iniciar sesión",
    },
    ConsoleGateTwoStep = "page.console.gate.two_step" {
        en: "The console needs 2-Step Verification on your account. Turn it on, then come back.",
        es: "La consola exige la verificación en 2 pasos en tu cuenta. Actívala y vuelve.",
    },
    ConsoleGateTwoStepLink = "page.console.gate.two_step_link" {
        en: "Turn on 2-Step Verification",
        es: "Activar la verificación en 2 pasos",
    },
    ConsoleGatePassword = "page.console.gate.password" {
        en: "Your password must change before you can use the console.",
        es: "Debes cambiar tu contraseña antes de usar la consola.",
    },
    ConsoleGatePasswordLink = "page.console.gate.password_link" {
        en: "Change your password",
        es: "Cambiar la contraseña",
    },
    ConsoleGateForbidden = "page.console.gate.forbidden" {
        en: "Your account has no console role. Ask the school's latchkey administrator for one.",
        es: "Tu cuenta no tiene un rol de consola. Pídeselo a quien administra latchkey en el centro.",
    },
    ConsoleGateForbiddenLink = "page.console.gate.forbidden_link" {
        en: "Back to your account",
        es: "Volver a tu cuenta",
    },
    ConsoleFindTitle = "page.console.find_title" {
        en: "Find a person",
        es: "Buscar a una persona",
    },
    ConsoleQueryLabel = "page.console.query_label" {
        en: "Email or name",
        es: "Correo o nombre",
    },
    ConsoleQueryHint = "page.console.query_hint" {
        en: "Any email of theirs (the one they log in with, or their contact email), or words of their name.",
        es: "Cualquier correo suyo (con el que inicia sesión o el de contacto), o palabras de su nombre.",
    },
    ConsoleQueryMissing = "page.console.query_missing" {
        en: "Type an email or a name first.",
        es: "Escribe primero un correo o un nombre.",
    },
    ConsoleSearch = "page.console.search" {
        en: "Search",
        es: "Buscar",
    },
    ConsoleFound = "page.console.found" {
        en: "Accounts found: {n}.",
        es: "Cuentas encontradas: {n}.",
    },
    ConsoleFoundNone = "page.console.found_none" {
        en: "No account matches. Check the spelling, or try their other email.",
        es: "Ninguna cuenta coincide. Revisa cómo está escrito o prueba con su otro correo.",
    },
    ConsoleAccountType = "page.console.account_type" {
        en: "Account type",
        es: "Tipo de cuenta",
    },
    ConsoleLoginEmail = "page.console.login_email" {
        en: "Login email",
        es: "Correo de acceso",
    },
    ConsoleContactEmail = "page.console.contact_email" {
        en: "Contact email",
        es: "Correo de contacto",
    },
    ConsoleContactNone = "page.console.contact_none" {
        en: "None on file",
        es: "No consta",
    },
    ConsoleEmailsExplained = "page.console.emails_explained" {
        en: "They log in with the login email (the one the invitation went to); reset links go there. The contact email is on their profile and may have changed since.",
        es: "Se inicia sesión con el correo de acceso (al que llegó la invitación); los enlaces de restablecimiento van ahí. El correo de contacto es el del perfil y puede haber cambiado desde entonces.",
    },
    ConsoleStatus = "page.console.status" {
        en: "Status",
        es: "Estado",
    },
    ConsoleActive = "page.console.active" {
        en: "Active",
        es: "Activa",
    },
    ConsoleDisabled = "page.console.disabled" {
        en: "Disabled",
        es: "Desactivada",
    },
    ConsoleTwoStep = "page.console.two_step" {
        en: "2-Step Verification",
        es: "Verificación en 2 pasos",
    },
    ConsolePasskeys = "page.console.passkeys" { en: "Passkeys", es: "Llaves de acceso" },
    ConsolePasskey = "page.console.passkey" {
        en: "{name} (added {created}, last used {used})",
        es: "{name} (añadida el {created}, último uso: {used})",
    },
    ConsoleActionPasskeyRemove = "page.console.action.passkey_remove" {
        en: "Remove the passkey “{name}”",
        es: "Quitar la llave de acceso «{name}»",
    },
    ConsoleConfirmPasskeyRemove = "page.console.confirm.passkey_remove" {
        en: "Remove the passkey “{passkey}” from {name}'s account? Do it only after every check below. They are logged out everywhere and mailed; if it is their last second step, 2-Step Verification goes off.",
        es: "¿Quitar la llave de acceso «{passkey}» de la cuenta de {name}? Hazlo solo tras todas las comprobaciones de abajo. Se cerrarán sus sesiones y se le avisará por correo; si es su último segundo paso, se desactiva la verificación en 2 pasos.",
    },
    ConsoleDonePasskeyRemove = "page.console.done.passkey_remove" {
        en: "The passkey was removed from {name}'s account.",
        es: "Se quitó la llave de acceso de la cuenta de {name}.",
    },
    ConsoleOn = "page.console.on" {
        en: "On",
        es: "Activada",
    },
    ConsoleOff = "page.console.off" {
        en: "Off",
        es: "Desactivada",
    },
    ConsoleLastLogin = "page.console.last_login" {
        en: "Last login",
        es: "Último inicio de sesión",
    },
    ConsolePasswordChanged = "page.console.password_changed" {
        en: "Password last changed",
        es: "Último cambio de contraseña",
    },
    ConsoleNever = "page.console.never" {
        en: "Never",
        es: "Nunca",
    },
    ConsoleNone = "page.console.none" {
        en: "None",
        es: "Ninguno",
    },
    ConsoleRequiredChange = "page.console.required_change" {
        en: "Required password change",
        es: "Cambio de contraseña exigido",
    },
    ConsoleRequiredBy = "page.console.required_by" {
        en: "Pending, by {date}",
        es: "Pendiente, antes del {date}",
    },
    ConsoleRequiredNextLogin = "page.console.required_next_login" {
        en: "Pending, at the next login",
        es: "Pendiente, en el próximo inicio de sesión",
    },
    ConsoleFailedLogins = "page.console.failed_logins" {
        en: "Failed logins (last 15 minutes)",
        es: "Inicios fallidos (últimos 15 minutos)",
    },
    ConsoleSessions = "page.console.sessions" {
        en: "Active sessions",
        es: "Sesiones activas",
    },
    ConsoleRoles = "page.console.roles" {
        en: "Console roles",
        es: "Roles de consola",
    },
    ConsoleRoleHelpdesk = "page.console.role.helpdesk" {
        en: "Helpdesk",
        es: "Atención",
    },
    ConsoleRoleAdmin = "page.console.role.admin" {
        en: "Administrator",
        es: "Administración",
    },
    ConsoleResetLinkTitle = "page.console.reset_link_title" {
        en: "Reset link",
        es: "Enlace de restablecimiento",
    },
    ConsoleResetLink = "page.console.reset_link" {
        en: "Last sent {sent}, works until {expires}: {status}. Replaced by a newer one before use: {superseded}.",
        es: "Último enviado el {sent}, válido hasta el {expires}: {status}. Sustituidos por otro antes de usarse: {superseded}.",
    },
    ConsoleResetLinkNone = "page.console.reset_link_none" {
        en: "No reset link sent lately.",
        es: "No se ha enviado ningún enlace últimamente.",
    },
    ConsoleLinkOk = "page.console.link.ok" {
        en: "still works",
        es: "sigue siendo válido",
    },
    ConsoleLinkExpired = "page.console.link.expired" {
        en: "expired",
        es: "caducado",
    },
    ConsoleLinkSuperseded = "page.console.link.superseded" {
        en: "replaced by a newer link",
        es: "sustituido por otro más reciente",
    },
    ConsoleLinkUsed = "page.console.link.used" {
        en: "used",
        es: "usado",
    },
    ConsoleMailTitle = "page.console.mail_title" {
        en: "Last mails",
        es: "Últimos correos",
    },
    ConsoleMailNone = "page.console.mail_none" {
        en: "No mail sent lately.",
        es: "No se ha enviado ningún correo últimamente.",
    },
    ConsoleMailReset = "page.console.mail.reset" {
        en: "Reset link",
        es: "Enlace de restablecimiento",
    },
    ConsoleMailPasswordChanged = "page.console.mail.password_changed" {
        en: "Password changed notice",
        es: "Aviso de contraseña cambiada",
    },
    ConsoleMailTwoStepChanged = "page.console.mail.two_step_changed" {
        en: "2-Step Verification notice",
        es: "Aviso de verificación en 2 pasos",
    },
    ConsoleMailChangeRequested = "page.console.mail.change_requested" {
        en: "Password change request",
        es: "Petición de cambio de contraseña",
    },
    ConsoleMailStateQueued = "page.console.mail_state.queued" {
        en: "waiting to be sent",
        es: "esperando envío",
    },
    ConsoleMailStateRetrying = "page.console.mail_state.retrying" {
        en: "put off by the mail provider, retrying",
        es: "aplazado por el proveedor de correo, reintentando",
    },
    ConsoleMailStateSent = "page.console.mail_state.sent" {
        en: "accepted by the mail provider",
        es: "aceptado por el proveedor de correo",
    },
    ConsoleMailStateDeadLettered = "page.console.mail_state.dead_lettered" {
        en: "given up on (see the dead letters)",
        es: "abandonado (ver correos no entregados)",
    },
    ConsoleMailStateNotQueued = "page.console.mail_state.not_queued" {
        en: "not sent (the request failed)",
        es: "no enviado (la petición falló)",
    },
    ConsoleRetries = "page.console.retries" {
        en: "{n} retries",
        es: "{n} reintentos",
    },
    ConsoleProviderTitle = "page.console.provider_title" {
        en: "What the mail provider reported",
        es: "Lo que informó el proveedor de correo",
    },
    ConsoleProviderNone = "page.console.provider_none" {
        en: "Nothing reported for these addresses.",
        es: "Nada informado para estas direcciones.",
    },
    ConsoleProviderDelivered = "page.console.provider.delivered" {
        en: "delivered (if they cannot find it, it is in the spam folder)",
        es: "entregado (si no lo encuentran, está en la carpeta de spam)",
    },
    ConsoleProviderDelayed = "page.console.provider.delayed" {
        en: "delayed by their mail system",
        es: "retrasado por su sistema de correo",
    },
    ConsoleProviderBounced = "page.console.provider.bounced" {
        en: "refused by their mail system",
        es: "rechazado por su sistema de correo",
    },
    ConsoleProviderSoftBounced = "page.console.provider.soft_bounced" {
        en: "refused for now (mailbox full?)",
        es: "rechazado por ahora (¿buzón lleno?)",
    },
    ConsoleProviderComplained = "page.console.provider.complained" {
        en: "marked as spam",
        es: "marcado como spam",
    },
    ConsoleHistoryTitle = "page.console.history_title" {
        en: "History",
        es: "Historial",
    },
    ConsoleHistoryNone = "page.console.history_none" {
        en: "Nothing recorded yet.",
        es: "Aún no hay nada registrado.",
    },
    ConsoleBy = "page.console.by" {
        en: "by {name}",
        es: "por {name}",
    },
    ConsoleEventResetLinkSent = "page.console.event.reset_link_sent" {
        en: "Reset link sent",
        es: "Enlace de restablecimiento enviado",
    },
    ConsoleEventResetRequestThrottled = "page.console.event.reset_request_throttled" {
        en: "Reset link refused: too many asked for",
        es: "Enlace denegado: se pidieron demasiados",
    },
    ConsoleEventPasswordChanged = "page.console.event.password_changed" {
        en: "Password changed",
        es: "Contraseña cambiada",
    },
    ConsoleEventLoggedIn = "page.console.event.logged_in" {
        en: "Logged in",
        es: "Inicio de sesión",
    },
    ConsoleEventLoginFailed = "page.console.event.login_failed" {
        en: "Login failed",
        es: "Inicio de sesión fallido",
    },
    ConsoleEventTwoStepEnabled = "page.console.event.two_step_enabled" {
        en: "2-Step Verification turned on",
        es: "Verificación en 2 pasos activada",
    },
    ConsoleEventPasskeyAdded = "page.console.event.passkey_added" {
        en: "Passkey added",
        es: "Llave de acceso añadida",
    },
    ConsoleEventPasskeyRemoved = "page.console.event.passkey_removed" {
        en: "Passkey removed",
        es: "Llave de acceso quitada",
    },
    ConsoleEventTwoStepDisabled = "page.console.event.two_step_disabled" {
        en: "2-Step Verification turned off",
        es: "Verificación en 2 pasos desactivada",
    },
    ConsoleEventTwoStepDisabledByStaff = "page.console.event.two_step_disabled_by_staff" {
        en: "2-Step Verification turned off by staff",
        es: "Verificación en 2 pasos desactivada por el personal",
    },
    ConsoleEventRecoveryCodesReplaced = "page.console.event.recovery_codes_replaced" {
        en: "New recovery codes",
        es: "Nuevos códigos de recuperación",
    },
    ConsoleEventTwoStepCodeRefused = "page.console.event.two_step_code_refused" {
        en: "2-Step code refused",
        es: "Código de 2 pasos rechazado",
    },
    ConsoleEventPasswordChangeRequired = "page.console.event.password_change_required" {
        en: "Password change required",
        es: "Cambio de contraseña exigido",
    },
    ConsoleEventAppGrantRefused = "page.console.event.app_grant_refused" {
        en: "An app's sign-in was refused",
        es: "Se rechazó el acceso de una aplicación",
    },
    ConsoleEventDisabled = "page.console.event.disabled" {
        en: "Account disabled",
        es: "Cuenta desactivada",
    },
    ConsoleEventEnabled = "page.console.event.enabled" {
        en: "Account enabled",
        es: "Cuenta activada",
    },
    ConsoleEventSessionsEnded = "page.console.event.sessions_ended" {
        en: "Logged out everywhere",
        es: "Sesión cerrada en todas partes",
    },
    ConsoleEventRolesChanged = "page.console.event.roles_changed" {
        en: "Console roles changed",
        es: "Roles de consola cambiados",
    },
    ConsoleEventMailSent = "page.console.event.mail_sent" {
        en: "Mail accepted by the provider",
        es: "Correo aceptado por el proveedor",
    },
    ConsoleEventMailDeadLettered = "page.console.event.mail_dead_lettered" {
        en: "Mail given up on",
        es: "Correo abandonado",
    },
    ConsoleEventLoginEmailChangeRequested = "page.console.event.login_email_change_requested" {
        en: "Login email change asked",
        es: "Cambio de correo de acceso solicitado",
    },
    ConsoleEventLoginEmailChanged = "page.console.event.login_email_changed" {
        en: "Login email changed",
        es: "Correo de acceso cambiado",
    },
    ConsoleEventLoginEmailChangeConfirmed = "page.console.event.login_email_change_confirmed" {
        en: "New login email confirmed (waiting for the owner's time to object)",
        es: "Nuevo correo de acceso confirmado (esperando el plazo para oponerse)",
    },
    ConsoleEventLoginEmailChangeCancelled = "page.console.event.login_email_change_cancelled" {
        en: "Login email change called off",
        es: "Cambio de correo de acceso anulado",
    },
    ConsolePendingLoginEmail = "page.console.pending_login_email" {
        en: "Changing to {email}: {state}, in effect no sooner than {date}",
        es: "Cambiando a {email}: {state}, efectivo no antes del {date}",
    },
    ConsolePendingConfirmed = "page.console.pending_confirmed" { en: "confirmed", es: "confirmado" },
    ConsolePendingUnconfirmed = "page.console.pending_unconfirmed" {
        en: "not confirmed yet",
        es: "aún sin confirmar",
    },
    ConsoleProtected = "page.console.protected" {
        en: "This account holds a console role at or above yours: only someone above it can change it.",
        es: "Esta cuenta tiene un rol de consola igual o superior al tuyo: solo alguien por encima puede cambiarla.",
    },
    ConsoleReauthTitle = "page.console.reauth_title" {
        en: "Confirm it is you",
        es: "Confirma que eres tú",
    },
    ConsoleReauthIntro = "page.console.reauth_intro" {
        en: "Changes in the console need your password and a code from your authenticator app, typed in the last few minutes.",
        es: "Los cambios en la consola necesitan tu contraseña y un código de tu aplicación de autenticación, escritos en los últimos minutos.",
    },
    ConsoleReauthCode = "page.console.reauth_code" {
        en: "Code from your authenticator app (or a recovery code)",
        es: "Código de tu aplicación de autenticación (o un código de recuperación)",
    },
    ConsoleReauthButton = "page.console.reauth_button" { en: "Confirm and go on", es: "Confirmar y seguir" },
    ConsoleReauthMissing = "page.console.reauth_missing" {
        en: "Type your password and a code.",
        es: "Escribe tu contraseña y un código.",
    },
    ConsoleActionResetLink = "page.console.action.reset_link" {
        en: "Send a reset link",
        es: "Enviar un enlace de restablecimiento",
    },
    ConsoleActionEndSessions = "page.console.action.end_sessions" {
        en: "Log out everywhere",
        es: "Cerrar sesión en todas partes",
    },
    ConsoleActionRequireChange = "page.console.action.require_change" {
        en: "Require a new password",
        es: "Exigir una contraseña nueva",
    },
    ConsoleActionDisable = "page.console.action.disable" {
        en: "Disable the account",
        es: "Desactivar la cuenta",
    },
    ConsoleActionEnable = "page.console.action.enable" {
        en: "Enable the account",
        es: "Activar la cuenta",
    },
    ConsoleActionTwoStepOff = "page.console.action.two_step_off" {
        en: "Turn 2-Step Verification off",
        es: "Desactivar la verificación en 2 pasos",
    },
    ConsoleActionRoles = "page.console.action.roles" {
        en: "Console roles",
        es: "Roles de consola",
    },
    ConsoleConfirmResetLink = "page.console.confirm.reset_link" {
        en: "Mail a new reset link for {name} to {email}? Earlier links stop working.",
        es: "¿Enviar a {email} un enlace nuevo para {name}? Los anteriores dejarán de funcionar.",
    },
    ConsoleConfirmEndSessions = "page.console.confirm.end_sessions" {
        en: "Log {name} out on every device and app? Their password stays.",
        es: "¿Cerrar la sesión de {name} en todos sus dispositivos y aplicaciones? Su contraseña no cambia.",
    },
    ConsoleConfirmRequireChange = "page.console.confirm.require_change" {
        en: "Ask {name} for a new password at their next login? They are mailed about it.",
        es: "¿Pedir a {name} una contraseña nueva en su próximo inicio de sesión? Se le avisará por correo.",
    },
    ConsoleConfirmDisable = "page.console.confirm.disable" {
        en: "Disable {name}'s account? They cannot log in or reset the password until it is enabled again.",
        es: "¿Desactivar la cuenta de {name}? No podrá entrar ni restablecer la contraseña hasta que se active de nuevo.",
    },
    ConsoleConfirmEnable = "page.console.confirm.enable" {
        en: "Enable {name}'s account again?",
        es: "¿Activar de nuevo la cuenta de {name}?",
    },
    ConsoleConfirmTwoStepOff = "page.console.confirm.two_step_off" {
        en: "Turn 2-Step Verification off for {name}? Do it only after every check below. They are logged out everywhere and mailed.",
        es: "¿Desactivar la verificación en 2 pasos de {name}? Hazlo solo tras todas las comprobaciones de abajo. Se cerrarán sus sesiones y se le avisará por correo.",
    },
    ConsoleConfirmRoles = "page.console.confirm.roles" {
        en: "What may {name} do in the console?",
        es: "¿Qué puede hacer {name} en la consola?",
    },
    ConsoleConfirmYes = "page.console.confirm_yes" {
        en: "Confirm",
        es: "Confirmar",
    },
    ConsoleCancel = "page.console.cancel" {
        en: "Cancel",
        es: "Cancelar",
    },
    ConsoleChecksLegend = "page.console.checks_legend" {
        en: "Identity checks (all required)",
        es: "Comprobaciones de identidad (todas obligatorias)",
    },
    ConsoleChecksMissing = "page.console.checks_missing" {
        en: "Tick every check first: they are what keeps a stranger out of this account.",
        es: "Marca primero todas las comprobaciones: son lo que impide que un extraño entre en esta cuenta.",
    },
    ConsoleRolesLegend = "page.console.roles_legend" {
        en: "Roles it holds",
        es: "Roles que tiene",
    },
    ConsoleDoneResetLink = "page.console.done.reset_link" {
        en: "A reset link is on its way to {name}.",
        es: "Un enlace de restablecimiento va de camino a {name}.",
    },
    ConsoleDoneEndSessions = "page.console.done.end_sessions" {
        en: "{name} is logged out everywhere.",
        es: "Se cerró la sesión de {name} en todas partes.",
    },
    ConsoleDoneRequireChange = "page.console.done.require_change" {
        en: "{name} must choose a new password.",
        es: "{name} deberá elegir una contraseña nueva.",
    },
    ConsoleDoneDisable = "page.console.done.disable" {
        en: "{name}'s account is disabled.",
        es: "La cuenta de {name} está desactivada.",
    },
    ConsoleDoneEnable = "page.console.done.enable" {
        en: "{name}'s account is enabled.",
        es: "La cuenta de {name} está activada.",
    },
    ConsoleDoneTwoStepOff = "page.console.done.two_step_off" {
        en: "2-Step Verification is off for {name}.",
        es: "La verificación en 2 pasos de {name} está desactivada.",
    },
    ConsoleDoneRoles = "page.console.done.roles" {
        en: "{name}'s console roles are saved.",
        es: "Se guardaron los roles de consola de {name}.",
    },
    ConsoleSettingsTitle = "page.console.settings_title" {
        en: "Settings",
        es: "Ajustes",
    },
    ConsoleRequirementTitle = "page.console.requirement_title" {
        en: "2-Step Verification requirement",
        es: "Exigencia de verificación en 2 pasos",
    },
    ConsoleRequirementHint = "page.console.requirement_hint" {
        en: "When it is required, each person has this many days from their next login to turn it on (0: at once).",
        es: "Cuando se exige, cada persona tiene estos días desde su próximo inicio de sesión para activarla (0: de inmediato).",
    },
    ConsoleRequirementOn = "page.console.requirement_on" { en: "Required", es: "Obligatoria" },
    ConsoleRequirementDays = "page.console.requirement_days" {
        en: "Days to turn it on",
        es: "Días para activarla",
    },
    ConsoleRequirementStaff = "page.console.requirement_staff" {
        en: "Staff accounts",
        es: "Cuentas de personal",
    },
    ConsoleRequirementParent = "page.console.requirement_parent" {
        en: "Parent accounts",
        es: "Cuentas de familias",
    },
    ConsoleRequirementInvalid = "page.console.requirement_invalid" {
        en: "Days: a whole number from 0 to 365.",
        es: "Días: un número entero de 0 a 365.",
    },
    ConsoleSave = "page.console.save" {
        en: "Save",
        es: "Guardar",
    },
    ConsoleSaved = "page.console.saved" {
        en: "Saved. It applies from each person's next login.",
        es: "Guardado. Se aplica desde el próximo inicio de sesión de cada persona.",
    },
    ConsoleDeadLettersTitle = "page.console.dead_letters_title" {
        en: "Mail that could not be delivered",
        es: "Correo que no se pudo entregar",
    },
    ConsoleDeadLettersHint = "page.console.dead_letters_hint" {
        en: "After every retry, or refused by the provider. To send a reset link again, find the person above.",
        es: "Tras todos los reintentos, o rechazado por el proveedor. Para reenviar un enlace, busca a la persona arriba.",
    },
    ConsoleDeadLettersNone = "page.console.dead_letters_none" {
        en: "None.",
        es: "Ninguno.",
    },
    ConsolePolicyTitle = "page.console.policy_title" {
        en: "Password policy",
        es: "Política de contraseñas",
    },
    ConsolePolicyLink = "page.console.policy_link" {
        en: "The password requirements, as people see them",
        es: "Los requisitos de contraseña, tal como los ven las personas",
    },
    ConfirmEmailTitle = "page.confirm_email.title" {
        en: "Confirm your new login email",
        es: "Confirma tu nuevo correo de acceso",
    },
    ConfirmEmailIntro = "page.confirm_email.intro" {
        en: "Your school's office is changing the email you log in with to this address. Confirm it to finish: you will then log in with this address, and every device logged in now will be logged out.",
        es: "La secretaría de tu centro va a cambiar el correo con el que entras a esta dirección. Confírmalo para terminar: después entrarás con esta dirección y se cerrará la sesión en todos los dispositivos.",
    },
    ConfirmEmailButton = "page.confirm_email.button" {
        en: "Confirm this address",
        es: "Confirmar esta dirección",
    },
    ConfirmEmailDone = "page.confirm_email.done" {
        en: "Done. From now on, log in with {email}.",
        es: "Listo. A partir de ahora, entra con {email}.",
    },
    ConfirmEmailScheduled = "page.confirm_email.scheduled" {
        en: "Confirmed. From {date}, log in with {email}. Until then nothing changes: the old address has until then to stop the change if it was not asked for.",
        es: "Confirmado. A partir del {date}, entra con {email}. Hasta entonces no cambia nada: la dirección antigua tiene hasta ese momento para detener el cambio si no lo pidió.",
    },
    CancelEmailTitle = "page.cancel_email.title" {
        en: "Cancel the change of your login email",
        es: "Cancela el cambio de tu correo de acceso",
    },
    CancelEmailIntro = "page.cancel_email.intro" {
        en: "Someone asked your school to change the email you log in with. If it was not you, cancel it: your login email stays as it is. Then tell your school's office, and consider changing your password.",
        es: "Alguien pidió a tu centro cambiar el correo con el que entras. Si no fuiste tú, cancélalo: tu correo de acceso seguirá igual. Después avisa a la secretaría de tu centro y piensa en cambiar tu contraseña.",
    },
    CancelEmailButton = "page.cancel_email.button" { en: "Cancel the change", es: "Cancelar el cambio" },
    CancelEmailDone = "page.cancel_email.done" {
        en: "Cancelled. You still log in with {email}.",
        es: "Cancelado. Sigues entrando con {email}.",
    },
    CancelEmailTooLate = "page.cancel_email.too_late" {
        en: "It is too late to cancel here: the change has taken effect. Ask your school's office for help.",
        es: "Ya es tarde para cancelarlo aquí: el cambio se ha aplicado. Pide ayuda a la secretaría de tu centro.",
    },
    CancelEmailInvalid = "page.cancel_email.invalid" {
        en: "This link does not work: the change was cancelled already, or replaced by a newer one. Ask your school's office if you are unsure.",
        es: "Este enlace no funciona: el cambio ya se canceló o lo sustituyó uno más reciente. Pregunta a la secretaría de tu centro si tienes dudas.",
    },
    ConfirmEmailLogIn = "page.confirm_email.log_in" {
        en: "Log in",
        es: "Iniciar sesión",
    },
    ConfirmEmailExpired = "page.confirm_email.expired" {
        en: "This link has expired. Ask your school's office to send a new one.",
        es: "Este enlace ha caducado. Pide a la secretaría de tu centro que envíe uno nuevo.",
    },
    ConfirmEmailTaken = "page.confirm_email.taken" {
        en: "Another account already logs in with this address. Ask your school's office for help.",
        es: "Otra cuenta ya entra con esta dirección. Pide ayuda a la secretaría de tu centro.",
    },
    ConfirmEmailInvalid = "page.confirm_email.invalid" {
        en: "This link does not work: it was used already, or a newer one replaced it. Ask your school's office if you still need the change.",
        es: "Este enlace no funciona: ya se usó o lo sustituyó uno más reciente. Pregunta a la secretaría de tu centro si aún necesitas el cambio.",
    },
    ConsoleActionLoginEmail = "page.console.action.login_email" {
        en: "Change the login email",
        es: "Cambiar el correo de acceso",
    },
    ConsoleConfirmLoginEmail = "page.console.confirm.login_email" {
        en: "For someone who lost access to {email}. {email} is told at once, with a link to cancel; a link goes to the new address. The change takes effect once that link is used and the time the old address has to object is over; then {name} is logged out everywhere.",
        es: "Para quien perdió el acceso a {email}. Se avisa enseguida a {email}, con un enlace para cancelar, y se envía un enlace a la dirección nueva. El cambio se aplica cuando se use ese enlace y termine el plazo que tiene la dirección antigua para oponerse; entonces se cierran las sesiones de {name}.",
    },
    ConsoleDoneLoginEmail = "page.console.done.login_email" {
        en: "The old address was told, and a confirmation link is on its way to the new one. Nothing changes for {name} until it is used and the waiting time is over.",
        es: "Se avisó a la dirección antigua y un enlace de confirmación va de camino a la nueva. Nada cambia para {name} hasta que se use y termine el plazo.",
    },
    ConsoleNewEmailLabel = "page.console.new_email_label" {
        en: "New login email",
        es: "Nuevo correo de acceso",
    },
    ConsoleNewEmailHint = "page.console.new_email_hint" {
        en: "Check it with the person, letter by letter: the link goes there.",
        es: "Compruébalo con la persona, letra a letra: el enlace irá ahí.",
    },
    ConsoleNewEmailMissing = "page.console.new_email_missing" {
        en: "Type the new login email first.",
        es: "Escribe primero el nuevo correo de acceso.",
    },
    ConsoleMailAccountChanged = "page.console.mail.account_changed" {
        en: "Notice of a change by staff",
        es: "Aviso de un cambio del personal",
    },
    ConsoleMailConfirmLoginEmail = "page.console.mail.confirm_login_email" {
        en: "New login email confirmation",
        es: "Confirmación del nuevo correo de acceso",
    },
    ConsoleMailLoginEmailChangeRequested = "page.console.mail.login_email_change_requested" {
        en: "Login email change notice (with a link to cancel)",
        es: "Aviso de cambio de correo de acceso (con enlace para cancelar)",
    },
    ConsoleMailInvitation = "page.console.mail.invitation" { en: "Invitation", es: "Invitación" },
    ConsoleMailInvitationReminder = "page.console.mail.invitation_reminder" {
        en: "Invitation reminder",
        es: "Recordatorio de la invitación",
    },
    ConsoleEventInvitationSent = "page.console.event.invitation_sent" { en: "Invited", es: "Invitación enviada" },
    ConsoleEventInvitationAccepted = "page.console.event.invitation_accepted" {
        en: "Accepted the invitation",
        es: "Aceptó la invitación",
    },
    ConsoleEventInvitationRevoked = "page.console.event.invitation_revoked" {
        en: "Invitation withdrawn",
        es: "Invitación retirada",
    },
    ConsoleInvitationsTitle = "page.console.invitations_title" { en: "Invitations", es: "Invitaciones" },
    ConsoleInvitationsCount = "page.console.invitations_count" {
        en: "{audience}: {accepted} of {invited} accepted · {waiting} waiting ({bounced} bounced) · {expired} expired · {revoked} withdrawn",
        es: "{audience}: {accepted} de {invited} aceptadas · {waiting} pendientes ({bounced} rebotadas) · {expired} caducadas · {revoked} retiradas",
    },
    ConsoleInviteTitle = "page.console.invite_title" { en: "Invite someone", es: "Invitar a alguien" },
    ConsoleInviteName = "page.console.invite_name" { en: "Name", es: "Nombre" },
    ConsoleInviteEmail = "page.console.invite_email" {
        en: "Login email (the invitation goes here)",
        es: "Correo de acceso (la invitación llega aquí)",
    },
    ConsoleInviteContact = "page.console.invite_contact" {
        en: "Contact email (optional)",
        es: "Correo de contacto (opcional)",
    },
    ConsoleInviteType = "page.console.invite_type" { en: "Account type", es: "Tipo de cuenta" },
    ConsoleInviteLanguage = "page.console.invite_language" {
        en: "Language of the invitation",
        es: "Idioma de la invitación",
    },
    ConsoleInviteSend = "page.console.invite_send" { en: "Send the invitation", es: "Enviar la invitación" },
    ConsoleInviteSent = "page.console.invite_sent" {
        en: "Invitation sent to {email}.",
        es: "Invitación enviada a {email}.",
    },
    ConsoleInviteMissing = "page.console.invite_missing" {
        en: "Give the name and the login email.",
        es: "Indica el nombre y el correo de acceso.",
    },
    ConsoleBatchTitle = "page.console.batch_title" {
        en: "Invite many at once (CSV)",
        es: "Invitar a muchos a la vez (CSV)",
    },
    ConsoleBatchHint = "page.console.batch_hint" {
        en: "A CSV file as your school's information system exports it, with a header row naming the columns: email (or login_email), type (staff or parent), name (or first_name and last_name), and if you have them contact_email and language (en or es). Up to 10,000 people; the mails go out at the pace the mail provider takes.",
        es: "Un archivo CSV como lo exporta el sistema de gestión del centro, con una fila de cabecera que nombre las columnas: email (o login_email), type (staff o parent), name (o first_name y last_name) y, si los tienes, contact_email y language (en o es). Hasta 10.000 personas; los correos salen al ritmo que admite el proveedor de correo.",
    },
    ConsoleBatchFile = "page.console.batch_file" { en: "CSV file", es: "Archivo CSV" },
    ConsoleBatchSend = "page.console.batch_send" { en: "Send the invitations", es: "Enviar las invitaciones" },
    ConsoleBatchNone = "page.console.batch_none" {
        en: "Choose a CSV file first.",
        es: "Elige primero un archivo CSV.",
    },
    ConsoleBatchQueued = "page.console.batch_queued" {
        en: "{queued} of {lines} people are being invited; the last mails leave by {until}. Lines refused: {refused}.",
        es: "Se está invitando a {queued} de {lines} personas; los últimos correos salen antes del {until}. Líneas rechazadas: {refused}.",
    },
    ConsoleBatchRefusedLine = "page.console.batch_refused_line" { en: "Line {line}: {reason}", es: "Línea {line}: {reason}" },
    ConsoleWaitingTitle = "page.console.waiting_title" {
        en: "Invited, not yet accepted",
        es: "Invitados que aún no han aceptado",
    },
    ConsoleWaitingNone = "page.console.waiting_none" { en: "Nobody is waiting.", es: "No hay nadie pendiente." },
    ConsoleMore = "page.console.more" { en: "Show more", es: "Mostrar más" },
    ConsoleInvitationTitle = "page.console.invitation_title" { en: "Invitation", es: "Invitación" },
    ConsoleInvitationNone = "page.console.invitation_none" { en: "Not invited.", es: "Sin invitación." },
    ConsoleInvitationLine = "page.console.invitation_line" {
        en: "{status} · sent {sent} by {by} ({sends}×) · expires {expires}",
        es: "{status} · enviada el {sent} por {by} ({sends}×) · caduca el {expires}",
    },
    ConsoleInvitationSent = "page.console.invitation.sent" { en: "Sent", es: "Enviada" },
    ConsoleInvitationDelivered = "page.console.invitation.delivered" { en: "Delivered", es: "Entregada" },
    ConsoleInvitationBounced = "page.console.invitation.bounced" {
        en: "Bounced: check the address",
        es: "Rebotada: revisa la dirección",
    },
    ConsoleInvitationOpened = "page.console.invitation.opened" { en: "Opened", es: "Abierta" },
    ConsoleInvitationAccepted = "page.console.invitation.accepted" { en: "Accepted", es: "Aceptada" },
    ConsoleInvitationExpired = "page.console.invitation.expired" { en: "Expired", es: "Caducada" },
    ConsoleInvitationRevoked = "page.console.invitation.revoked" { en: "Withdrawn", es: "Retirada" },
    ConsoleActionInvite = "page.console.action.invite" { en: "Send an invitation", es: "Enviar una invitación" },
    ConsoleActionInviteAgain = "page.console.action.invite_again" {
        en: "Send the invitation again",
        es: "Volver a enviar la invitación",
    },
    ConsoleActionRevokeInvitation = "page.console.action.revoke_invitation" {
        en: "Withdraw the invitation",
        es: "Retirar la invitación",
    },
    ConsoleConfirmInviteAgain = "page.console.confirm.invite_again" {
        en: "Send {name} a new invitation at {email}? The link in any earlier one stops working.",
        es: "¿Enviar a {name} una invitación nueva a {email}? El enlace de cualquier invitación anterior deja de funcionar.",
    },
    ConsoleConfirmRevokeInvitation = "page.console.confirm.revoke_invitation" {
        en: "Withdraw {name}'s invitation? Its link stops working and says so.",
        es: "¿Retirar la invitación de {name}? Su enlace deja de funcionar y lo indica.",
    },
    ConsoleDoneInviteAgain = "page.console.done.invite_again" {
        en: "Invitation sent to {name}.",
        es: "Invitación enviada a {name}.",
    },
    ConsoleDoneRevokeInvitation = "page.console.done.revoke_invitation" {
        en: "{name}'s invitation was withdrawn.",
        es: "Se retiró la invitación de {name}.",
    },
    WelcomeTitle = "page.welcome.title" { en: "Set up your account", es: "Activa tu cuenta" },
    WelcomeIntro = "page.welcome.intro" {
        en: "Welcome, {name}. Choose the password for your {audience} account, *{email}*: you will log in with this email and this password.",
        es: "Te damos la bienvenida, {name}. Elige la contraseña de tu cuenta de {audience}, *{email}*: entrarás con este correo y esta contraseña.",
    },
    WelcomePassword = "page.welcome.password" { en: "Choose a password", es: "Elige una contraseña" },
    WelcomeSave = "page.welcome.save" { en: "Set up my account", es: "Activar mi cuenta" },
    WelcomeSaving = "page.welcome.saving" { en: "Setting up your account…", es: "Activando tu cuenta…" },
    WelcomeTwoStep = "page.welcome.two_step" {
        en: "Your school also asks for 2-Step Verification on this account: you will set it up next, with an app on your phone. It takes a minute.",
        es: "Tu centro también pide la verificación en 2 pasos en esta cuenta: la configurarás a continuación, con una aplicación del móvil. Lleva un minuto.",
    },
    WelcomeExpired = "page.welcome.expired" {
        en: "This invitation has expired. Ask the school office to send it again.",
        es: "Esta invitación ha caducado. Pide a la secretaría que vuelva a enviarla.",
    },
    WelcomeSuperseded = "page.welcome.superseded" {
        en: "A newer invitation was sent to you, and only its link works. Open the latest invitation email.",
        es: "Se te envió una invitación más reciente y solo funciona su enlace. Abre el último correo de invitación.",
    },
    WelcomeUsed = "page.welcome.used" {
        en: "This invitation was already used: your account is set up. Log in with your email and password.",
        es: "Esta invitación ya se usó: tu cuenta está activada. Entra con tu correo y tu contraseña.",
    },
    WelcomeRevoked = "page.welcome.revoked" {
        en: "The school withdrew this invitation. Ask the school office if you think that is a mistake.",
        es: "El centro retiró esta invitación. Pregunta en la secretaría si crees que es un error.",
    },
    WelcomeInvalid = "page.welcome.invalid" {
        en: "This link does not work. Open the link in your invitation email again (all of it), or ask the school office for a new invitation.",
        es: "Este enlace no funciona. Vuelve a abrir el enlace del correo de invitación (entero) o pide a la secretaría una invitación nueva.",
    },
    WelcomePasskeyHint = "page.welcome.passkey_hint" {
        en: "Or, instead of a password, use a passkey: your phone's or computer's fingerprint, face or screen lock.",
        es: "O, en lugar de una contraseña, usa una llave de acceso: la huella, la cara o el bloqueo de pantalla de tu móvil u ordenador.",
    },
    WelcomePasskey = "page.welcome.passkey" {
        en: "Set up with a passkey instead",
        es: "Activar con una llave de acceso",
    },
    WelcomeLogIn = "page.welcome.log_in" { en: "Go to the login page", es: "Ir a la página de acceso" },
    ConsoleCampaignTitle = "page.console.campaign_title" {
        en: "Required password changes",
        es: "Cambios de contraseña exigidos",
    },
    ConsoleCampaignLine = "page.console.campaign_line" {
        en: "{audience}: required, {by} — {pending} of {accounts} accounts still to change.",
        es: "{audience}: exigido, {by} — faltan {pending} de {accounts} cuentas.",
    },
    ConsoleCampaignNone = "page.console.campaign_none" {
        en: "{audience}: none required.",
        es: "{audience}: no se exige ninguno.",
    },
    ConsoleCampaignsTitle = "page.console.campaigns_title" {
        en: "Announcements",
        es: "Avisos",
    },
    ConsoleCampaignsNone = "page.console.campaigns_none" {
        en: "No announcement sent yet.",
        es: "Aún no se ha enviado ningún aviso.",
    },
    ConsoleCampaignProgress = "page.console.campaign_progress" {
        en: "{audiences}, started {started} by {by}: {status} — {sent} sent of {expected} expected, {failed} failed, {bounced} bounced, {left} left.",
        es: "{audiences}, iniciado {started} por {by}: {status} — {sent} enviados de {expected} previstos, {failed} fallidos, {bounced} rebotados, faltan {left}.",
    },
    ConsoleCampaignWaiting = "page.console.campaign_waiting" {
        en: "The mail provider asked to wait until {at}.",
        es: "El proveedor de correo pidió esperar hasta {at}.",
    },
    ConsoleCampaignRunning = "page.console.campaign_status.running" {
        en: "sending",
        es: "enviando",
    },
    ConsoleCampaignPaused = "page.console.campaign_status.paused" {
        en: "paused",
        es: "en pausa",
    },
    ConsoleCampaignCancelled = "page.console.campaign_status.cancelled" {
        en: "cancelled",
        es: "cancelado",
    },
    ConsoleCampaignDone = "page.console.campaign_status.done" {
        en: "done",
        es: "terminado",
    },
    ConsoleCampaignPause = "page.console.campaign_pause" {
        en: "Pause",
        es: "Pausar",
    },
    ConsoleCampaignResume = "page.console.campaign_resume" {
        en: "Resume",
        es: "Reanudar",
    },
    ConsoleCampaignCancel = "page.console.campaign_cancel" {
        en: "Cancel the announcement",
        es: "Cancelar el aviso",
    },
    ConsoleConfirmCampaignCancel = "page.console.confirm.campaign_cancel" {
        en: "Stop this announcement? Those not mailed yet will not be; announcing the same change again goes on from here.",
        es: "¿Detener este aviso? Quien aún no lo haya recibido no lo recibirá; avisar de nuevo del mismo cambio sigue desde aquí.",
    },
    ConsoleCampaignAnnounce = "page.console.campaign_announce" {
        en: "Mail everyone still to change",
        es: "Avisar a quien aún deba cambiarla",
    },
    ConsoleConfirmCampaignAnnounce = "page.console.confirm.campaign_announce" {
        en: "Mail every {audience} account that still has to change its password? Each person is mailed once, paced to the mail provider; you can pause or cancel it here.",
        es: "¿Enviar un aviso a cada cuenta de {audience} que aún deba cambiar su contraseña? Cada persona lo recibe una vez, al ritmo del proveedor de correo; puede pausarlo o cancelarlo aquí.",
    },
    ConsoleDoneCampaignAnnounce = "page.console.done.campaign_announce" {
        en: "The announcement is on its way: its progress is below.",
        es: "El aviso está en camino: su progreso está abajo.",
    },
    ConsoleAppsTitle = "page.console.apps_title" {
        en: "Apps that log in with latchkey",
        es: "Aplicaciones que inician sesión con latchkey",
    },
    ConsoleAppsNone = "page.console.apps_none" {
        en: "No app registered.",
        es: "Ninguna aplicación registrada.",
    },
    ConsoleApiHint = "page.console.api_hint" {
        en: "These are changed by the school's IT (through latchkey's admin API), not here.",
        es: "Esto lo cambia el equipo informático del centro (con la API de administración de latchkey), no aquí.",
    },
    ConsolePasswordNone = "page.console.password_none" { en: "No password yet", es: "Aún sin contraseña" },
    ConsolePasswordBefore = "page.console.password_before" {
        en: "Not known: set in the system the account came from",
        es: "No se sabe: se puso en el sistema del que vino la cuenta",
    },
    ConsoleConfirmResetLinkAgain = "page.console.confirm.reset_link_again" {
        en: "A link sent to {email} still works and may still be on its way. Send a new one anyway? The first will stop working, so tell {name} to use only the newest email.",
        es: "Un enlace enviado a {email} aún funciona y puede que todavía esté llegando. ¿Enviar otro de todos modos? El primero dejará de funcionar: di a {name} que use solo el correo más reciente.",
    },
    ConsoleCancelledByOwner = "page.console.cancelled.by_owner" {
        en: "by the owner, from the old address",
        es: "por la persona titular, desde la dirección antigua",
    },
    ConsoleCancelledProtected = "page.console.cancelled.account_protected" {
        en: "the account holds a console role now",
        es: "la cuenta tiene ahora un rol de consola",
    },
    ConsoleCancelledTaken = "page.console.cancelled.address_taken" {
        en: "another account logs in with that address now",
        es: "otra cuenta entra ahora con esa dirección",
    },
    ConsoleClientPublic = "page.console.client.public" {
        en: "app on phones or in browsers (public)",
        es: "aplicación de teléfono o navegador (pública)",
    },
    ConsoleClientConfidential = "page.console.client.confidential" {
        en: "app with its own server (confidential)",
        es: "aplicación con servidor propio (confidencial)",
    },
    ConsoleReasonRefused = "page.console.reason.refused" {
        en: "refused by the mail provider",
        es: "rechazado por el proveedor de correo",
    },
    ConsoleReasonRetriesExhausted = "page.console.reason.retries_exhausted" {
        en: "given up after several tries",
        es: "abandonado tras varios intentos",
    },
    ConsoleResend = "page.console.resend" {
        en: "Send again",
        es: "Reenviar",
    },
    ConsoleResentLink = "page.console.resent_link" {
        en: "A new reset link is on its way.",
        es: "Un nuevo enlace de restablecimiento va de camino.",
    },
    ConsoleResentNotice = "page.console.resent_notice" {
        en: "The notice is on its way again.",
        es: "El aviso va de camino de nuevo.",
    },
    ConsoleEventMailBounced = "page.console.event.mail_bounced" {
        en: "Mail refused by their mail system (bounce)",
        es: "Correo rechazado por su sistema de correo (rebote)",
    },
    ConsoleEventMailComplained = "page.console.event.mail_complained" {
        en: "Mail marked as spam",
        es: "Correo marcado como spam",
    },
    ConsoleCheckContact = "page.console.check.contact" {
        en: "The caller gave the account's contact email or phone number as the school has it on file.",
        es: "Quien llama dio el correo de contacto o el teléfono de la cuenta tal como los tiene el centro.",
    },
    ConsoleCheckKnown = "page.console.check.known" {
        en: "The caller answered a question only the account's owner can (a pupil's class, a date of birth on file).",
        es: "Quien llama respondió una pregunta que solo sabe la persona titular (la clase de un alumno, una fecha de nacimiento registrada).",
    },
    ConsoleCheckCallback = "page.console.check.callback" {
        en: "I called back on the number the school has on file (not a number the caller gave) and spoke to them.",
        es: "Devolví la llamada al número que tiene el centro (no a uno que dio quien llama) y hablé con la persona.",
    },
}

#[cfg(test)]
mod tests {
    use super::PageKey;
    use crate::{ErrorKey, MessageKey};

    #[test]
    fn page_keys_are_apart_from_message_keys() {
        for key in PageKey::ALL {
            assert!(key.as_str().starts_with("page."), "{key}");
            assert!(key.as_str().parse::<MessageKey>().is_err(), "{key} is in both catalogues");
        }
        assert!(MessageKey::ALL.iter().all(|k| !k.as_str().starts_with("page.") && !k.as_str().starts_with("error.")));
        assert!(ErrorKey::ALL.iter().all(|k| k.as_str().starts_with("error.")));
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
