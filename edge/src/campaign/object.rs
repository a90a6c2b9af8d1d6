//! The campaigns' Durable Object (`CAMPAIGNS`, one object named `campaigns`): loads the book, applies what staff ask
//! or what the alarm's next step says ([`super::book`]), saves, and does the I/O — a registry page from KV, one
//! request to the mail provider, a row per mailed account in its SQLite table. One object, so campaigns share the
//! provider's rate in turn; its alarm walks them on after a crash or a deploy. It decides nothing.

use super::book::{Announcement, Book, Pace, Recipient, Refused, Settled, Step};
use crate::account::registry::Entry;
use crate::audit::{self, Event};
use crate::config::Config;
use crate::mail::batch::{self, Answer};
use crate::mail::job::MailJob;
use crate::mail::send::{self, SendError};
use crate::mail::template;
use crate::platform::binding;
use crate::{fetch, store};
use latchkey_shared::api::CampaignView;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

const BOOK_KEY: &str = "book";
/// The one object's name.
const NAME: &str = "campaigns";
/// Registry pages one alarm may walk that mail nobody, before it lets other work in.
const WALKS_PER_ALARM: u32 = 10;

/// What the Worker asks the object.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "ask", rename_all = "snake_case")]
pub enum Ask {
    Start {
        announcement: Announcement,
        expected: u32,
        started_by: String,
    },
    Pause {
        id: String,
    },
    Resume {
        id: String,
    },
    Cancel {
        id: String,
    },
    /// The provider reported a mail of this campaign bounced.
    Bounced {
        id: String,
    },
    List,
}

/// Its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Campaign { campaign: CampaignView, new: bool },
    Campaigns { campaigns: Vec<CampaignView> },
    Refused { reason: Refused },
    Noted,
}

/// Sends `ask` to the campaigns' object; its reply.
pub async fn ask(env: &Env, ask: &Ask) -> Result<Reply> {
    crate::account::ask::ask_object(env, binding::CAMPAIGNS, NAME, ask).await
}

#[durable_object]
pub struct Campaigns {
    state: State,
    env: Env,
    config: RefCell<Option<Config>>,
}

impl DurableObject for Campaigns {
    fn new(state: State, env: Env) -> Self {
        Campaigns { state, env, config: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let asked: Ask = req.json().await?;
        let mut book = self.load().await?;
        let now = crate::platform::now_secs();
        let (reply, changed) = match asked {
            Ask::Start { announcement, expected, started_by } => {
                let nonce = crate::platform::new_id()?;
                match book.start(announcement, expected, started_by, nonce, now) {
                    Ok((campaign, new)) => {
                        let action = if new { "started" } else { "asked_again" };
                        audit::record(&Event::Campaign { campaign: &campaign.id, action });
                        (Reply::Campaign { campaign, new }, true)
                    }
                    Err(refused) => (Reply::Refused { reason: refused }, false),
                }
            }
            Ask::Pause { id } => staff(book.pause(&id), "paused"),
            Ask::Resume { id } => staff(book.resume(&id), "resumed"),
            Ask::Cancel { id } => staff(book.cancel(&id, now), "cancelled"),
            // A bounce for a campaign no longer in the book changes nothing.
            Ask::Bounced { id } => (Reply::Noted, book.bounced(&id).is_ok()),
            Ask::List => (Reply::Campaigns { campaigns: book.views() }, false),
        };
        if changed {
            self.save(&book).await?;
        }
        // Every ask makes sure a running campaign has its alarm (one lost in a restart is set again here).
        self.wake_if_running(&book).await?;
        Response::from_json(&reply)
    }

    async fn alarm(&self) -> Result<Response> {
        let config = self.config()?;
        let pace = Pace::new(config.mail.requests_per_sec, config.mail.batch);
        let mut walks = 0;
        loop {
            // The book is read again after every wait on the network: staff may have paused, cancelled or started a
            // campaign meanwhile, and each change is applied to the book as it stands (load, apply, save: no other
            // event comes in while only storage is awaited).
            let mut book = self.load().await?;
            let step = book.step(crate::platform::now_millis(), pace);
            self.save(&book).await?;
            match step {
                Step::Idle => return Response::ok(""),
                Step::Wait(until) => {
                    self.wake_at(until).await?;
                    return Response::ok("");
                }
                Step::Walk { id, cursor, limit } => {
                    self.walk(&id, cursor, limit, pace).await?;
                    walks += 1;
                    if walks >= WALKS_PER_ALARM {
                        self.wake_at(0).await?;
                        return Response::ok("");
                    }
                }
                Step::Send { id, key, mails } => {
                    let answer = self.send(&config, &id, &key, &mails).await;
                    let name = answer_name(&answer);
                    let mut book = self.load().await?;
                    let settled = book.tried(&id, answer, crate::platform::now_millis(), pace);
                    // One request per alarm: the next one waits for the pace.
                    let next = book.step(crate::platform::now_millis(), pace);
                    self.save(&book).await?;
                    self.record(&id, &settled, None)?;
                    audit::record(&Event::CampaignBatch {
                        campaign: &id,
                        key: &key,
                        mails: mails.len() as u32,
                        sent: settled.sent.len() as u32,
                        failed: settled.failed.len() as u32,
                        answer: name,
                    });
                    match next {
                        Step::Idle => {}
                        Step::Wait(until) => self.wake_at(until).await?,
                        Step::Walk { .. } | Step::Send { .. } => self.wake_at(0).await?,
                    }
                    return Response::ok("");
                }
            }
        }
    }
}

fn staff(result: std::result::Result<CampaignView, Refused>, action: &str) -> (Reply, bool) {
    match result {
        Ok(campaign) => {
            audit::record(&Event::Campaign { campaign: &campaign.id, action });
            (Reply::Campaign { campaign, new: false }, true)
        }
        Err(refused) => (Reply::Refused { reason: refused }, false),
    }
}

fn answer_name(answer: &Answer) -> &'static str {
    match answer {
        Answer::Sent => "sent",
        Answer::Partly { .. } => "partly",
        Answer::Throttled { .. } => "throttled",
        Answer::Failed(_) => "failed",
        Answer::Refused(_) => "refused",
    }
}

impl Campaigns {
    fn config(&self) -> Result<Config> {
        Ok(Config::cached(&self.config, &self.env)?)
    }

    async fn load(&self) -> Result<Book> {
        Ok(self.state.storage().get::<Book>(BOOK_KEY).await?.unwrap_or_default())
    }

    async fn save(&self, book: &Book) -> Result<()> {
        self.state.storage().put(BOOK_KEY, book).await
    }

    /// Sets the alarm for `at_ms` (now, if that has passed).
    async fn wake_at(&self, at_ms: u64) -> Result<()> {
        let offset = at_ms.saturating_sub(crate::platform::now_millis());
        self.state.storage().set_alarm(offset as i64).await
    }

    async fn wake_if_running(&self, book: &Book) -> Result<()> {
        let running = book.campaigns.iter().any(|c| c.status == latchkey_shared::api::CampaignStatus::Running);
        if running && self.state.storage().get_alarm().await?.is_none() {
            self.wake_at(0).await?;
        }
        Ok(())
    }

    /// The per-account record: one row per account a campaign put in a batch, and what became of its mail.
    fn table(&self) -> Result<worker::SqlStorage> {
        let sql = self.state.storage().sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS mailed (campaign TEXT NOT NULL, account TEXT NOT NULL, \
             state TEXT NOT NULL, PRIMARY KEY (campaign, account))",
            None,
        )?;
        Ok(sql)
    }

    /// Walks one registry page: those the campaign wants and has not mailed become its next batch.
    async fn walk(&self, id: &str, cursor: Option<String>, limit: u32, pace: Pace) -> Result<()> {
        let kv = self.env.kv(binding::KV)?;
        let (page, next) = store::registry_entries_page::<Entry>(&kv, cursor, u64::from(limit)).await?;
        let mut book = self.load().await?;
        let Some(campaign) = book.campaigns.iter().find(|c| c.id == id) else { return Ok(()) };
        let sql = self.table()?;
        let looked_at = page.len() as u32;
        let mut fresh = Vec::new();
        for (account, entry) in page.into_iter().filter(|(_, entry)| campaign.announcement.wants(entry)) {
            let known = sql
                .exec(
                    "SELECT 1 AS n FROM mailed WHERE campaign = ? AND account = ?",
                    vec![id.into(), account.as_str().into()],
                )?
                .to_array::<serde_json::Value>()?;
            if known.is_empty() {
                fresh.push(Recipient::new(account, entry));
            }
        }
        let batch: Vec<String> = fresh.iter().map(|r| r.account.clone()).collect();
        if !book.walked(id, looked_at, fresh, next, pace) {
            return Ok(());
        }
        self.save(&book).await?;
        // After the book: a crash in between leaves a batch without its rows, never rows without their batch.
        self.record(id, &Settled::default(), Some(&batch))
    }

    /// Writes the rows of a new batch (`queued`), and what `settled` settled.
    fn record(&self, id: &str, settled: &Settled, queued: Option<&[String]>) -> Result<()> {
        let sql = self.table()?;
        let rows = queued.into_iter().flatten().map(|a| (a, "queued"));
        let rows =
            rows.chain(settled.sent.iter().map(|a| (a, "sent"))).chain(settled.failed.iter().map(|a| (a, "failed")));
        for (account, state) in rows {
            sql.exec(
                "INSERT INTO mailed (campaign, account, state) VALUES (?, ?, ?) \
                 ON CONFLICT (campaign, account) DO UPDATE SET state = excluded.state",
                vec![id.into(), account.as_str().into(), state.into()],
            )?;
        }
        Ok(())
    }

    /// One request to the provider: the batch API where there is one and more than one mail, else the mail alone
    /// through the same path as every other mail.
    async fn send(&self, config: &Config, id: &str, key: &str, mails: &[MailJob]) -> Answer {
        let writer =
            template::Writer { app_origin: &config.app_origin, keys: &config.sealing_keys, site: &config.site };
        let from = config.site.sender(&config.mail.from);
        if let [mail] = mails {
            return match send::deliver(&self.env, &config.mail, &writer, mail).await {
                Ok(()) => Answer::Sent,
                Err(SendError::Throttled(_, retry_after)) => Answer::Throttled { retry_after },
                Err(SendError::Transient(reason)) => Answer::Failed(reason),
                Err(SendError::Permanent(reason)) => Answer::Refused(reason),
            };
        }
        let rendered: std::result::Result<Vec<_>, _> = mails.iter().map(|m| template::render(m, &writer)).collect();
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(unopened) => return Answer::Refused(unopened.to_string()),
        };
        let c = &config.mail;
        let Some(request) = batch::request(c.provider, &c.base_url, c.api_key.expose_str(), &from, &rendered, key, id)
        else {
            return Answer::Refused("this provider has no batch API".into());
        };
        match fetch::post_answer(&request).await {
            Ok(answer) => batch::answer(answer.status, answer.retry_after.as_deref(), &answer.text, mails.len()),
            Err(err) => Answer::Failed(err.to_string()),
        }
    }
}
