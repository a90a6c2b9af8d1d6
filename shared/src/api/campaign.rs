//! Campaigns: mail to many accounts at once (the announcement of a required password change), walked through the
//! account registry in pages by one Durable Object, paced to the mail provider, resumable, and reported here.

use crate::Audience;
use serde::{Deserialize, Serialize};

/// `POST /api/admin/campaigns`: announce the required password change in force to everyone of `audience` (none:
/// every account type) who still has to make it. Asking again while the same requirement is in force answers the
/// same campaign: nobody is mailed twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartCampaign {
    #[serde(default)]
    pub audience: Option<Audience>,
}

/// `POST /api/admin/campaigns/pause`, `…/resume`, `…/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignAction {
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Walking the registry and sending, paced to the provider.
    Running,
    /// Stopped where it was by staff; `resume` goes on from there.
    Paused,
    /// Stopped for good by staff: nobody not yet mailed will be.
    Cancelled,
    /// Every account was walked and every mail settled.
    Done,
}

/// One campaign and how far it has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: String,
    /// What it mails: `change_requested` (the announcement of a required password change).
    pub kind: String,
    /// The account types it mails.
    pub audiences: Vec<Audience>,
    pub status: CampaignStatus,
    /// Unix seconds.
    pub started_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<u64>,
    /// Who started it (a staff member's name, or `admin token`).
    pub started_by: String,
    /// How many accounts the registry said still had to change when it started (KV: a report, not a promise).
    pub expected: u32,
    /// Registry entries looked at so far.
    pub walked: u32,
    /// Mails put in a batch for the provider.
    pub queued: u32,
    /// Mails the provider accepted.
    pub sent: u32,
    /// Mails the provider refused, or that kept failing.
    pub failed: u32,
    /// Of those sent, how many the provider later reported bounced.
    pub bounced: u32,
    /// Still to send: of those expected, neither sent nor failed (0 once it is done or cancelled).
    pub left: u32,
    /// When the provider asked to wait (`429`, `Retry-After`) or a failure is backed off: unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_until: Option<u64>,
}

/// `GET /api/admin/campaigns`: the latest campaigns, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignList {
    pub campaigns: Vec<CampaignView>,
}
