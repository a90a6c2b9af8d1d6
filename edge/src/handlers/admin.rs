//! The admin API, behind the `ADMIN_TOKEN` bearer secret or a console session of staff with a role (the route table's
//! `admin` and `helpdesk` guards): create and import accounts, find them (by login or contact email, or by name),
//! disable and enable, end sessions, send reset links, grant roles, require one account's new password (for whole
//! account types: `settings`).
//! Every change names who made it (`Call::actor`) in the audit trail and in the account's history.

use super::settings::check_deadline;
use super::{Call, HandlerResult};
use crate::account::commands::admin::{
    AdminRemovePasskey, AdminTwoStepOff, Disable, Enable, EndSessions, RequireChange, SealSecrets, SetRoles, View,
};
use crate::account::protocol::Ask;
use crate::account::refusal::Refusal;
use crate::account::{new_account, registry};
use crate::body::{MAX_IMPORT_BODY, MAX_JSON_BODY};
use crate::email::Email;
use crate::failure::Internal;
use crate::platform::binding;
use crate::store;
use latchkey_shared::api::{
    AccountList, AccountRef, AccountStatus, AccountView, Actor, IdentityChecks, ImportFailure, ImportReport, MailEvent,
    NewAccount, RequirePasswordChange, SealSecretsPage, SealSecretsReport, StaffMember, TwoStepOff, MAIL_EVENTS_SHOWN,
};
use latchkey_shared::{ApiError, Audience, ErrorCode};
use worker::kv::KvStore;
use worker::Env;

/// The most lines one import takes: each may cost an argon2 hash.
const MAX_IMPORT_LINES: usize = 500;

async fn create_one(call: &Call<'_>, new: NewAccount) -> Result<AccountView, ApiError> {
    let (login, create) = new_account::check(new).map_err(|e| call.error(e.code()).with_detail(e.to_string()))?;
    let id = call.account_id_for(create.profile.audience, &login).await?;
    let contact = create.profile.contact_email.clone();
    let view = call.account(&id, create).await?.map_err(|r| call.refusal(r))?;
    if let Some(contact) = contact {
        index_contact(call.env, &contact, &id).await?;
    }
    Ok(view)
}

/// Remembers which accounts a contact email belongs to, for "find the login email".
pub(super) async fn index_contact(env: &Env, contact: &str, id: &str) -> Result<(), Internal> {
    let kv = env.kv(binding::KV).map_err(Internal::Kv)?;
    let key = store::contact_key(contact);
    let mut ids: Vec<String> = store::get_json(&kv, &key).await.map_err(Internal::Kv)?.unwrap_or_default();
    if !ids.iter().any(|known| known == id) {
        ids.push(id.to_owned());
        store::put_json(&kv, &key, &ids, None).await.map_err(Internal::Kv)?;
    }
    Ok(())
}

/// `POST /api/admin/accounts`.
pub async fn create(mut call: Call<'_>) -> HandlerResult {
    let new: NewAccount = call.json(MAX_JSON_BODY).await?;
    let view = create_one(&call, new).await?;
    call.reply(201, &view)
}

/// `POST /api/admin/accounts/import`: one account per line (JSON lines). Each line stands alone: a bad line is
/// reported with its number and the others are still created.
pub async fn import(mut call: Call<'_>) -> HandlerResult {
    let body = call.body(&["application/x-ndjson", "application/jsonl", "application/json"], MAX_IMPORT_BODY).await?;
    let text = String::from_utf8(body)
        .map_err(|_| call.error(ErrorCode::MalformedJson).with_detail("the body is not UTF-8"))?;
    let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
    if lines.len() > MAX_IMPORT_LINES {
        return Err(call
            .error(ErrorCode::BodyTooLarge)
            .with_detail(format!("at most {MAX_IMPORT_LINES} lines per import")));
    }
    let mut report = ImportReport { created: 0, failed: Vec::new() };
    for (index, line) in lines {
        let outcome = match crate::body::parse_json::<NewAccount>(line.as_bytes(), MAX_JSON_BODY) {
            Ok(new) => create_one(&call, new).await.map(|_| ()),
            Err(e) => Err(call.error(e.code).with_detail(e.detail)),
        };
        match outcome {
            Ok(()) => report.created += 1,
            Err(error) => report.failed.push(ImportFailure {
                line: index as u32 + 1,
                code: error.code(),
                detail: error.error.detail,
            }),
        }
    }
    call.reply(200, &report)
}

/// `POST /api/admin/accounts/disable`.
pub async fn disable(call: Call<'_>) -> HandlerResult {
    on_account(call, |by| Disable { by }).await
}

/// `POST /api/admin/accounts/enable`: logins and reset requests work again.
pub async fn enable(call: Call<'_>) -> HandlerResult {
    on_account(call, |by| Enable { by }).await
}

/// `POST /api/admin/accounts/end-sessions`: logs the account out everywhere (a lost or shared device), and out of the
/// apps those sessions logged in to.
pub async fn end_sessions(call: Call<'_>) -> HandlerResult {
    on_account(call, |by| EndSessions { by }).await
}

/// `POST /api/admin/accounts/two-step-off`: turns 2-Step Verification off for someone who lost the phone and the
/// recovery codes, logs the account out everywhere and mails a notice to every address on file. Staff in the console
/// must have ticked every identity check the school defined; the bearer token (automation) is trusted to have.
pub async fn two_step_off(mut call: Call<'_>) -> HandlerResult {
    let asked: TwoStepOff = call.json(MAX_JSON_BODY).await?;
    let by = call.staff_member()?;
    identity_checked(&call, &by, &asked.checks)?;
    on_named_account(&call, &asked.login_email, asked.audience, AdminTwoStepOff { by }).await
}

/// `POST /api/admin/accounts/passkey-remove`.
pub async fn remove_passkey(mut call: Call<'_>) -> HandlerResult {
    let asked: latchkey_shared::api::PasskeyRemoveByStaff = call.json(MAX_JSON_BODY).await?;
    let by = call.staff_member()?;
    identity_checked(&call, &by, &asked.checks)?;
    let command = AdminRemovePasskey { id: asked.id, by };
    on_named_account(&call, &asked.login_email, asked.audience, command).await
}

/// Staff in the console must have ticked every identity check the school defined (`invalid_request` naming those
/// left); the bearer token (automation) is trusted to have done them.
pub(super) fn identity_checked(call: &Call<'_>, by: &StaffMember, ticked: &[String]) -> Result<(), ApiError> {
    if by.actor == Actor::AdminToken {
        return Ok(());
    }
    let missing = call.config.identity_checks.missing(ticked);
    if missing.is_empty() {
        Ok(())
    } else {
        let detail = format!("checks: not ticked: {}", missing.join(", "));
        Err(call.error(ErrorCode::InvalidRequest).with_detail(detail))
    }
}

/// `GET /api/admin/identity-checks`: what the desk must check before turning 2-Step Verification off, in the
/// caller's language (the school's own list, `IDENTITY_CHECKS`, as written).
pub async fn identity_checks(call: Call<'_>) -> HandlerResult {
    call.reply(200, &IdentityChecks { checks: call.config.identity_checks.listed(call.locale) })
}

/// `GET /api/admin/me`: who uses the console, and what they may do (as the route's guard found).
pub async fn me(call: Call<'_>) -> HandlerResult {
    let member = call.staff.as_ref().ok_or_else(|| call.error(ErrorCode::Unauthorized))?;
    call.reply(200, member)
}

/// `PUT /api/admin/accounts/roles`: the roles a staff account holds from now on.
pub async fn set_roles(mut call: Call<'_>) -> HandlerResult {
    let asked: latchkey_shared::api::SetRoles = call.json(MAX_JSON_BODY).await?;
    let command = SetRoles { roles: asked.roles, by: call.staff_member()? };
    on_named_account(&call, &asked.login_email, asked.audience, command).await
}

/// `POST /api/admin/accounts/reset-link`: mails a reset link to the account's login email now (someone on the phone
/// who cannot find the restore page, or whose link ran out). Unlike the public request, the answer says what
/// happened: the account as it is then, with the new link, or why none was sent.
pub async fn send_reset_link(mut call: Call<'_>) -> HandlerResult {
    let target: AccountRef = call.json(MAX_JSON_BODY).await?;
    let email = Email::parse(&target.login_email)
        .map_err(|e| call.error(ErrorCode::InvalidEmail).with_detail(e.to_string()))?;
    let id = call.account_id_for(target.audience, &email).await?;
    let view = call.account(&id, View {}).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    if view.status == AccountStatus::Disabled {
        let detail = "the account is disabled: enable it first";
        return Err(call.error(ErrorCode::InvalidRequest).with_detail(detail));
    }
    if !staff_reset_link(&call, &id, target.audience).await? {
        let detail = "the account has had as many links as it may for now; the last one still works";
        return Err(call.error(ErrorCode::RateLimited).with_detail(detail));
    }
    let view = viewed(&call, &id).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    call.reply(200, &view)
}

/// Mails a reset link to the login email of the account `id`, naming the caller; whether one was sent (none for no
/// account, a disabled one, or one that has had its links for this window). `account_protected` on an account
/// holding a role at or above the caller's.
pub(super) async fn staff_reset_link(call: &Call<'_>, id: &str, audience: Audience) -> Result<bool, ApiError> {
    let lifetime = call.config.policy.rules_for(Some(audience)).token_lifetime_secs;
    let by = Some(call.staff_member()?);
    let account = [(id.to_owned(), lifetime)];
    super::reset::issue_and_mail(call.env, &call.config.sealing_keys, &account, None, by)
        .await?
        .map_err(|refusal| call.refusal(refusal))
}

/// Sends the command `make` builds, naming the caller, to the account the [`AccountRef`] body names; answers the
/// account as it is then.
async fn on_account<C: Ask<Reply = Result<AccountView, Refusal>>>(
    mut call: Call<'_>,
    make: impl FnOnce(StaffMember) -> C,
) -> HandlerResult {
    let target: AccountRef = call.json(MAX_JSON_BODY).await?;
    let command = make(call.staff_member()?);
    on_named_account(&call, &target.login_email, target.audience, command).await
}

/// Sends `command` to the account of `login_email` and `audience`; answers the account as it is then.
async fn on_named_account<C: Ask<Reply = Result<AccountView, Refusal>>>(
    call: &Call<'_>,
    login_email: &str,
    audience: Audience,
    command: C,
) -> HandlerResult {
    let email =
        Email::parse(login_email).map_err(|e| call.error(ErrorCode::InvalidEmail).with_detail(e.to_string()))?;
    let id = call.account_id_for(audience, &email).await?;
    call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    // Looked at again: the history entry a command's events make is written after its reply was.
    let view = viewed(call, &id).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    call.reply(200, &view)
}

/// The account `id` as the caller sees it: with whether the caller may act on it.
pub(super) async fn viewed(call: &Call<'_>, id: &str) -> Result<Option<AccountView>, ApiError> {
    let by = call.staff_member()?;
    let view = call.account(id, View {}).await?;
    Ok(view.map(|mut view| {
        view.may_act = by.may_act_on(&view.roles);
        view
    }))
}

/// How many accounts a search by name shows.
const NAME_RESULTS: usize = 20;
const MAX_QUERY_CHARS: usize = 100;

/// `GET /api/admin/accounts?email=…`: accounts whose login or contact email it is, in both audiences; or
/// `?name=…`: accounts whose name holds every word given (accents and case aside), at most [`NAME_RESULTS`], from
/// the registry (which may show an account up to a minute late).
pub async fn find(call: Call<'_>) -> HandlerResult {
    let url = call.req.url().map_err(Internal::Request)?;
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let kv = call.kv()?;
    let by_name = param("email").is_none() && param("name").is_some();
    let ids = match (param("email"), param("name")) {
        (None, Some(name)) => {
            if name.trim().is_empty() || name.chars().count() > MAX_QUERY_CHARS {
                let detail = format!("name: 1 to {MAX_QUERY_CHARS} characters");
                return Err(call.error(ErrorCode::InvalidRequest).with_detail(detail));
            }
            let entries = call.registry_entries().await?;
            let found = registry::named(&entries, &name, NAME_RESULTS);
            found.iter().map(|e| crate::email::account_id_of(e.audience, &e.login_email)).collect()
        }
        (email, None) => {
            let email = Email::parse(&email.unwrap_or_default())
                .map_err(|e| call.error(ErrorCode::InvalidEmail).with_detail(e.to_string()))?;
            ids_by_email(&call, &kv, &email).await?
        }
        (Some(_), Some(_)) => {
            return Err(call.error(ErrorCode::InvalidRequest).with_detail("give email or name, not both"));
        }
    };
    let mut accounts = Vec::new();
    for id in ids {
        if let Some(mut view) = viewed(&call, &id).await? {
            view.mail_events = mail_events(&kv, &view).await?;
            accounts.push(view);
        }
    }
    // The same search shows the same cards in the same order: by name, then account type, then login email.
    accounts.sort_by(|a, b| {
        let key = |v: &AccountView| (v.display_name.to_lowercase(), v.audience.as_str(), v.login_email.clone());
        key(a).cmp(&key(b))
    });
    // Who looked at whom: the school can answer "who saw my account?".
    let by = call.actor()?;
    crate::audit::record(&crate::audit::Event::AccountsLookedUp {
        by: crate::audit::actor_name(&by),
        how: if by_name { "name" } else { "email" },
        shown: accounts.iter().map(|a| a.pseudonym.as_str()).collect(),
    });
    call.reply(200, &AccountList { accounts })
}

/// The accounts whose login or contact email `email` is (the ids of both audiences' login Durable Objects, which may
/// hold none).
pub(super) async fn ids_by_email(call: &Call<'_>, kv: &KvStore, email: &Email) -> Result<Vec<String>, ApiError> {
    let mut ids = Vec::new();
    for audience in Audience::ALL {
        ids.push(call.account_id_for(audience, email).await?);
    }
    // Contact emails indexed before addresses were normalised further are under their earlier form.
    for form in std::iter::once(email.as_str()).chain(email.earlier_form()) {
        let by_contact: Vec<String> =
            store::get_json(kv, &store::contact_key(form)).await.map_err(Internal::Kv)?.unwrap_or_default();
        for id in by_contact {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// What the provider reported about mail to the account's login and contact emails, newest first.
async fn mail_events(kv: &KvStore, view: &AccountView) -> Result<Vec<MailEvent>, ApiError> {
    let mut events = Vec::new();
    for address in std::iter::once(&view.login_email).chain(view.contact_email.as_ref()) {
        // The view shows addresses as people write them; events are kept under the normalised form.
        let Ok(address) = Email::parse(address) else { continue };
        events.extend(store::mail_events(kv, address.as_str()).await.map_err(Internal::Kv)?);
    }
    events.sort_by_key(|event| std::cmp::Reverse(event.at));
    events.truncate(MAIL_EVENTS_SHOWN);
    Ok(events)
}

/// `POST /api/admin/accounts/require-password-change`: this account must choose a new password by the deadline (or
/// at its next login); with `announce`, every address on file is mailed.
pub async fn require_password_change(mut call: Call<'_>) -> HandlerResult {
    let asked: RequirePasswordChange = call.json(MAX_JSON_BODY).await?;
    let (Some(login_email), Some(audience)) = (asked.login_email.as_deref(), asked.audience) else {
        let detail = "login_email and audience name the account";
        return Err(call.error(ErrorCode::InvalidRequest).with_detail(detail));
    };
    check_deadline(&call, asked.deadline)?;
    let command = RequireChange { deadline: asked.deadline, announce: asked.announce, by: call.staff_member()? };
    on_named_account(&call, login_email, audience, command).await
}

/// `POST /api/admin/accounts/seal-secrets`: seals, in one page of accounts, what was kept before secrets were sealed
/// (authenticator keys, recovery codes' digests); ops call it again with the cursor it answers until there is none.
/// Each page costs one KV listing and one call per account, whatever the registry's size.
pub async fn seal_secrets(mut call: Call<'_>) -> HandlerResult {
    let asked: SealSecretsPage = call.json(MAX_JSON_BODY).await?;
    let limit = asked.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(call.error(ErrorCode::InvalidRequest).with_detail("limit: 1 to 100"));
    }
    if asked.cursor.as_ref().is_some_and(|c| c.is_empty() || c.len() > 1024 || c.chars().any(char::is_control)) {
        return Err(call.error(ErrorCode::InvalidRequest).with_detail("cursor: as the last page answered it"));
    }
    let given = asked.cursor.is_some();
    let (ids, cursor) = match store::registry_page(&call.kv()?, asked.cursor, u64::from(limit)).await {
        Ok(page) => page,
        // KV refuses a cursor it did not make: the caller's input, not a failure.
        Err(_) if given => {
            let detail = "cursor: not one a page answered (start again without it)";
            return Err(call.error(ErrorCode::InvalidRequest).with_detail(detail));
        }
        Err(err) => return Err(Internal::Kv(err).into()),
    };
    let mut report = SealSecretsReport { checked: 0, sealed: 0, cursor };
    for id in ids {
        if let Some(sealed) = call.account(&id, SealSecrets {}).await? {
            report.checked += 1;
            report.sealed += u32::from(sealed);
        }
    }
    call.reply(200, &report)
}
