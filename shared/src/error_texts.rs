//! The API's error messages (`error.*`), apart from [`MessageKey`](crate::MessageKey) so the widget, which never
//! shows one, does not carry them: each [`ErrorCode`](crate::ErrorCode) has one, sent as `message_key` and `message`.

crate::catalogue::catalogue! {
    /// The message of an API error. Its string form is part of the API: never rename one, only add.
    ErrorKey;

    MalformedJson = "error.malformed_json" {
        en: "The request body is not valid JSON.",
        es: "El cuerpo de la solicitud no es JSON válido.",
    },
    InvalidRequest = "error.invalid_request" {
        en: "The request is missing a field or has one of the wrong kind.",
        es: "A la solicitud le falta un campo o tiene uno de tipo incorrecto.",
    },
    InvalidEmail = "error.invalid_email" {
        en: "Enter a valid email address.",
        es: "Escribe una dirección de correo válida.",
    },
    BodyTooLarge = "error.body_too_large" {
        en: "The request is too large.",
        es: "La solicitud es demasiado grande.",
    },
    UnsupportedMediaType = "error.unsupported_media_type" {
        en: "Send the request as application/json.",
        es: "Envía la solicitud como application/json.",
    },
    NotFound = "error.not_found" { en: "Nothing is here.", es: "Aquí no hay nada." },
    MethodNotAllowed = "error.method_not_allowed" {
        en: "This method is not allowed here.",
        es: "Este método no está permitido aquí.",
    },
    PasswordRejected = "error.password_rejected" {
        en: "The new password does not meet the requirements.",
        es: "La nueva contraseña no cumple los requisitos.",
    },
    PasswordMismatch = "error.password_mismatch" {
        en: "The two passwords do not match.",
        es: "Las dos contraseñas no coinciden.",
    },
    PasswordBreached = "error.password_breached" {
        en: "This password appears in a known data breach, so attackers will try it early. Choose another one.",
        es: "Esta contraseña aparece en una filtración de datos conocida: los atacantes la probarán pronto. Elige otra.",
    },
    CrossSite = "error.cross_site" {
        en: "This request came from another site, so it was refused. Open latchkey's own page and try again there.",
        es: "Esta solicitud vino de otro sitio y se rechazó. Abre la página de latchkey y vuelve a intentarlo allí.",
    },
    ChallengeFailed = "error.challenge_failed" {
        en: "We could not confirm you are not a robot. Complete the check on the page and try again.",
        es: "No pudimos confirmar que no eres un robot. Completa la comprobación de la página e inténtalo de nuevo.",
    },
    PasswordReused = "error.password_reused" {
        en: "You have used this password before. Choose a new one.",
        es: "Ya usaste esta contraseña. Elige una nueva.",
    },
    TokenInvalid = "error.token_invalid" {
        en: "This reset link is not valid. Ask for a new one.",
        es: "Este enlace no es válido. Pide uno nuevo.",
    },
    TokenExpired = "error.token_expired" {
        en: "This link has expired. Ask for a new one.",
        es: "Este enlace ha caducado. Pide uno nuevo.",
    },
    TokenSuperseded = "error.token_superseded" {
        en: "A newer email was sent: only the newest link works.",
        es: "Se envió un correo más reciente: solo funciona el enlace más nuevo.",
    },
    TokenUsed = "error.token_used" {
        en: "This link has already been used.",
        es: "Este enlace ya se ha usado.",
    },
    TokenRevoked = "error.token_revoked" {
        en: "This invitation was withdrawn by the school. Ask the school office if you think that is a mistake.",
        es: "El centro retiró esta invitación. Pregunta en la secretaría si crees que es un error.",
    },
    InvalidCredentials = "error.invalid_credentials" {
        en: "The email, role or password is not right. Check Caps Lock and try again.",
        es: "El correo, el rol o la contraseña no son correctos. Revisa Bloq Mayús e inténtalo de nuevo.",
    },
    TwoStepRequired = "error.two_step_required" {
        en: "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
        es: "Escribe el código de 6 cifras de tu aplicación de autenticación, o uno de tus códigos de recuperación.",
    },
    TwoStepCodeInvalid = "error.two_step_code_invalid" {
        en: "That code is not right. Codes change every 30 seconds: enter the one the app shows now.",
        es: "Ese código no es correcto. Los códigos cambian cada 30 segundos: escribe el que muestra ahora la aplicación.",
    },
    TwoStepSetupRequired = "error.two_step_setup_required" {
        en: "Turn on 2-Step Verification to continue: your organisation requires it.",
        es: "Activa la verificación en 2 pasos para continuar: tu organización la exige.",
    },
    TwoStepAlreadyOn = "error.two_step_already_on" {
        en: "2-Step Verification is already on.",
        es: "La verificación en 2 pasos ya está activada.",
    },
    TwoStepOff = "error.two_step_off" {
        en: "2-Step Verification is not on.",
        es: "La verificación en 2 pasos no está activada.",
    },
    TwoStepNoSetup = "error.two_step_no_setup" {
        en: "This setup has expired or was not started. Start again.",
        es: "Esta configuración ha caducado o no se inició. Vuelve a empezar.",
    },
    PasskeyRefused = "error.passkey_refused" {
        en: "That passkey did not work here. Try again, or use another way to sign in.",
        es: "Esa llave de acceso no ha funcionado aquí. Inténtalo de nuevo o usa otra forma de entrar.",
    },
    PasskeyCeremonyExpired = "error.passkey_ceremony_expired" {
        en: "That took too long or was already used. Try again.",
        es: "Ha tardado demasiado o ya se usó. Inténtalo de nuevo.",
    },
    PasskeyLimit = "error.passkey_limit" {
        en: "This account has as many passkeys as it may have. Remove one to add another.",
        es: "Esta cuenta ya tiene todas las llaves de acceso que puede tener. Quita una para añadir otra.",
    },
    PasskeyExists = "error.passkey_exists" {
        en: "This passkey is already on the account.",
        es: "Esta llave de acceso ya está en la cuenta.",
    },
    PasskeyNotFound = "error.passkey_not_found" {
        en: "That passkey is not on the account (it may have been removed already).",
        es: "Esa llave de acceso no está en la cuenta (puede que ya se haya quitado).",
    },
    ReauthenticationRequired = "error.reauthentication_required" {
        en: "For your safety, enter your password again to change this setting.",
        es: "Por tu seguridad, vuelve a escribir tu contraseña para cambiar este ajuste.",
    },
    PasswordIncorrect = "error.password_incorrect" {
        en: "That password is not right. Check Caps Lock and try again.",
        es: "Esa contraseña no es correcta. Revisa Bloq Mayús e inténtalo de nuevo.",
    },
    PasswordChangeRequired = "error.password_change_required" {
        en: "Your password must change before you can go on: choose a new one on the “Change your password” page.",
        es: "Debes cambiar tu contraseña antes de continuar: elige una nueva en la página «Cambia tu contraseña».",
    },
    Unauthorized = "error.unauthorized" {
        en: "You need to log in first.",
        es: "Primero tienes que iniciar sesión.",
    },
    Forbidden = "error.forbidden" {
        en: "Your account may not do this. Ask the school's latchkey administrator if you need to.",
        es: "Tu cuenta no puede hacer esto. Si lo necesitas, pídeselo a quien administra latchkey en el centro.",
    },
    AccountProtected = "error.account_protected" {
        en: "This account holds a console role at or above yours, so only someone above it can change it: a latchkey \
             administrator, or for an administrator's account the school's IT with the admin token.",
        es: "Esta cuenta tiene un rol de consola igual o superior al tuyo: solo alguien por encima puede cambiarla, \
             quien administra latchkey o, para la cuenta de un administrador, el equipo informático con el token de \
             administración.",
    },
    RateLimited = "error.rate_limited" {
        en: "Too many attempts. Wait a few minutes and try again.",
        es: "Demasiados intentos. Espera unos minutos y vuelve a intentarlo.",
    },
    AccountExists = "error.account_exists" {
        en: "An account with this login email already exists for this role.",
        es: "Ya existe una cuenta con este correo de acceso para este rol.",
    },
    AccountDisabled = "error.account_disabled" {
        en: "This account is disabled. Ask the school office.",
        es: "Esta cuenta está desactivada. Pregunta en la secretaría.",
    },
    InvitationNotFound = "error.invitation_not_found" {
        en: "This account has no invitation waiting.",
        es: "Esta cuenta no tiene ninguna invitación pendiente.",
    },
    ConfigInvalid = "error.config_invalid" {
        en: "The service is misconfigured. Please tell the site's administrator.",
        es: "El servicio está mal configurado. Avisa al administrador del sitio.",
    },
    Internal = "error.internal" {
        en: "Something went wrong on our side. Nothing was changed; try again.",
        es: "Algo falló por nuestra parte. No se cambió nada; inténtalo de nuevo.",
    },
}
