//! Campaigns (the admin API and the console, `admin` role): announce the required password change to everyone who
//! still has to make it, follow its progress, pause, resume or cancel it. The campaigns' Durable Object does the work
//! (`campaign::object`); these only ask it.

use super::{Call, HandlerResult};
use crate::account::registry;
use crate::body::MAX_JSON_BODY;
use crate::campaign::book::{Announcement, Refused};
use crate::campaign::object::{self, Ask, Reply};
use crate::failure::Internal;
use latchkey_shared::api::{CampaignAction, CampaignList, CampaignView, PasswordChangeRequirement, StartCampaign};
use latchkey_shared::{ApiError, Audience, ErrorCode};

async fn ask(call: &Call<'_>, asked: &Ask) -> Result<Reply, ApiError> {
    object::ask(call.env, asked).await.map_err(|e| Internal::DurableObject(e).into())
}

fn refused(call: &Call<'_>, why: Refused) -> ApiError {
    let code = if why == Refused::Unknown { ErrorCode::NotFound } else { ErrorCode::InvalidRequest };
    call.error(code).with_detail(why.to_string())
}

fn campaign(call: &Call<'_>, reply: Reply) -> Result<(CampaignView, bool), ApiError> {
    match reply {
        Reply::Campaign { campaign, new } => Ok((campaign, new)),
        Reply::Refused { reason } => Err(refused(call, reason)),
        Reply::Campaigns { .. } | Reply::Noted => {
            Err(Internal::DurableObject(worker::Error::RustError("an unexpected reply".into())).into())
        }
    }
}

/// Starts (or answers) the campaign announcing `requirement` to `audiences`; `entries` are the registry as the
/// caller read it, for how many it expects to mail.
pub(super) async fn announce(
    call: &Call<'_>,
    audiences: Vec<Audience>,
    requirement: PasswordChangeRequirement,
    entries: &[registry::Entry],
) -> Result<(CampaignView, bool), ApiError> {
    let announcement = Announcement { audiences, requirement };
    let expected = entries.iter().filter(|e| announcement.wants(e)).count() as u32;
    let started_by = call.staff_member()?.actor.display_name().to_owned();
    let reply = ask(call, &Ask::Start { announcement, expected, started_by }).await?;
    campaign(call, reply)
}

/// `GET /api/admin/campaigns`: the latest campaigns, newest first.
pub async fn list(call: Call<'_>) -> HandlerResult {
    match ask(&call, &Ask::List).await? {
        Reply::Campaigns { campaigns } => call.reply(200, &CampaignList { campaigns }),
        other => Err(campaign(&call, other).err().unwrap_or_else(|| call.error(ErrorCode::Internal))),
    }
}

/// `POST /api/admin/campaigns`: announces the required change in force for `audience` (none: every type); `201`
/// with a new campaign, `200` with the one that already announces it.
pub async fn start(mut call: Call<'_>) -> HandlerResult {
    let asked: StartCampaign = call.json(MAX_JSON_BODY).await?;
    let audiences = asked.audience.map_or(Audience::ALL.to_vec(), |a| vec![a]);
    let requirement = call.password_change_requirement().await;
    let entries = call.registry_entries().await?;
    let (view, new) = announce(&call, audiences, requirement, &entries).await?;
    call.reply(if new { 201 } else { 200 }, &view)
}

async fn act(mut call: Call<'_>, make: fn(String) -> Ask) -> HandlerResult {
    let asked: CampaignAction = call.json(MAX_JSON_BODY).await?;
    let reply = ask(&call, &make(asked.id)).await?;
    let (view, _) = campaign(&call, reply)?;
    call.reply(200, &view)
}

/// `POST /api/admin/campaigns/pause`: stops sending where it is.
pub async fn pause(call: Call<'_>) -> HandlerResult {
    act(call, |id| Ask::Pause { id }).await
}

/// `POST /api/admin/campaigns/resume`.
pub async fn resume(call: Call<'_>) -> HandlerResult {
    act(call, |id| Ask::Resume { id }).await
}

/// `POST /api/admin/campaigns/cancel`: stops for good; those not yet mailed are not.
pub async fn cancel(call: Call<'_>) -> HandlerResult {
    act(call, |id| Ask::Cancel { id }).await
}
