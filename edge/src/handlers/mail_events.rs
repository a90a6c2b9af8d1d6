//! `POST /api/mail-events`: the mail provider's webhook for what became of a message — delivered, delayed, bounced,
//! complained. Verified (`mail::events`), then recorded per address in KV, where the admin API's account view reads
//! it. Nothing a person sees changes (the restore page still says the same to everyone); the school office does.

use super::{Call, HandlerResult};
use crate::account::commands::delivery::NoteMailEvent;
use crate::audit::{self, Event};
use crate::body::{self, MAX_MAIL_EVENT_BODY};
use crate::email::Email;
use crate::failure::Internal;
use crate::mail::events::Headers;
use crate::platform::now_secs;
use crate::store;
use latchkey_shared::api::{MailEvent, MailEventKind, MailEventsRecorded};
use latchkey_shared::ErrorCode;

pub async fn receive(mut call: Call<'_>) -> HandlerResult {
    // Off until `MAIL_EVENTS_SECRET` is set: as if the endpoint did not exist.
    let Some(verifier) = call.config.mail.events.clone() else { return Err(call.error(ErrorCode::NotFound)) };
    let provider = verifier.provider();
    let bytes = call.body(&["application/json"], MAX_MAIL_EVENT_BODY).await?;
    let (id, timestamp, signature, authorization) = (
        call.header("svix-id"),
        call.header("svix-timestamp"),
        call.header("svix-signature"),
        call.header("Authorization"),
    );
    let headers = Headers {
        svix_id: id.as_deref(),
        svix_timestamp: timestamp.as_deref(),
        svix_signature: signature.as_deref(),
        authorization: authorization.as_deref(),
    };
    let now = now_secs();
    let refuse = |refusal: crate::mail::events::Refusal| {
        audit::record(&Event::MailEventRefused { provider, reason: refusal.reason() });
        let code = if refusal.is_authentication() { ErrorCode::Unauthorized } else { ErrorCode::InvalidRequest };
        call.error(code).with_detail(refusal.to_string())
    };
    verifier.verify(&headers, &bytes, now).map_err(refuse)?;
    let event = body::parse_json::<serde_json::Value>(&bytes, MAX_MAIL_EVENT_BODY).map_err(|e| {
        audit::record(&Event::MailEventRefused { provider, reason: "malformed" });
        call.error(e.code).with_detail(e.detail)
    })?;
    let reported = verifier.read(&event, now).map_err(refuse)?;
    let kv = call.kv()?;
    let mut recorded = 0_u32;
    for report in reported {
        // An address no mail of ours could have gone to is nobody's: nothing to keep.
        let Ok(address) = Email::parse(&report.recipient) else { continue };
        let entry = crate::mail::events::fitted(MailEvent {
            address: address.as_str().to_owned(),
            kind: report.kind,
            at: report.at,
            provider: provider.to_owned(),
            detail: report.detail,
        });
        let new = store::record_mail_event(&kv, &entry, &report.event_id).await.map_err(Internal::Kv)?;
        audit::record(&Event::MailEventRecorded { provider, kind: entry.kind });
        recorded += 1;
        // A campaign counts its bounces (once: a provider's retry of the event is not new).
        if let (true, MailEventKind::Bounced, Some(campaign)) = (new, entry.kind, &report.campaign) {
            let bounced = crate::campaign::object::Ask::Bounced { id: campaign.clone() };
            if let Err(err) = crate::campaign::object::ask(call.env, &bounced).await {
                Internal::DurableObject(err).log();
            }
        }
        // A refusal or a complaint goes into the history of each account the address is on, once; a delivery or a
        // refusal is what an invitation waiting on the address shows the office.
        let told = matches!(entry.kind, MailEventKind::Bounced | MailEventKind::Complained | MailEventKind::Delivered);
        if new && told {
            for id in super::admin::ids_by_email(&call, &kv, &address).await? {
                call.account(&id, NoteMailEvent { kind: entry.kind, at: entry.at, address: entry.address.clone() })
                    .await?;
            }
        }
    }
    call.reply(200, &MailEventsRecorded { recorded })
}
