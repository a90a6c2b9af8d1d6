use super::book::*;
use crate::account::registry::Entry;
use crate::mail::batch::Answer;
use latchkey_shared::api::{CampaignStatus, PasswordChangeRequirement, RequiredChange};
use latchkey_shared::{Audience, Locale};

const PACE: Pace = Pace { interval_ms: 250, batch: 2 };

fn announcement(audiences: &[Audience]) -> Announcement {
    let mut requirement = PasswordChangeRequirement::default();
    requirement.set(Audience::Parent, Some(RequiredChange { since: 1_000, deadline: Some(9_000) }));
    Announcement { audiences: audiences.to_vec(), requirement }
}

fn entry(email: &str, audience: Audience, changed_at: Option<u64>) -> Entry {
    Entry {
        login_email: email.into(),
        audience,
        display_name: "Ana".into(),
        locale: Locale::Es,
        active: true,
        has_password: true,
        changed_at,
        owes: false,
    }
}

fn recipient(n: u32) -> Recipient {
    Recipient::new(format!("parent:p{n}@school.org"), entry(&format!("p{n}@school.org"), Audience::Parent, None))
}

/// A book with one running campaign for parents; its id.
fn running() -> (Book, String) {
    let mut book = Book::default();
    let (view, new) = book.start(announcement(&[Audience::Parent]), 3, "admin token".into(), "n1".into(), 50).unwrap();
    assert!(new);
    (book, view.id)
}

#[test]
fn an_announcement_is_wanted_by_those_still_to_change_and_named_by_its_requirement() {
    let parents = announcement(&[Audience::Parent]);
    assert!(parents.wants(&entry("a@x.org", Audience::Parent, Some(999))));
    assert!(!parents.wants(&entry("a@x.org", Audience::Parent, Some(1_001))), "changed since");
    assert!(!parents.wants(&entry("a@x.org", Audience::Staff, None)), "not its audience");
    assert!(!parents.wants(&Entry { active: false, ..entry("a@x.org", Audience::Parent, None) }));
    assert_eq!(parents.id(), "change-s--p1000");
    assert_eq!(announcement(&Audience::ALL).id(), "change-s--p1000", "staff have no requirement to announce");
    let mut book = Book::default();
    assert_eq!(
        book.start(announcement(&[Audience::Staff]), 0, "x".into(), "n1".into(), 1),
        Err(Refused::NothingToAnnounce)
    );
}

#[test]
fn starting_it_again_is_the_same_campaign_and_a_cancelled_one_goes_on_where_it_stopped() {
    let (mut book, id) = running();
    let (again, new) = book.start(announcement(&[Audience::Parent]), 99, "someone".into(), "n1".into(), 60).unwrap();
    assert!(!new);
    assert_eq!((again.id.as_str(), again.expected), (id.as_str(), 3));
    book.walked(&id, 2, vec![recipient(1)], Some("c1".into()), PACE);
    book.cancel(&id, 70).unwrap();
    assert_eq!(book.step(100_000, PACE), Step::Idle, "nothing runs");
    let (restarted, _) = book.start(announcement(&[Audience::Parent]), 0, "x".into(), "n1".into(), 80).unwrap();
    assert_eq!(restarted.status, CampaignStatus::Running);
    assert!(
        matches!(book.step(100_000, PACE), Step::Send { ref key, .. } if *key == format!("{id}-n1-0")),
        "the batch it held goes first"
    );
    book.tried(&id, Answer::Sent, 100_000, PACE);
    assert_eq!(book.step(200_000, PACE), Step::Walk { id: id.clone(), cursor: Some("c1".into()), limit: 2 });
}

#[test]
fn an_answer_that_comes_after_staff_paused_or_cancelled_still_counts() {
    let (mut book, id) = running();
    book.walked(&id, 1, vec![recipient(1)], None, PACE);
    assert!(matches!(book.step(0, PACE), Step::Send { .. }));
    book.cancel(&id, 1).unwrap();
    assert_eq!(book.tried(&id, Answer::Sent, 10, PACE).sent.len(), 1);
    let view = book.views().remove(0);
    assert_eq!((view.status, view.sent, view.left), (CampaignStatus::Cancelled, 1, 2));
}

#[test]
fn a_campaign_walks_sends_each_page_as_one_batch_paced_and_ends() {
    let (mut book, id) = running();
    assert_eq!(book.step(0, PACE), Step::Walk { id: id.clone(), cursor: None, limit: 2 });
    book.walked(&id, 2, vec![recipient(1), recipient(2)], Some("c1".into()), PACE);
    let Step::Send { key, mails, .. } = book.step(0, PACE) else { panic!("a send") };
    assert_eq!(key, format!("{id}-n1-0"));
    assert_eq!(
        mails.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        [format!("{id}-n1-0-0"), format!("{id}-n1-0-1")]
    );
    assert_eq!(mails[1].to, ["p2@school.org"]);
    let settled = book.tried(&id, Answer::Sent, 1_000, PACE);
    assert_eq!(settled.sent.len(), 2);
    assert_eq!(book.step(1_100, PACE), Step::Wait(1_250), "paced");
    // A page with nobody to mail moves the cursor on; the last page ends the walk.
    book.walked(&id, 2, vec![], Some("c2".into()), PACE);
    book.walked(&id, 1, vec![recipient(3)], None, PACE);
    assert!(matches!(book.step(1_250, PACE), Step::Send { .. }));
    book.tried(&id, Answer::Sent, 2_000, PACE);
    assert_eq!(book.step(5_000, PACE), Step::Idle);
    let view = book.view(&id).unwrap();
    assert_eq!(
        (view.status, view.walked, view.queued, view.sent, view.left, view.finished_at),
        (CampaignStatus::Done, 5, 3, 3, 0, Some(5))
    );
}

#[test]
fn a_429_waits_as_long_as_the_provider_says_and_never_gives_up() {
    let (mut book, id) = running();
    book.walked(&id, 1, vec![recipient(1)], None, PACE);
    for _ in 0..20 {
        assert!(book.tried(&id, Answer::Throttled { retry_after: Some(7) }, 0, PACE).sent.is_empty());
    }
    assert_eq!(book.step(0, PACE), Step::Wait(7_000));
    assert_eq!(book.view(&id).unwrap().waiting_until, Some(7));
    book.tried(&id, Answer::Throttled { retry_after: None }, 10_000, PACE);
    assert_eq!(book.step(10_000, PACE), Step::Wait(70_000), "without Retry-After: doubling, at most a minute");
    assert_eq!(book.tried(&id, Answer::Sent, 70_000, PACE).sent.len(), 1);
}

#[test]
fn failures_back_off_and_the_batch_fails_after_max_tries() {
    let (mut book, id) = running();
    book.walked(&id, 2, vec![recipient(1), recipient(2)], None, PACE);
    let mut now = 0;
    for _ in 1..MAX_TRIES {
        assert_eq!(book.tried(&id, Answer::Failed("HTTP 500".into()), now, PACE), Settled::default());
        let Step::Wait(until) = book.step(now, PACE) else { panic!("backing off") };
        assert!(until > now);
        now = until;
    }
    let settled = book.tried(&id, Answer::Failed("HTTP 500".into()), now, PACE);
    assert_eq!(settled.failed.len(), 2);
    assert_eq!(book.view(&id).unwrap().failed, 2);
}

#[test]
fn a_batch_refused_as_a_whole_goes_again_one_mail_at_a_time() {
    let (mut book, id) = running();
    book.walked(&id, 3, vec![recipient(1), recipient(2), recipient(3)], None, PACE);
    assert_eq!(book.tried(&id, Answer::Refused("HTTP 422".into()), 0, PACE), Settled::default());
    let keys = |book: &mut Book| match book.step(u64::MAX / 2, PACE) {
        Step::Send { key, mails, .. } => (key, mails.len()),
        other => panic!("{other:?}"),
    };
    assert_eq!(keys(&mut book), (format!("{id}-n1-0-0"), 1));
    book.tried(&id, Answer::Sent, 0, PACE);
    assert_eq!(keys(&mut book), (format!("{id}-n1-0-1"), 1), "the next one has a key of its own");
    let settled = book.tried(&id, Answer::Partly { refused: vec![(0, "406".into())] }, 0, PACE);
    assert_eq!(settled.failed, ["parent:p2@school.org"]);
    book.tried(&id, Answer::Sent, 0, PACE);
    let view = book.view(&id).unwrap();
    assert_eq!((view.sent, view.failed), (2, 1));
    assert_eq!(book.step(u64::MAX / 2, PACE), Step::Idle);
}

#[test]
fn postmark_answers_per_message() {
    let (mut book, id) = running();
    book.walked(&id, 2, vec![recipient(1), recipient(2)], None, PACE);
    let settled = book.tried(&id, Answer::Partly { refused: vec![(1, "406".into())] }, 0, PACE);
    assert_eq!((settled.sent.len(), settled.failed.len()), (1, 1));
}

#[test]
fn a_paused_campaign_sends_nothing_and_one_runs_at_a_time() {
    let (mut book, id) = running();
    let mut staff = announcement(&[Audience::Staff]);
    staff.requirement.set(Audience::Staff, Some(RequiredChange { since: 2_000, deadline: None }));
    let (second, _) = book.start(staff, 1, "x".into(), "n1".into(), 60).unwrap();
    assert!(matches!(book.step(0, PACE), Step::Walk { id: ref walking, .. } if *walking == id), "oldest first");
    book.pause(&id).unwrap();
    assert!(matches!(book.step(0, PACE), Step::Walk { id: ref walking, .. } if *walking == second.id));
    book.pause(&second.id).unwrap();
    assert_eq!(book.step(0, PACE), Step::Idle);
    assert!(!book.walked(&id, 1, vec![recipient(1)], None, PACE), "a page listed before the pause is walked again");
    assert_eq!(book.resume(&id).unwrap().status, CampaignStatus::Running);
    book.cancel(&second.id, 70).unwrap();
    assert_eq!(book.resume(&second.id), Err(Refused::NotPaused));
    assert_eq!(book.pause("nope"), Err(Refused::Unknown));
    assert_eq!(book.views()[0].id, second.id, "newest first");
}

#[test]
fn the_pace_leaves_links_a_request_a_second() {
    assert_eq!(Pace::new(5, 100), Pace { interval_ms: 250, batch: 100 });
    assert_eq!(Pace::new(1, 0), Pace { interval_ms: 1000, batch: 1 });
    assert_eq!(Pace::new(2, 10).interval_ms, 1000);
}

#[test]
fn the_book_keeps_the_latest_campaigns() {
    let mut book = Book::default();
    for since in 0..(KEPT as u64 + 5) {
        let mut a = announcement(&[Audience::Parent]);
        a.requirement.set(Audience::Parent, Some(RequiredChange { since, deadline: None }));
        let (view, _) = book.start(a, 0, "x".into(), "n1".into(), since).unwrap();
        book.cancel(&view.id, since).unwrap();
    }
    assert_eq!(book.campaigns.len(), KEPT);
}
