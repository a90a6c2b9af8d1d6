//! The mail that could not be delivered (dead letters), for ops and the console's settings: listed, and sent again
//! where it can be.

use super::{Call, HandlerResult};
use crate::body::MAX_JSON_BODY;
use crate::email::Email;
use crate::failure::Internal;
use crate::platform::binding;
use crate::store;
use latchkey_shared::api::{DeadLetter, DeadLetterList, ResendDeadLetter, Resent};
use latchkey_shared::ErrorCode;

/// `GET /api/admin/dead-letters`: mail that could not be delivered.
pub async fn list(call: Call<'_>) -> HandlerResult {
    let kv = call.kv()?;
    let stored: Vec<crate::mail::job::StoredDeadLetter> =
        store::list_json(&kv, "deadletter:").await.map_err(Internal::Kv)?;
    let mut dead_letters: Vec<DeadLetter> = stored.into_iter().map(|s| s.letter).collect();
    dead_letters.sort_by_key(|d| d.recorded_at);
    call.reply(200, &DeadLetterList { dead_letters })
}

/// `POST /api/admin/dead-letters/resend`: a notice goes out again as it was (under a new id); for a reset link, a new
/// link goes to the login email. The dead letter is then gone.
pub async fn resend(mut call: Call<'_>) -> HandlerResult {
    let asked: ResendDeadLetter = call.json(MAX_JSON_BODY).await?;
    // Ids are ours (hex, or a back-channel logout's `sid.client`): anything else, or longer, names no dead letter.
    let plausible = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if asked.id.is_empty() || asked.id.len() > 200 || !asked.id.chars().all(plausible) {
        return Err(call.error(ErrorCode::NotFound));
    }
    let kv = call.kv()?;
    let key = store::dead_letter_key(&asked.id);
    let stored: crate::mail::job::StoredDeadLetter =
        store::get_json(&kv, &key).await.map_err(Internal::Kv)?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    let not_again = || {
        let detail =
            "this mail cannot be sent again: a webhook or an app's logout, or a login email confirmation (ask \
                      for the change again)";
        call.error(ErrorCode::InvalidRequest).with_detail(detail)
    };
    let resent = match (stored.notice, stored.letter.account) {
        (Some(notice), _) => {
            let id = crate::platform::new_id()?;
            let job = notice.again(id).ok_or_else(not_again)?;
            crate::metrics::count(crate::metrics::Op::QueueSend);
            let queue = call.env.queue(binding::MAIL_QUEUE).map_err(Internal::Queue)?;
            queue.send(&job).await.map_err(Internal::Queue)?;
            "notice"
        }
        (None, Some(account)) if stored.letter.kind == crate::mail::job::RESET_KIND => {
            let email = Email::parse(&account.login_email).map_err(|_| not_again())?;
            let id = call.account_id_for(account.audience, &email).await?;
            if !super::admin::staff_reset_link(&call, &id, account.audience).await? {
                let detail = "no link was sent: the account is gone or disabled, or has had its links for now";
                return Err(call.error(ErrorCode::InvalidRequest).with_detail(detail));
            }
            "reset_link"
        }
        _ => return Err(not_again()),
    };
    store::delete(&kv, &key).await.map_err(Internal::Kv)?;
    call.reply(200, &Resent { resent: resent.to_owned() })
}
