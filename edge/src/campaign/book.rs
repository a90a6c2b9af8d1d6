//! The campaigns' book and every decision about them, pure: which campaign runs (one at a time, oldest first, so the
//! provider's rate is shared by none), what its next step is (walk a registry page, send the batch it made, wait),
//! what an answer from the provider means (sent, some refused, slow down, try again later, give up), and what staff
//! may do to one (pause, resume, cancel). `now` is passed in, in milliseconds.

use crate::account::registry::Entry;
use crate::mail::batch::Answer;
use crate::mail::job::{Kind, MailJob};
use latchkey_shared::api::{CampaignStatus, CampaignView, PasswordChangeRequirement};
use latchkey_shared::{Audience, Locale};
use serde::{Deserialize, Serialize};

/// Campaigns kept in the book (the oldest finished ones go first).
pub const KEPT: usize = 20;
/// Tries of one batch that failed (a server error, no answer) before its mails count as failed. A `429` is not a
/// failure: the campaign waits as long as the provider asks.
pub const MAX_TRIES: u32 = 8;
const MAX_BACKOFF_MS: u64 = 5 * 60_000;

/// How fast and in what size the provider takes mail (`mail::batch`, the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// Between two requests of campaigns to the provider.
    pub interval_ms: u64,
    /// Mails per batch request; 1 for a provider without a batch API.
    pub batch: u32,
}

impl Pace {
    /// Campaigns leave one request a second of the provider's rate to links (someone waits at the screen for those):
    /// they take `rate - 1` (at least one a second).
    pub fn new(requests_per_sec: u32, batch: u32) -> Pace {
        let share = u64::from(requests_per_sec.saturating_sub(1).max(1));
        Pace { interval_ms: 1000_u64.div_ceil(share), batch: batch.max(1) }
    }
}

/// What a campaign announces: the required password change in force for `audiences`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub audiences: Vec<Audience>,
    pub requirement: PasswordChangeRequirement,
}

impl Announcement {
    /// Named by the requirements it announces: asking again while they are in force is the same campaign.
    pub fn id(&self) -> String {
        let since = |audience: Audience| {
            let change = self.audiences.contains(&audience).then(|| self.requirement.for_audience(audience)).flatten();
            change.map_or_else(|| "-".to_owned(), |c| c.since.to_string())
        };
        format!("change-s{}-p{}", since(Audience::Staff), since(Audience::Parent))
    }

    /// Whether there is anything to announce: a requirement for one of its audiences.
    pub fn announces_anything(&self) -> bool {
        self.audiences.iter().any(|&a| self.requirement.for_audience(a).is_some())
    }

    /// Whether this registry entry is someone to mail: of its audiences, still to change.
    pub fn wants(&self, entry: &Entry) -> bool {
        self.audiences.contains(&entry.audience)
            && self.requirement.for_audience(entry.audience).is_some()
            && entry.pending(&self.requirement)
    }
}

/// Someone a batch mails: the account (its Durable Object's name) and what the mail needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub account: String,
    pub login_email: String,
    pub display_name: String,
    pub audience: Audience,
    pub locale: Locale,
}

impl Recipient {
    pub fn new(account: String, entry: Entry) -> Recipient {
        let Entry { login_email, display_name, audience, locale, .. } = entry;
        Recipient { account, login_email, display_name, audience, locale }
    }
}

/// One page's mails, sent as one batch (or, once the provider refused the batch as a whole, one by one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub number: u32,
    pub recipients: Vec<Recipient>,
    /// Failed tries of what is sent next.
    pub tries: u32,
    /// `429`s in a row: the wait doubles when the provider names none.
    pub throttled: u32,
    /// Sent one mail a request: the provider has no batch API, or refused the batch as a whole.
    pub one_by_one: bool,
    /// Mails of this unit already settled one by one (names the next one's key).
    pub settled_singly: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: String,
    /// Random, made when it started: in every batch's idempotency key, so two deployments sharing a provider account
    /// (or a test's Workers sharing a fake) never meet each other's keys, while a batch sent again keeps its own.
    pub nonce: String,
    pub announcement: Announcement,
    pub started_at: u64,
    pub started_by: String,
    pub status: CampaignStatus,
    pub expected: u32,
    /// The registry listing's cursor after the last page walked.
    pub cursor: Option<String>,
    pub walked_all: bool,
    pub walked: u32,
    pub queued: u32,
    pub sent: u32,
    pub failed: u32,
    pub bounced: u32,
    pub next_unit: u32,
    pub unit: Option<Unit>,
    /// Nothing is sent before this (ms): the pace, a `Retry-After`, a backoff.
    pub not_before_ms: u64,
    pub finished_at: Option<u64>,
}

/// What staff asked that cannot be done (the object answers it as it is; the handler says it in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Refused {
    #[error("no campaign has this id")]
    Unknown,
    #[error("the campaign has finished")]
    Finished,
    #[error("the campaign is not paused")]
    NotPaused,
    #[error("no required password change is in force for these account types")]
    NothingToAnnounce,
}

/// What the object does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// No campaign is running.
    Idle,
    /// Come back at this time (ms).
    Wait(u64),
    /// List the registry page after `cursor` (at most `limit` accounts) for campaign `id`.
    Walk { id: String, cursor: Option<String>, limit: u32 },
    /// Send these mails as one request, under the idempotency key `key` (the same however often it is sent again).
    Send { id: String, key: String, mails: Vec<MailJob> },
}

/// Accounts whose mail was settled by a step: sent, or given up on (for the per-account record).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settled {
    pub sent: Vec<String>,
    pub failed: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Book {
    /// Oldest first.
    pub campaigns: Vec<Campaign>,
}

impl Campaign {
    pub fn view(&self) -> CampaignView {
        let settled = self.sent + self.failed;
        CampaignView {
            id: self.id.clone(),
            kind: "change_requested".into(),
            audiences: self.announcement.audiences.clone(),
            status: self.status,
            started_at: self.started_at,
            finished_at: self.finished_at,
            started_by: self.started_by.clone(),
            expected: self.expected,
            walked: self.walked,
            queued: self.queued,
            sent: self.sent,
            failed: self.failed,
            bounced: self.bounced,
            left: if self.status == CampaignStatus::Done { 0 } else { self.expected.saturating_sub(settled) },
            waiting_until: (self.status == CampaignStatus::Running && self.not_before_ms > 0)
                .then_some(self.not_before_ms.div_ceil(1000)),
        }
    }

    /// The mails of the unit's next request and its key.
    fn next_request(&self, unit: &Unit) -> (String, Vec<MailJob>) {
        let job = |key: String, r: &Recipient| {
            let deadline = self.announcement.requirement.for_audience(r.audience).and_then(|c| c.deadline);
            MailJob {
                id: key,
                to: vec![r.login_email.clone()],
                display_name: r.display_name.clone(),
                audience: r.audience,
                login_email: r.login_email.clone(),
                locale: r.locale,
                kind: Kind::ChangeRequested { deadline },
            }
        };
        if unit.one_by_one {
            let key = format!("{}-{}-{}-{}", self.id, self.nonce, unit.number, unit.settled_singly);
            (key.clone(), unit.recipients.first().map(|r| job(key, r)).into_iter().collect())
        } else {
            let key = format!("{}-{}-{}", self.id, self.nonce, unit.number);
            let jobs = unit.recipients.iter().enumerate().map(|(i, r)| job(format!("{key}-{i}"), r)).collect();
            (key, jobs)
        }
    }
}

impl Book {
    fn find(&mut self, id: &str) -> Result<&mut Campaign, Refused> {
        self.campaigns.iter_mut().find(|c| c.id == id).ok_or(Refused::Unknown)
    }

    pub fn views(&self) -> Vec<CampaignView> {
        self.campaigns.iter().rev().map(Campaign::view).collect()
    }

    #[cfg(test)]
    pub fn view(&self, id: &str) -> Option<CampaignView> {
        self.campaigns.iter().find(|c| c.id == id).map(Campaign::view)
    }

    /// Starts the announcement, or answers the campaign that already announces it (a cancelled one runs again from
    /// where it stopped; one that is done stays done). Whether it is new. `nonce` is fresh randomness.
    pub fn start(
        &mut self,
        announcement: Announcement,
        expected: u32,
        started_by: String,
        nonce: String,
        now_secs: u64,
    ) -> Result<(CampaignView, bool), Refused> {
        if !announcement.announces_anything() {
            return Err(Refused::NothingToAnnounce);
        }
        let id = announcement.id();
        if let Ok(known) = self.find(&id) {
            if known.status == CampaignStatus::Cancelled {
                known.status = CampaignStatus::Running;
                known.finished_at = None;
            }
            return Ok((known.view(), false));
        }
        self.campaigns.push(Campaign {
            id,
            nonce,
            announcement,
            started_at: now_secs,
            started_by,
            status: CampaignStatus::Running,
            expected,
            cursor: None,
            walked_all: false,
            walked: 0,
            queued: 0,
            sent: 0,
            failed: 0,
            bounced: 0,
            next_unit: 0,
            unit: None,
            not_before_ms: 0,
            finished_at: None,
        });
        // The oldest finished campaigns make room.
        while self.campaigns.len() > KEPT {
            let Some(at) = self.campaigns.iter().position(|c| c.finished_at.is_some()) else { break };
            self.campaigns.remove(at);
        }
        let started = self.campaigns.last().map(Campaign::view).ok_or(Refused::Unknown)?;
        Ok((started, true))
    }

    pub fn pause(&mut self, id: &str) -> Result<CampaignView, Refused> {
        let campaign = self.find(id)?;
        match campaign.status {
            CampaignStatus::Running => campaign.status = CampaignStatus::Paused,
            CampaignStatus::Paused => {}
            CampaignStatus::Cancelled | CampaignStatus::Done => return Err(Refused::Finished),
        }
        Ok(campaign.view())
    }

    pub fn resume(&mut self, id: &str) -> Result<CampaignView, Refused> {
        let campaign = self.find(id)?;
        match campaign.status {
            CampaignStatus::Paused => campaign.status = CampaignStatus::Running,
            CampaignStatus::Running => {}
            CampaignStatus::Cancelled | CampaignStatus::Done => return Err(Refused::NotPaused),
        }
        Ok(campaign.view())
    }

    /// Stops it: nothing more is sent (a request already on its way still counts when it is answered). Started
    /// again, it goes on from where it stopped, the batch it held first.
    pub fn cancel(&mut self, id: &str, now_secs: u64) -> Result<CampaignView, Refused> {
        let campaign = self.find(id)?;
        match campaign.status {
            CampaignStatus::Running | CampaignStatus::Paused => {
                campaign.status = CampaignStatus::Cancelled;
                campaign.finished_at = Some(now_secs);
            }
            CampaignStatus::Cancelled => {}
            CampaignStatus::Done => return Err(Refused::Finished),
        }
        Ok(campaign.view())
    }

    /// The provider reported a mail of campaign `id` bounced.
    pub fn bounced(&mut self, id: &str) -> Result<(), Refused> {
        let campaign = self.find(id)?;
        campaign.bounced = (campaign.bounced + 1).min(campaign.sent);
        Ok(())
    }

    /// What to do next; a running campaign with nothing left to walk or send is done first.
    pub fn step(&mut self, now_ms: u64, pace: Pace) -> Step {
        for campaign in self.campaigns.iter_mut().filter(|c| c.status == CampaignStatus::Running) {
            if campaign.walked_all && campaign.unit.is_none() {
                campaign.status = CampaignStatus::Done;
                campaign.finished_at = Some(now_ms / 1000);
            }
        }
        let Some(campaign) = self.campaigns.iter().find(|c| c.status == CampaignStatus::Running) else {
            return Step::Idle;
        };
        if now_ms < campaign.not_before_ms {
            return Step::Wait(campaign.not_before_ms);
        }
        match &campaign.unit {
            Some(unit) => {
                let (key, mails) = campaign.next_request(unit);
                Step::Send { id: campaign.id.clone(), key, mails }
            }
            None => Step::Walk { id: campaign.id.clone(), cursor: campaign.cursor.clone(), limit: pace.batch },
        }
    }

    /// A registry page was walked: `looked_at` entries, of which `fresh` are to be mailed (wanted, and not recorded
    /// as mailed by this campaign before); `next` is the listing's cursor after it (none: the registry is walked).
    /// Whether it was taken: not if staff paused or cancelled the campaign meanwhile (the page is walked again).
    pub fn walked(
        &mut self,
        id: &str,
        looked_at: u32,
        fresh: Vec<Recipient>,
        next: Option<String>,
        pace: Pace,
    ) -> bool {
        let Ok(campaign) = self.find(id) else { return false };
        if campaign.status != CampaignStatus::Running || campaign.unit.is_some() {
            return false;
        }
        campaign.walked += looked_at;
        campaign.walked_all = next.is_none();
        campaign.cursor = next;
        if !fresh.is_empty() {
            campaign.queued += fresh.len() as u32;
            campaign.unit = Some(Unit {
                number: campaign.next_unit,
                recipients: fresh,
                tries: 0,
                throttled: 0,
                one_by_one: pace.batch == 1,
                settled_singly: 0,
            });
            campaign.next_unit += 1;
        }
        true
    }

    /// The provider answered the request of campaign `id`'s unit (whatever staff did to the campaign meanwhile: the
    /// mail went or did not); which accounts that settles.
    pub fn tried(&mut self, id: &str, answer: Answer, now_ms: u64, pace: Pace) -> Settled {
        let mut settled = Settled::default();
        let Ok(campaign) = self.find(id) else { return settled };
        let Some(unit) = campaign.unit.as_mut() else { return settled };
        let mut next_ms = now_ms + pace.interval_ms;
        let accounts = |rs: &[Recipient]| rs.iter().map(|r| r.account.clone()).collect::<Vec<_>>();
        // A mail sent on its own that the provider refused is refused, however it said so.
        let answer = match answer {
            Answer::Partly { refused } if unit.one_by_one => {
                Answer::Refused(refused.into_iter().next().map(|(_, words)| words).unwrap_or_default())
            }
            answer => answer,
        };
        match answer {
            Answer::Sent if unit.one_by_one => {
                let first = unit.recipients.remove(0);
                settled.sent.push(first.account);
                (unit.settled_singly, unit.tries, unit.throttled) = (unit.settled_singly + 1, 0, 0);
            }
            Answer::Sent => settled.sent = accounts(&unit.recipients),
            Answer::Partly { refused } => {
                for (at, recipient) in unit.recipients.iter().enumerate() {
                    let list =
                        if refused.iter().any(|(r, _)| *r == at) { &mut settled.failed } else { &mut settled.sent };
                    list.push(recipient.account.clone());
                }
            }
            Answer::Throttled { retry_after } => {
                unit.throttled += 1;
                let doubled = pace.interval_ms.saturating_mul(1 << unit.throttled.min(10)).min(60_000);
                next_ms = now_ms + retry_after.map_or(doubled, |secs| u64::from(secs) * 1000).max(pace.interval_ms);
            }
            Answer::Failed(_) => {
                unit.tries += 1;
                if unit.tries < MAX_TRIES {
                    next_ms = now_ms + (1000_u64 << unit.tries.min(16)).clamp(pace.interval_ms, MAX_BACKOFF_MS);
                } else if unit.one_by_one {
                    let first = unit.recipients.remove(0);
                    settled.failed.push(first.account);
                    (unit.settled_singly, unit.tries) = (unit.settled_singly + 1, 0);
                } else {
                    settled.failed = accounts(&unit.recipients);
                }
            }
            Answer::Refused(_) if unit.one_by_one => {
                let first = unit.recipients.remove(0);
                settled.failed.push(first.account);
                (unit.settled_singly, unit.tries) = (unit.settled_singly + 1, 0);
            }
            // One bad address must not cost the rest their mail: the batch goes again one mail at a time.
            Answer::Refused(_) if unit.recipients.len() > 1 => (unit.one_by_one, unit.tries) = (true, 0),
            Answer::Refused(_) => settled.failed = accounts(&unit.recipients),
        }
        let unit_done = unit.recipients.is_empty() || (!unit.one_by_one && settled != Settled::default());
        if unit_done {
            campaign.unit = None;
        }
        campaign.sent += settled.sent.len() as u32;
        campaign.failed += settled.failed.len() as u32;
        campaign.not_before_ms = next_ms;
        settled
    }
}
