//! The mail's texts (`mail.*`), apart from [`MessageKey`](crate::MessageKey) so the widget, which never sends mail,
//! does not carry them.

crate::catalogue::catalogue! {
    /// A text of the mails the Worker sends. Placeholders are filled by `render_with`.
    MailKey;

    MailResetSubject = "mail.reset.subject" { en: "Reset your password", es: "Restablece tu contraseña" },
    MailGreeting = "mail.greeting" { en: "Hello {name},", es: "Hola, {name}:" },
    MailResetIntro = "mail.reset.intro" {
        en: "We received a request to reset the password of your {audience} account ({email}).",
        es: "Recibimos una solicitud para restablecer la contraseña de tu cuenta de {audience} ({email}).",
    },
    MailResetAction = "mail.reset.action" { en: "Choose a new password", es: "Elegir una contraseña nueva" },
    MailResetIntroMany = "mail.reset.intro_many" {
        en: "We received a request to reset the password for {email}. This email logs in to more than one of your accounts: each link below changes the password of the one it names.",
        es: "Recibimos una solicitud para restablecer la contraseña de {email}. Con este correo entras en más de una cuenta: cada enlace de abajo cambia la contraseña de la cuenta que indica.",
    },
    MailResetFor = "mail.reset.for" {
        en: "New password for your {audience} account",
        es: "Contraseña nueva para tu cuenta de {audience}",
    },
    MailResetExpiryMany = "mail.reset.expiry_many" {
        en: "Each link works once, for {minutes} minutes. Only the newest links work: if you asked more than once, use the latest email.",
        es: "Cada enlace funciona una vez, durante {minutes} minutos. Solo funcionan los enlaces más recientes: si lo pediste varias veces, usa el último correo.",
    },
    MailResetExpiry = "mail.reset.expiry" {
        en: "The link works once, for {minutes} minutes. Only the newest link works: if you asked more than once, use the latest email.",
        es: "El enlace funciona una vez, durante {minutes} minutos. Solo funciona el enlace más reciente: si lo pediste varias veces, usa el último correo.",
    },
    MailResetIgnore = "mail.reset.ignore" {
        en: "If you did not ask for this, ignore this email: your password stays as it is.",
        es: "Si no lo pediste tú, ignora este correo: tu contraseña sigue igual.",
    },
    MailChangedSubject = "mail.changed.subject" { en: "Your password was changed", es: "Tu contraseña se ha cambiado" },
    MailChangedBody = "mail.changed.body" {
        en: "The password of your {audience} account ({email}) was changed on {when}. Every device that was logged in has been logged out.",
        es: "La contraseña de tu cuenta de {audience} ({email}) se cambió el {when}. Se ha cerrado la sesión en todos los dispositivos.",
    },
    MailChangedNotYou = "mail.changed.not_you" {
        en: "If this was not you, reset your password now at {link} and tell your school's administrator.",
        es: "Si no fuiste tú, restablece tu contraseña ahora en {link} y avisa al administrador de tu centro.",
    },
    MailTwoStepOnSubject = "mail.two_step.on.subject" {
        en: "2-Step Verification was turned on",
        es: "Se activó la verificación en 2 pasos",
    },
    MailTwoStepOnBody = "mail.two_step.on.body" {
        en: "2-Step Verification was turned on for your {audience} account ({email}) on {when}. From now on, logging in and resetting the password take a code from your authenticator app.",
        es: "Se activó la verificación en 2 pasos en tu cuenta de {audience} ({email}) el {when}. A partir de ahora, para entrar y para restablecer la contraseña hace falta un código de tu aplicación de autenticación.",
    },
    MailTwoStepOffSubject = "mail.two_step.off.subject" {
        en: "2-Step Verification was turned off",
        es: "Se desactivó la verificación en 2 pasos",
    },
    MailTwoStepOffBody = "mail.two_step.off.body" {
        en: "2-Step Verification was turned off for your {audience} account ({email}) on {when}. Logging in takes only the password now.",
        es: "Se desactivó la verificación en 2 pasos en tu cuenta de {audience} ({email}) el {when}. Ahora para entrar solo hace falta la contraseña.",
    },
    MailTwoStepOffByAdminBody = "mail.two_step.off_by_admin.body" {
        en: "Your administrator turned off 2-Step Verification for your {audience} account ({email}) on {when} and logged it out everywhere. Log in with your password and turn it on again.",
        es: "Tu administrador desactivó la verificación en 2 pasos en tu cuenta de {audience} ({email}) el {when} y cerró la sesión en todos los dispositivos. Entra con tu contraseña y vuelve a activarla.",
    },
    MailTwoStepCodesSubject = "mail.two_step.codes.subject" {
        en: "New recovery codes were made",
        es: "Se crearon nuevos códigos de recuperación",
    },
    MailTwoStepCodesBody = "mail.two_step.codes.body" {
        en: "New recovery codes were made for your {audience} account ({email}) on {when}; the earlier ones no longer work.",
        es: "Se crearon nuevos códigos de recuperación para tu cuenta de {audience} ({email}) el {when}; los anteriores ya no funcionan.",
    },
    MailPasskeyAddedSubject = "mail.passkey.added.subject" {
        en: "A passkey was added to your account",
        es: "Se añadió una llave de acceso a tu cuenta",
    },
    MailPasskeyAddedBody = "mail.passkey.added.body" {
        en: "A passkey was added to your {audience} account ({email}) on {when}. It can log in to the account without the password, and stands in for a code from an authenticator app.",
        es: "Se añadió una llave de acceso a tu cuenta de {audience} ({email}) el {when}. Con ella se puede entrar en la cuenta sin la contraseña, y sirve en lugar de un código de la aplicación de autenticación.",
    },
    MailPasskeyRemovedSubject = "mail.passkey.removed.subject" {
        en: "A passkey was removed from your account",
        es: "Se quitó una llave de acceso de tu cuenta",
    },
    MailPasskeyRemovedBody = "mail.passkey.removed.body" {
        en: "A passkey was removed from your {audience} account ({email}) on {when}; it no longer logs in.",
        es: "Se quitó una llave de acceso de tu cuenta de {audience} ({email}) el {when}; ya no sirve para entrar.",
    },
    MailChangeRequestedSubject = "mail.change_requested.subject" {
        en: "Please choose a new password",
        es: "Elige una contraseña nueva, por favor",
    },
    MailChangeRequestedBody = "mail.change_requested.body" {
        en: "Your school asks everyone to move to a password that meets its updated requirements. Please choose a new password for your {audience} account ({email}).",
        es: "Tu centro pide a todos que pasen a una contraseña que cumpla sus requisitos actualizados. Elige una contraseña nueva para tu cuenta de {audience} ({email}).",
    },
    MailChangeRequestedBy = "mail.change_requested.by" {
        en: "Until {when} you can still log in with your current password; after that, the next login asks for the new one first.",
        es: "Hasta el {when} puedes seguir entrando con tu contraseña actual; después, al entrar se te pedirá primero la nueva.",
    },
    MailChangeRequestedNextLogin = "mail.change_requested.next_login" {
        en: "The next time you log in, you will be asked to choose it first.",
        es: "La próxima vez que entres se te pedirá que la elijas primero.",
    },
    MailChangeRequestedAction = "mail.change_requested.action" { en: "Log in and change it", es: "Entra y cámbiala" },
    MailChangeRequestedRequirements = "mail.change_requested.requirements" {
        en: "The requirements, on one page you can print: {link}",
        es: "Los requisitos, en una página que puedes imprimir: {link}",
    },
    MailDisabledSubject = "mail.account.disabled.subject" {
        en: "Your account was disabled",
        es: "Se desactivó tu cuenta",
    },
    MailDisabledBody = "mail.account.disabled.body" {
        en: "Your school disabled your {audience} account ({email}) on {when}: it cannot log in or reset its password until the school enables it again.",
        es: "Tu centro desactivó tu cuenta de {audience} ({email}) el {when}: no podrá entrar ni restablecer la contraseña hasta que el centro la active de nuevo.",
    },
    MailEnabledSubject = "mail.account.enabled.subject" {
        en: "Your account works again",
        es: "Tu cuenta vuelve a funcionar",
    },
    MailEnabledBody = "mail.account.enabled.body" {
        en: "Your school enabled your {audience} account ({email}) again on {when}: you can log in and reset your password.",
        es: "Tu centro volvió a activar tu cuenta de {audience} ({email}) el {when}: ya puedes entrar y restablecer tu contraseña.",
    },
    MailSessionsEndedSubject = "mail.account.sessions_ended.subject" {
        en: "You were logged out everywhere",
        es: "Se cerró tu sesión en todas partes",
    },
    MailSessionsEndedBody = "mail.account.sessions_ended.body" {
        en: "At your school's request, your {audience} account ({email}) was logged out on every device and app on {when}. Your password has not changed: log in again where you need to.",
        es: "A petición de tu centro, se cerró la sesión de tu cuenta de {audience} ({email}) en todos los dispositivos y aplicaciones el {when}. Tu contraseña no ha cambiado: vuelve a entrar donde lo necesites.",
    },
    MailLoginEmailChangedSubject = "mail.account.login_email_changed.subject" {
        en: "Your login email was changed",
        es: "Se cambió tu correo de acceso",
    },
    MailLoginEmailChangedBody = "mail.account.login_email_changed.body" {
        en: "Your school changed the email you log in to your {audience} account with on {when}; {email} no longer logs in. Every device was logged out.",
        es: "Tu centro cambió el correo con el que entras en tu cuenta de {audience} el {when}; {email} ya no sirve para entrar. Se cerró la sesión en todos los dispositivos.",
    },
    MailConfirmEmailSubject = "mail.confirm_email.subject" {
        en: "Confirm your new login email",
        es: "Confirma tu nuevo correo de acceso",
    },
    MailConfirmEmailIntro = "mail.confirm_email.intro" {
        en: "Your school's office is changing the email you log in to your {audience} account with to this address ({email}). It takes effect once you confirm it, and once the time the old address has to object is over.",
        es: "La secretaría de tu centro va a cambiar el correo con el que entras en tu cuenta de {audience} a esta dirección ({email}). El cambio se aplica cuando lo confirmes y haya pasado el plazo que tiene la dirección anterior para oponerse.",
    },
    MailConfirmEmailAction = "mail.confirm_email.action" { en: "Confirm this address", es: "Confirmar esta dirección" },
    MailConfirmEmailExpiry = "mail.confirm_email.expiry" {
        en: "The link works once, for {hours} hours. If you did not ask your school for this, ignore this email: nothing changes.",
        es: "El enlace funciona una vez, durante {hours} horas. Si no se lo pediste a tu centro, ignora este correo: no cambia nada.",
    },
    MailLoginEmailRequestedSubject = "mail.login_email_requested.subject" {
        en: "A change of your login email was asked for",
        es: "Se pidió cambiar tu correo de acceso",
    },
    MailLoginEmailRequestedBody = "mail.login_email_requested.body" {
        en: "Your school's office asked to change the email you log in to your {audience} account ({email}) with to {new}. Once that address confirms it, the change takes effect no sooner than {when}, and {email} will no longer log in.",
        es: "La secretaría de tu centro pidió cambiar el correo con el que entras en tu cuenta de {audience} ({email}) a {new}. Cuando esa dirección lo confirme, el cambio se aplicará no antes del {when}, y {email} dejará de servir para entrar.",
    },
    MailLoginEmailRequestedAction = "mail.login_email_requested.action" {
        en: "I did not ask for this: cancel the change",
        es: "No lo pedí yo: cancelar el cambio",
    },
    MailLoginEmailRequestedIgnore = "mail.login_email_requested.ignore" {
        en: "If you asked your school for this, there is nothing to do.",
        es: "Si se lo pediste a tu centro, no tienes que hacer nada.",
    },
    MailInviteSubject = "mail.invite.subject" {
        en: "You are invited: set up your account",
        es: "Te invitamos: activa tu cuenta",
    },
    MailInviteIntro = "mail.invite.intro" {
        en: "{inviter} at {school} invited you to set up your {audience} account. It is the account you log in with to the school's services: you choose its password, and you can reset it yourself if you ever forget it.",
        es: "{inviter}, de {school}, te invita a activar tu cuenta de {audience}. Es la cuenta con la que entras en los servicios del centro: tú eliges la contraseña y puedes restablecerla tú mismo si la olvidas.",
    },
    MailInviteLogin = "mail.invite.login" {
        en: "You will log in with this email: {email}.",
        es: "Entrarás con este correo: {email}.",
    },
    MailInviteAction = "mail.invite.action" { en: "Set up my account", es: "Activar mi cuenta" },
    MailInviteExpiry = "mail.invite.expiry" {
        en: "The link works once, until {when}. Only the newest invitation's link works; if it has expired, ask the school office to send the invitation again.",
        es: "El enlace funciona una vez, hasta el {when}. Solo funciona el enlace de la invitación más reciente; si ha caducado, pide a la secretaría que vuelva a enviarla.",
    },
    MailInviteIgnore = "mail.invite.ignore" {
        en: "If you were not expecting this, you can ignore this email: nothing is set up until the link is used.",
        es: "Si no lo esperabas, puedes ignorar este correo: no se activa nada hasta que se usa el enlace.",
    },
    MailYourSchool = "mail.your_school" { en: "your school", es: "tu centro" },
    MailInviteReminderSubject = "mail.invite.reminder.subject" {
        en: "Your invitation expires soon",
        es: "Tu invitación caduca pronto",
    },
    MailInviteReminderBody = "mail.invite.reminder.body" {
        en: "Your invitation to set up your {audience} account ({email}) expires on {when}. Open the invitation email we sent you and follow its link; if you cannot find it, ask the school office to send it again.",
        es: "Tu invitación para activar tu cuenta de {audience} ({email}) caduca el {when}. Abre el correo de invitación que te enviamos y sigue su enlace; si no lo encuentras, pide a la secretaría que vuelva a enviarlo.",
    },
    MailFooter = "mail.footer" {
        en: "This email was sent automatically; replies are not read.",
        es: "Este correo se envió automáticamente; las respuestas no se leen.",
    },
}

#[cfg(test)]
mod tests {
    use super::MailKey;
    use crate::Locale;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(MailKey::MailGreeting.render_with(Locale::Es, &[("name", "Ana")]), "Hola, Ana:");
        assert_eq!(MailKey::MailResetIntro.placeholders(Locale::Es), ["audience", "email"]);
        assert!(MailKey::ALL.iter().all(|k| k.as_str().starts_with("mail.")));
    }
}
