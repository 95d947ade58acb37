//! The languages moot speaks, and how a reader's language is chosen from
//! what their browser or a link asks for.
//!
//! The browser picks its language from a stored choice, then
//! `navigator.languages`, then English; the minutes' export takes
//! `?lang=`. Both go through [`Lang::from_tag`], so "de", "de-DE" and
//! "de-AT" all mean German and anything unknown is passed over.

/// A language moot's texts exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English, the language of the protocol's own messages and the
    /// fallback for every reader whose languages moot does not speak.
    #[default]
    En,
    /// German.
    De,
}

impl Lang {
    /// Every language, in the order the language switch lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The language's BCP 47 primary tag, as `<html lang>` and `?lang=`
    /// carry it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language's name in itself, as the language switch shows it:
    /// a German reader stuck in English must recognise "Deutsch".
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    /// The language a BCP 47 tag asks for ("de", "de-CH", "EN-gb"), if
    /// moot speaks it. Only the primary subtag counts: moot has one German
    /// and one English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The first language of a reader's list (most wanted first) that moot
    /// speaks, or English.
    pub fn first_spoken<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_region_or_case_does_not_hide_the_language() {
        assert_eq!(Lang::from_tag("de"), Some(Lang::De));
        assert_eq!(Lang::from_tag("de-DE"), Some(Lang::De));
        assert_eq!(Lang::from_tag("DE_at"), Some(Lang::De));
        assert_eq!(Lang::from_tag(" en-GB "), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr-FR"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::from_tag("deu"), None);
    }

    #[test]
    fn the_first_spoken_language_of_the_list_wins() {
        assert_eq!(Lang::first_spoken(["fr-FR", "de-CH", "en"]), Lang::De);
        assert_eq!(Lang::first_spoken(["en-US", "de"]), Lang::En);
        assert_eq!(Lang::first_spoken(["fr", "it"]), Lang::En);
        assert_eq!(Lang::first_spoken([]), Lang::En);
    }

    #[test]
    fn every_code_reads_back_as_its_language() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        }
    }
}
