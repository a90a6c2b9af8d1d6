//! The admin's settings for whole account types (the admin API and the console, `admin` role): which must use
//! 2-Step Verification, and the required password changes — by account type or everyone, announced or not — with each
//! type's progress.

use super::{Call, HandlerResult};
use crate::account::registry;
use crate::body::MAX_JSON_BODY;
use crate::failure::Internal;
use crate::store;
use latchkey_shared::api::{
    PasswordChangeProgress, PasswordChangeRequirement, RequirePasswordChange, RequiredChange, TwoStepRequirement,
};
use latchkey_shared::{ApiError, Audience, ErrorCode};

/// `GET /api/admin/two-step-requirement`.
pub async fn two_step_requirement(call: Call<'_>) -> HandlerResult {
    let requirement: TwoStepRequirement =
        store::get_json(&call.kv()?, store::TWO_STEP_REQUIREMENT_KEY).await.map_err(Internal::Kv)?.unwrap_or_default();
    call.reply(200, &requirement)
}

/// `PUT /api/admin/two-step-requirement`: replaces the requirement. It applies from each person's next login, and
/// may take up to a minute to reach every Cloudflare location (KV).
pub async fn set_two_step_requirement(mut call: Call<'_>) -> HandlerResult {
    let requirement: TwoStepRequirement = call.json(MAX_JSON_BODY).await?;
    if !requirement.is_valid() {
        let detail = format!("grace days: 0 to {}", TwoStepRequirement::MAX_GRACE_DAYS);
        return Err(call.error(ErrorCode::InvalidRequest).with_detail(detail));
    }
    store::put_json(&call.kv()?, store::TWO_STEP_REQUIREMENT_KEY, &requirement, None).await.map_err(Internal::Kv)?;
    call.reply(200, &requirement)
}

/// How far ahead a required change's deadline may be.
const MAX_DEADLINE_SECS: u64 = 366 * 86_400;

/// A deadline in the future (within a year), or none for "at the next login".
pub(super) fn check_deadline(call: &Call<'_>, deadline: Option<u64>) -> Result<(), ApiError> {
    let now = crate::platform::now_secs();
    match deadline {
        Some(at) if at <= now => Err(call
            .error(ErrorCode::InvalidRequest)
            .with_detail("deadline: in the past (leave it out for \"at the next login\")")),
        Some(at) if at > now + MAX_DEADLINE_SECS => {
            Err(call.error(ErrorCode::InvalidRequest).with_detail("deadline: at most a year ahead"))
        }
        _ => Ok(()),
    }
}

/// What is required of each account type, and how far each has come.
fn progress(entries: &[registry::Entry], requirement: PasswordChangeRequirement) -> PasswordChangeProgress {
    PasswordChangeProgress {
        requirement,
        staff: registry::progress(entries, Audience::Staff, &requirement),
        parent: registry::progress(entries, Audience::Parent, &requirement),
        campaign: None,
    }
}

/// Stores the required changes by account type; what they are then, and how far each type has come.
async fn save_requirement(
    call: &Call<'_>,
    requirement: PasswordChangeRequirement,
) -> Result<(PasswordChangeProgress, Vec<registry::Entry>), ApiError> {
    store::put_json(&call.kv()?, store::PASSWORD_CHANGE_REQUIREMENT_KEY, &requirement, None)
        .await
        .map_err(Internal::Kv)?;
    let entries = call.registry_entries().await?;
    Ok((progress(&entries, requirement), entries))
}

/// `GET /api/admin/password-change-requirement`.
pub async fn password_change_requirement(call: Call<'_>) -> HandlerResult {
    let requirement = call.password_change_requirement().await;
    let entries = call.registry_entries().await?;
    call.reply(200, &progress(&entries, requirement))
}

/// `PUT /api/admin/password-change-requirement`: every password of `audience` (none: everyone) set before now must
/// change by the deadline (or at the next login). It applies from each person's next login, and may take up to a
/// minute to reach every Cloudflare location (KV). With `announce`, a campaign mails everyone who still has to change
/// (`handlers::campaigns`).
pub async fn set_password_change_requirement(mut call: Call<'_>) -> HandlerResult {
    let asked: RequirePasswordChange = call.json(MAX_JSON_BODY).await?;
    if asked.login_email.is_some() {
        let detail = "login_email: one account is /api/admin/accounts/require-password-change";
        return Err(call.error(ErrorCode::InvalidRequest).with_detail(detail));
    }
    check_deadline(&call, asked.deadline)?;
    let audiences: Vec<Audience> = asked.audience.map_or(Audience::ALL.to_vec(), |a| vec![a]);
    let mut requirement = call.password_change_requirement().await;
    let change = RequiredChange { since: crate::platform::now_secs(), deadline: asked.deadline };
    audiences.iter().for_each(|&audience| requirement.set(audience, Some(change)));
    let (mut report, entries) = save_requirement(&call, requirement).await?;
    if asked.announce {
        report.campaign = Some(super::campaigns::announce(&call, audiences, requirement, &entries).await?.0);
    }
    call.reply(200, &report)
}

/// `DELETE /api/admin/password-change-requirement?audience=staff`: withdraws the requirement of one account type
/// (none: of both). What an account was asked on its own stays.
pub async fn withdraw_password_change_requirement(call: Call<'_>) -> HandlerResult {
    let url = call.req.url().map_err(Internal::Request)?;
    let named = url.query_pairs().find(|(k, _)| k == "audience").map(|(_, v)| v.into_owned());
    let audiences = match named.as_deref() {
        None => Audience::ALL.to_vec(),
        Some(name) => vec![name
            .parse::<Audience>()
            .map_err(|_| call.error(ErrorCode::InvalidRequest).with_detail("audience: `staff` or `parent`"))?],
    };
    let mut requirement = call.password_change_requirement().await;
    audiences.iter().for_each(|&audience| requirement.set(audience, None));
    let (report, _) = save_requirement(&call, requirement).await?;
    call.reply(200, &report)
}
