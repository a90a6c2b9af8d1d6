//! Who the site speaks for: the school's name and logo on the pages and in every mail (the sender's name and the
//! subject), and the time zone the mails give times in (`SCHOOL_NAME`, `SCHOOL_LOGO`, `TIME_ZONE`). Pure.

use jiff::tz::TimeZone;

#[derive(Debug, Clone)]
pub struct Site {
    pub school_name: Option<String>,
    /// A path on this site (`/school-logo.png`, a file put in `www/`): the pages' CSP loads images only from here.
    pub school_logo: Option<String>,
    /// The IANA name (`Europe/Madrid`), as the mails name it, and the zone.
    pub time_zone_name: String,
    time_zone: TimeZone,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiteError {
    #[error("`{0}`: at most 80 characters, no control characters, quotes or angle brackets")]
    Name(String),
    #[error("`{0}`: a path on this site, such as /school-logo.png (a file in www/)")]
    Logo(String),
    #[error("`{0}` is not a time zone of the IANA database (such as Europe/Madrid or America/Mexico_City)")]
    TimeZone(String),
}

const MAX_NAME_CHARS: usize = 80;

impl Site {
    /// The settings as given (each `None` when unset).
    pub fn parse(name: Option<&str>, logo: Option<&str>, time_zone: Option<&str>) -> Result<Site, SiteError> {
        let present = |value: Option<&str>| value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let school_name = present(name);
        if let Some(name) = &school_name {
            let forbidden = |c: char| c.is_control() || matches!(c, '"' | '<' | '>');
            if name.chars().count() > MAX_NAME_CHARS || name.chars().any(forbidden) {
                return Err(SiteError::Name(name.clone()));
            }
        }
        let school_logo = present(logo);
        if let Some(logo) = &school_logo {
            let path_only = logo.starts_with('/') && !logo.starts_with("//") && !logo.contains(['\\', '"', '\'', ' ']);
            if !path_only || logo.len() > 200 {
                return Err(SiteError::Logo(logo.clone()));
            }
        }
        let time_zone_name = present(time_zone).unwrap_or_else(|| "UTC".to_owned());
        let time_zone = TimeZone::get(&time_zone_name).map_err(|_| SiteError::TimeZone(time_zone_name.clone()))?;
        Ok(Site { school_name, school_logo, time_zone_name, time_zone })
    }

    /// A moment as the mails give it: `2026-11-27 07:34 CET (Europe/Madrid)`, or `… UTC`.
    pub fn when(&self, unix: u64) -> String {
        let zoned = i64::try_from(unix)
            .ok()
            .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
            .map(|at| at.to_zoned_datetime(self.time_zone.clone()));
        match zoned {
            Some(at) if self.time_zone_name == "UTC" => at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            Some(at) => format!("{} ({})", at.strftime("%Y-%m-%d %H:%M %Z"), self.time_zone_name),
            None => format!("{unix} UTC"),
        }
    }

    /// A mail's subject, with the school's name when there is one: people file and trust it by that.
    pub fn subject(&self, subject: &str) -> String {
        match &self.school_name {
            Some(school) => format!("{subject} · {school}"),
            None => subject.to_owned(),
        }
    }

    /// The mails' sender: the school's name with `MAIL_FROM`'s address, or `MAIL_FROM` as it is.
    pub fn sender(&self, mail_from: &str) -> String {
        let Some(school) = &self.school_name else { return mail_from.to_owned() };
        let address = match (mail_from.rfind('<'), mail_from.rfind('>')) {
            (Some(open), Some(close)) if open < close => &mail_from[open + 1..close],
            _ => mail_from.trim(),
        };
        // A quoted display name: a comma or a dot in a school's name is then no part of the address list.
        format!("\"{}\" <{}>", school.replace('\\', "\\\\"), address.trim())
    }
}

impl Default for Site {
    fn default() -> Site {
        Site { school_name: None, school_logo: None, time_zone_name: "UTC".to_owned(), time_zone: TimeZone::UTC }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_given_in_the_schools_zone_and_name_it() {
        let utc = Site::default();
        assert_eq!(utc.when(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc.when(1_795_761_240), "2026-11-27 06:34 UTC");
        let madrid = Site::parse(None, None, Some("Europe/Madrid")).unwrap();
        assert_eq!(madrid.when(1_795_761_240), "2026-11-27 07:34 CET (Europe/Madrid)");
        assert_eq!(madrid.when(1_783_924_440), "2026-07-13 08:34 CEST (Europe/Madrid)", "summer time");
        let mexico = Site::parse(None, None, Some("America/Mexico_City")).unwrap();
        assert!(mexico.when(1_795_761_240).starts_with("2026-11-27 00:34"), "{}", mexico.when(1_795_761_240));
        assert_eq!(
            Site::parse(None, None, Some("Mars/Olympus")).unwrap_err(),
            SiteError::TimeZone("Mars/Olympus".into())
        );
    }

    #[test]
    fn the_school_names_the_mails_sender_and_subject() {
        let site = Site::parse(Some("Colegio Sol, Primaria"), Some("/logo.png"), None).unwrap();
        assert_eq!(site.subject("Reset your password"), "Reset your password · Colegio Sol, Primaria");
        assert_eq!(site.sender("latchkey <no-reply@school.org>"), "\"Colegio Sol, Primaria\" <no-reply@school.org>");
        assert_eq!(site.sender("no-reply@school.org"), "\"Colegio Sol, Primaria\" <no-reply@school.org>");
        let plain = Site::default();
        assert_eq!(plain.subject("Reset"), "Reset");
        assert_eq!(plain.sender("latchkey <a@b.org>"), "latchkey <a@b.org>");
        for bad in ["Sol <x@evil.org>", "a\"b", &"x".repeat(81)] {
            assert!(Site::parse(Some(bad), None, None).is_err(), "{bad}");
        }
        for bad in ["https://cdn.example/logo.png", "//cdn.example/logo.png", "logo.png", "/a b.png"] {
            assert!(Site::parse(None, Some(bad), None).is_err(), "{bad}");
        }
    }
}
