//! The invitations' settings: how long a link works, the reminder before it expires, and the pace of a batch's mail.
//! Pure, and apart from `invitations` (which reads batches into accounts) so the configuration depends on nothing
//! that depends on it.

/// `INVITATION_LIFETIME_DAYS`, `INVITATION_REMINDER_DAYS`, `INVITATION_MAILS_PER_SEC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationConfig {
    /// How long an invitation's link works (7 days unless set).
    pub lifetime_secs: u64,
    /// How long before expiry the reminder is mailed; none: no reminder (the default).
    pub reminder_before_secs: Option<u64>,
    /// A batch's mails a second: by default the provider's rate less the one request a second left to links.
    pub mails_per_sec: u32,
}

const DAY: u64 = 86_400;

impl InvitationConfig {
    /// From the settings' values (days, days, a rate); refused when the reminder would come before the mail.
    pub fn new(lifetime_days: u64, reminder_days: u64, mails_per_sec: u64) -> Result<InvitationConfig, String> {
        if reminder_days >= lifetime_days {
            return Err(format!(
                "the reminder ({reminder_days} days before expiry) must come after the invitation ({lifetime_days} days)"
            ));
        }
        Ok(InvitationConfig {
            lifetime_secs: lifetime_days * DAY,
            reminder_before_secs: (reminder_days > 0).then_some(reminder_days * DAY),
            mails_per_sec: u32::try_from(mails_per_sec.max(1)).unwrap_or(u32::MAX),
        })
    }

    /// The default pace for a provider taking `requests_per_sec`: what campaigns take, one mail a request.
    pub fn default_mails_per_sec(requests_per_sec: u32) -> u64 {
        u64::from(requests_per_sec.saturating_sub(1).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::InvitationConfig;

    #[test]
    fn the_reminder_comes_before_expiry_and_the_pace_leaves_links_their_share() {
        let config = InvitationConfig::new(7, 2, 4).unwrap();
        assert_eq!((config.lifetime_secs, config.reminder_before_secs), (7 * 86_400, Some(2 * 86_400)));
        assert_eq!(InvitationConfig::new(7, 0, 4).unwrap().reminder_before_secs, None, "off by default");
        assert!(InvitationConfig::new(3, 3, 4).is_err());
        assert_eq!(InvitationConfig::default_mails_per_sec(5), 4);
        assert_eq!(InvitationConfig::default_mails_per_sec(1), 1);
    }
}
