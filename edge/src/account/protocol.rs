//! What the Worker asks an account's Durable Object: one type per command (in [`super::commands`]), each answered
//! with its own reply type ([`Apply::Reply`]), as JSON over the stub's `fetch`. The handler that sends a command gets
//! that command's reply type back, so no reply can be mistaken for another's.

use super::apply::Apply;
use super::commands::admin::{
    AdminRemovePasskey, AdminTwoStepOff, Create, Disable, Enable, EndSessions, RequireChange, SealSecrets, SetRoles,
    View,
};
use super::commands::apps::{Authorize, ExchangeCode, GrantStatus, Refresh, RevokeGrant};
use super::commands::delivery::{MailRetrying, MailSettled, NoteMailEvent};
use super::commands::dev::AdvanceClock;
use super::commands::invitation::{
    AcceptInvitation, AcceptInvitationWithPasskey, InvitationLink, InvitationPasskeyOptions, Invite, RevokeInvitation,
    WithdrawInvitation,
};
use super::commands::login_email::{CancelLoginEmailChange, ConfirmLoginEmailChange, MoveIn, StartLoginEmailChange};
use super::commands::passkeys::{
    PasskeyListQuery, PasskeyLogin, PasskeyOptions, PasskeyRegister, PasskeyRemove, PasskeyRename,
};
use super::commands::password::ChangePassword;
use super::commands::reset::{IssueToken, LinkStatus, Reset, WithdrawToken};
use super::commands::session::{CheckSession, CheckStaff, Login, Logout, Reauthenticate};
use super::commands::two_step::{TwoStepConfirm, TwoStepDisable, TwoStepNewCodes, TwoStepSetup, TwoStepStatusQuery};
use serde::{Deserialize, Serialize};

macro_rules! wire {
    ($($variant:ident($command:ty)),* $(,)?) => {
        /// Every command that travels to the Durable Object.
        #[derive(Debug, Serialize, Deserialize)]
        #[serde(tag = "op", rename_all = "snake_case")]
        pub enum Command {
            $($variant($command)),*
        }

        $(impl From<$command> for Command {
            fn from(command: $command) -> Command {
                Command::$variant(command)
            }
        })*

        impl Command {
            /// Has `by` answer the command inside, as its own type.
            pub async fn answered_by<A: Answers>(self, by: &A) -> A::Answer {
                match self {
                    $(Command::$variant(command) => by.answer(command).await),*
                }
            }
        }
    };
}

/// What answers a [`Command`]: the Durable Object, one command type at a time.
pub trait Answers {
    type Answer;

    async fn answer<C: Apply>(&self, command: C) -> Self::Answer;
}

wire! {
    Create(Create),
    View(View),
    Disable(Disable),
    Enable(Enable),
    EndSessions(EndSessions),
    AdminTwoStepOff(AdminTwoStepOff),
    AdminRemovePasskey(AdminRemovePasskey),
    RequireChange(RequireChange),
    SetRoles(SetRoles),
    SealSecrets(SealSecrets),
    CheckStaff(CheckStaff),
    StartLoginEmailChange(StartLoginEmailChange),
    ConfirmLoginEmailChange(ConfirmLoginEmailChange),
    CancelLoginEmailChange(CancelLoginEmailChange),
    MoveIn(MoveIn),
    NoteMailEvent(NoteMailEvent),
    Invite(Invite),
    InvitationLink(InvitationLink),
    AcceptInvitation(AcceptInvitation),
    InvitationPasskeyOptions(InvitationPasskeyOptions),
    AcceptInvitationWithPasskey(AcceptInvitationWithPasskey),
    RevokeInvitation(RevokeInvitation),
    WithdrawInvitation(WithdrawInvitation),
    IssueToken(IssueToken),
    LinkStatus(LinkStatus),
    WithdrawToken(WithdrawToken),
    Reset(Reset),
    Login(Login),
    CheckSession(CheckSession),
    Logout(Logout),
    Reauthenticate(Reauthenticate),
    ChangePassword(ChangePassword),
    TwoStepStatus(TwoStepStatusQuery),
    TwoStepSetup(TwoStepSetup),
    TwoStepConfirm(TwoStepConfirm),
    TwoStepNewCodes(TwoStepNewCodes),
    TwoStepDisable(TwoStepDisable),
    PasskeyOptions(PasskeyOptions),
    PasskeyRegister(PasskeyRegister),
    PasskeyList(PasskeyListQuery),
    PasskeyRename(PasskeyRename),
    PasskeyRemove(PasskeyRemove),
    PasskeyLogin(PasskeyLogin),
    MailSettled(MailSettled),
    MailRetrying(MailRetrying),
    Authorize(Authorize),
    ExchangeCode(ExchangeCode),
    Refresh(Refresh),
    GrantStatus(GrantStatus),
    RevokeGrant(RevokeGrant),
    AdvanceClock(AdvanceClock),
}

/// A command the Worker can send: it travels as a [`Command`] and is answered with its own [`Apply::Reply`].
pub trait Ask: Apply + Into<Command> {}

impl<C: Apply + Into<Command>> Ask for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::TokenHash;

    #[test]
    fn a_command_travels_as_json_and_never_prints_its_secrets() {
        let reset = Reset {
            token_hash: TokenHash("ab".repeat(32)),
            password: "Sekrit-Password-42".into(),
            confirm: "Sekrit-Password-42".into(),
            breached: Some(false),
            code: Some("123456".into()),
            passkey: None,
        };
        let json = serde_json::to_string(&Command::from(reset)).unwrap();
        assert!(json.starts_with(r#"{"op":"reset","#), "{json}");
        let back: Command = serde_json::from_str(&json).unwrap();
        let printed = format!("{back:?}");
        assert!(!printed.contains("Sekrit") && !printed.contains("123456"), "{printed}");
        let view: Command = serde_json::from_str(r#"{"op":"view"}"#).unwrap();
        assert!(matches!(view, Command::View(View {})));
    }
}
