//! German. Each text says what its English twin in [`super::en`] says,
//! in the words a German-speaking group uses in a meetup ("Moderation",
//! "Wortmeldung", "Punkte"), addressing the reader informally ("du"), as
//! German apps for teams do.

use moot_shared::Rejection;
use moot_shared::TextProblem;
use moot_shared::room::agenda::AgendaRole;

use super::*;

/// A count with its noun: "1 Punkt", "2 Punkte".
fn counted(count: impl Into<u64>, one: &str, many: &str) -> String {
    match count.into() {
        1 => format!("1 {one}"),
        count => format!("{count} {many}"),
    }
}

/// When to try again, from a wait in milliseconds: whole seconds, rounded
/// up, so the reader never tries too early.
fn try_again_in(retry_after_ms: u64) -> String {
    match retry_after_ms.div_ceil(1_000) {
        0 => "Versuch es gleich noch einmal.".to_owned(),
        1 => "Versuch es in 1 Sekunde noch einmal.".to_owned(),
        seconds => format!("Versuch es in {seconds} Sekunden noch einmal."),
    }
}

/// German rejections: every code has its own sentence, so a German reader
/// never falls back to the server's English.
pub fn de_rejection(reason: &Rejection) -> Option<String> {
    // Every variant by name, without a wildcard: a new rejection fails the
    // build until it has German.
    Some(match reason {
        Rejection::MalformedMessage { .. } => {
            "Die Nachricht ist keine gültige moot-Nachricht.".into()
        }
        Rejection::UnknownMessageType { found } => {
            format!("Der Server kennt die Nachricht \u{201e}{found}\u{201c} nicht.")
        }
        Rejection::MessageTooLarge { max_bytes } => {
            format!("Die Nachricht ist größer als {max_bytes} Byte.")
        }
        Rejection::InvalidField { field, problem } => {
            let what = match field.as_str() {
                "name" | "facilitator_name" => "Der Name",
                "title" => "Der Titel",
                "details" => "Die Beschreibung",
                "text" => "Der Text",
                "question" => "Die Frage",
                "options" => "Eine Option",
                "reason" => "Die Begründung",
                "note" => "Die Notiz",
                "prompt" => "Der Impuls",
                _ => "Dieses Feld",
            };
            format!("{what} {}.", de_text_problem(*problem))
        }
        Rejection::InvalidRequestId => {
            "Die Anfrage-ID muss aus 1 bis 64 druckbaren ASCII-Zeichen bestehen.".into()
        }
        Rejection::RateLimited { retry_after_ms } => {
            format!("Zu viele Aktionen auf einmal. {}", try_again_in(*retry_after_ms))
        }
        Rejection::UnsupportedProtocolVersion { supported } => format!(
            "Dieser Server spricht Protokollversion {supported}. Lade die Seite neu."
        ),
        Rejection::HelloExpected => {
            "Die erste Nachricht muss \u{201e}hello\u{201c} sein, und nur die erste.".into()
        }
        Rejection::HandshakeTimeout => {
            "Die Anmeldung beim Server kam nicht rechtzeitig an.".into()
        }
        Rejection::UnknownJoinCode => {
            "Kein offenes Treffen hat diesen Code. Prüf den Code und versuch es noch einmal."
                .into()
        }
        Rejection::TooManyAttempts { retry_after_ms } => format!(
            "Zu viele fehlgeschlagene Versuche. {}",
            try_again_in(*retry_after_ms)
        ),
        Rejection::BadCredential => {
            "Dieser Link oder die gespeicherte Anmeldung gilt nicht für dieses Treffen.".into()
        }
        Rejection::ScreenLinkStopped => "Dieser Bildschirmlink funktioniert nicht mehr. Öffne den geteilten Bildschirm noch einmal über die Seite der Moderation.".into(),
        Rejection::OriginNotAllowed => {
            "Seiten von dieser Adresse dürfen sich nicht mit diesem Server verbinden.".into()
        }
        Rejection::StorageFailed => {
            "Der Server konnte das nicht speichern. Bitte versuch es noch einmal.".into()
        }
        Rejection::ServerFull => {
            "Der Server ist gerade voll. Bitte versuch es später noch einmal.".into()
        }
        Rejection::MeetupElsewhere { node_url } => {
            format!("Dieses Treffen läuft auf einem anderen Server: {node_url}")
        }
        Rejection::MeetupEnded => "Dieses Treffen ist beendet.".into(),
        Rejection::Locked => {
            "Dieses Treffen ist gesperrt. Bitte die Moderation, es zu entsperren.".into()
        }
        Rejection::RoomFull { seat_cap } => match seat_cap {
            1 => "Der einzige Platz ist belegt. Bitte die Moderation um einen weiteren Platz."
                .into(),
            _ => format!(
                "Alle {seat_cap} Plätze sind belegt. Bitte die Moderation um einen weiteren Platz."
            ),
        },
        Rejection::NameTaken => {
            "Jemand hier heißt schon so. Bitte wähle einen anderen Namen.".into()
        }
        Rejection::Removed => DE.you_were_removed.into(),
        Rejection::NotInMeetup => "Du bist nicht in diesem Treffen.".into(),
        Rejection::FacilitatorsOnly => "Das kann nur die Moderation.".into(),
        Rejection::FacilitatorOnly => {
            "Das kann nur die Moderation, nicht die Co-Moderation.".into()
        }
        Rejection::ServerOnly => "Dieser Befehl steht Teilnehmenden nicht zur Verfügung.".into(),
        Rejection::UnknownParticipant => "Diese Person ist nicht in diesem Treffen.".into(),
        Rejection::HandAlreadyRaised => "Du hast schon eine Wortmeldung dieser Art.".into(),
        Rejection::UnknownEntry => "Diese Wortmeldung ist nicht mehr in der Liste.".into(),
        Rejection::NotYourEntry => "Diese Wortmeldung gehört jemand anderem.".into(),
        Rejection::NotYourTurn => "Du bist gerade nicht dran.".into(),
        Rejection::StaleTurn => "Dieser Redebeitrag ist schon vorbei.".into(),
        Rejection::NoRound => "Gerade läuft keine Runde.".into(),
        Rejection::UnknownPoll => "Diese Abstimmung gibt es nicht.".into(),
        Rejection::PollNotOpen { poll } => {
            format!("Abstimmung {poll} nimmt keine Stimmen mehr an.")
        }
        Rejection::NoSuchChoice { options } => format!(
            "Die Abstimmung hat {}.",
            counted(*options, "Option", "Optionen")
        ),
        Rejection::UnknownPhase => "Diese Phase steht nicht im Ablauf.".into(),
        Rejection::PhaseNotCurrent => "Das ist nicht die aktuelle Phase.".into(),
        Rejection::ListeningRole { role } => format!(
            "Als {} hörst du in dieser Phase zu.",
            (DE_AGENDA.role)(*role)
        ),
        Rejection::ReasonRequired => "Sag, warum: Diese Wahl braucht eine Begründung.".into(),
        Rejection::ReasonFromOtherPoll => "Diese Begründung hast du schon in einer anderen Abstimmung gegeben. Formuliere sie neu, damit niemand die anonyme Begründung dir zuordnen kann.".into(),
        Rejection::UnknownTopic => "Dieses Thema gibt es nicht mehr.".into(),
        Rejection::NotYourTopic => "Dieses Thema gehört jemand anderem.".into(),
        Rejection::UnknownGoal => "Dieses Ziel gibt es nicht.".into(),
        Rejection::NotYourGoal => "Dieses Ziel gehört jemand anderem.".into(),
        Rejection::TooManyGoals { max } => format!(
            "Das Treffen hat die Höchstzahl von {} erreicht.",
            counted(*max, "Ziel", "Zielen")
        ),
        Rejection::TooManyOpenGoals { max } => format!(
            "Du hast schon {}; schließ eines ab oder gib eines auf.",
            counted(*max, "offenes Ziel", "offene Ziele")
        ),
        Rejection::NoBreakout => "Gerade läuft keine Gruppenarbeit.".into(),
        Rejection::BreakoutStillOpen => {
            "Die Gruppenarbeit läuft noch; teilen geht danach.".into()
        }
        Rejection::UnknownGroup => "Diese Gruppe gibt es nicht.".into(),
        Rejection::NotInGroup => "Du bist in keiner Gruppe.".into(),
        Rejection::NotAlone => "Du bist nicht allein in deiner Gruppe.".into(),
        Rejection::TooManyGroupNotes { max } => {
            format!("Eure Gruppe hat schon {max} Notizen.")
        }
        Rejection::TopicInWrongColumn => {
            "Das geht bei einem Thema in dieser Spalte nicht.".into()
        }
        Rejection::TooManyTopics { max } => format!(
            "Die Themenliste hat die Höchstzahl von {} erreicht.",
            counted(*max, "Thema", "Themen")
        ),
        Rejection::VotingClosed => "Die Abstimmung ist geschlossen.".into(),
        Rejection::NoDotsLeft { budget } => match budget {
            1 => "Dein Punkt ist schon vergeben. Nimm ihn zuerst zurück.".into(),
            _ => format!("Alle deine {budget} Punkte sind vergeben. Nimm zuerst einen zurück."),
        },
        Rejection::NoStacking => "In diesem Treffen gibt es nur einen Punkt pro Thema.".into(),
        Rejection::NoDotHere => "Du hast keinen Punkt auf diesem Thema.".into(),
        Rejection::VotesHidden => "Deck die Stimmen auf, bevor du nach ihnen sortierst.".into(),
        Rejection::UnknownNote => "Diese Notiz gibt es nicht mehr.".into(),
        Rejection::UnknownActionItem => "Diese Aufgabe gibt es nicht mehr.".into(),
        Rejection::NotYourOutcome => {
            "Nur wer es geschrieben hat oder die Moderation kann das ändern.".into()
        }
        Rejection::TooManyNotes { max } => format!(
            "Dieses Treffen hat die Höchstzahl von {} erreicht.",
            counted(*max, "Notiz", "Notizen")
        ),
        Rejection::TooManyActionItems { max } => format!(
            "Dieses Treffen hat die Höchstzahl von {} erreicht.",
            counted(*max, "Aufgabe", "Aufgaben")
        ),
        Rejection::InvalidDueDate => {
            "Das Fälligkeitsdatum muss ein echter Tag im Format JJJJ-MM-TT sein.".into()
        }
        // Only a command of whoever runs the meetup gets these, and a phone
        // never runs it (it reloads as the full app): their words stay out
        // of the phone's download.
        Rejection::UnknownReviewItem
        | Rejection::HandOverFirst
        | Rejection::StandingInForOwner
        | Rejection::NotOnYourself
        | Rejection::AlreadyInRole
        | Rejection::SeatCapOutOfRange { .. }
        | Rejection::RoundInProgress
        | Rejection::DurationOutOfRange { .. }
        | Rejection::PollOptionsOutOfRange { .. }
        | Rejection::PollTimeLimitOutOfRange { .. }
        | Rejection::PollAlreadyOpen { .. }
        | Rejection::StalePhase
        | Rejection::NoNextPhase
        | Rejection::PhaseDone
        | Rejection::PhaseNotUpcoming
        | Rejection::TooManyPhases { .. }
        | Rejection::PhaseLengthOutOfRange { .. }
        | Rejection::NoAgenda
        | Rejection::NoAgendaToReuse
        | Rejection::RolesFrozen
        | Rejection::TooManyPolls { .. }
        | Rejection::OwnBuddy
        | Rejection::NotABreakoutPhase
        | Rejection::BreakoutOpen
        | Rejection::TooFewPeople { .. }
        | Rejection::GroupSizeOutOfRange { .. }
        | Rejection::StaleBreakoutStep
        | Rejection::NoNextStep
        | Rejection::CountdownOutOfRange { .. }
        | Rejection::SameTopic
        | Rejection::VotingUnderway
        | Rejection::DotBudgetOutOfRange { .. }
        | Rejection::TimerOutOfRange { .. }
        | Rejection::AdjustmentOutOfRange { .. }
        | Rejection::ExtensionsOutOfRange { .. }
        | Rejection::TimerNotRunning
        | Rejection::TimerNotPaused => {
            return if crate::app::FACILITATION {
                de_runner_rejection(reason)
            } else {
                None
            };
        }
    })
}

/// German words for the reasons only a command of whoever runs the meetup
/// gets (see [`de_rejection`]).
fn de_runner_rejection(reason: &Rejection) -> Option<String> {
    Some(match reason {
        Rejection::UnknownReviewItem => "Diesen Eintrag gibt es im Rückblick nicht.".into(),
        Rejection::HandOverFirst => "Übergib die Moderation zuerst an jemand anderen.".into(),
        Rejection::StandingInForOwner => {
            "Du vertrittst diese Person: Sie bekommt die Rolle zurück, wenn sie wiederkommt.".into()
        }
        Rejection::NotOnYourself => "Das kannst du nicht mit dir selbst machen.".into(),
        Rejection::AlreadyInRole => "Diese Person hat diese Rolle schon.".into(),
        Rejection::SeatCapOutOfRange { min, max } => {
            format!("Die Anzahl der Plätze muss zwischen {min} und {max} liegen.")
        }
        Rejection::RoundInProgress => "Gerade läuft eine Runde.".into(),
        Rejection::DurationOutOfRange { min_secs, max_secs } => {
            format!("Die Zeit muss zwischen {min_secs} und {max_secs} Sekunden liegen.")
        }
        Rejection::PollOptionsOutOfRange { min, max } => {
            format!("Diese Abstimmung braucht {min} bis {max} Optionen.")
        }
        Rejection::PollTimeLimitOutOfRange { min_secs, max_secs } => format!(
            "Das Zeitlimit einer Abstimmung muss zwischen {min_secs} und {max_secs} Sekunden liegen."
        ),
        Rejection::PollAlreadyOpen { poll } => {
            format!("Abstimmung {poll} läuft noch. Deck zuerst ihr Ergebnis auf oder beende sie.")
        }
        Rejection::StalePhase => "Der Ablauf ist schon weiter.".into(),
        Rejection::NoNextPhase => "Es gibt keine nächste Phase.".into(),
        Rejection::PhaseDone => "Diese Phase ist schon abgeschlossen.".into(),
        Rejection::PhaseNotUpcoming => {
            "Nur eine Phase, die noch kommt, kann entfernt oder verschoben werden.".into()
        }
        Rejection::TooManyPhases { max } => format!(
            "Ein Ablauf hat höchstens {}.",
            counted(*max, "Phase", "Phasen")
        ),
        Rejection::PhaseLengthOutOfRange { min_secs, max_secs } => format!(
            "Eine Phase dauert 0 Sekunden (ohne Zeitlimit) oder {min_secs} bis {max_secs} Sekunden."
        ),
        Rejection::NoAgenda => "Gerade läuft kein Ablauf.".into(),
        Rejection::NoAgendaToReuse => {
            "Das letzte Treffen hatte keinen Ablauf zum Übernehmen.".into()
        }
        Rejection::RolesFrozen => {
            "Rollen werden in der Phase \u{201e}Rollen\u{201c} vergeben.".into()
        }
        Rejection::TooManyPolls { max } => format!(
            "Dieses Treffen hat die Höchstzahl von {} erreicht.",
            counted(*max, "Abstimmung", "Abstimmungen")
        ),
        Rejection::OwnBuddy => "Niemand kann sein eigenes Tandem sein.".into(),
        Rejection::NotABreakoutPhase => "Diese Phase ist keine Gruppenarbeit.".into(),
        Rejection::BreakoutOpen => "Die Gruppenarbeit läuft schon.".into(),
        Rejection::TooFewPeople { min } => {
            format!("Für Gruppen müssen mindestens {min} Personen da sein.")
        }
        Rejection::GroupSizeOutOfRange { min, max } => {
            format!("Gruppen haben {min} bis {max} Personen.")
        }
        Rejection::StaleBreakoutStep => "Die Gruppenarbeit ist schon beim nächsten Schritt.".into(),
        Rejection::NoNextStep => "Das ist schon der letzte Schritt.".into(),
        Rejection::CountdownOutOfRange { max_secs } => {
            format!("Der Countdown darf höchstens {max_secs} Sekunden lang sein.")
        }
        Rejection::SameTopic => {
            "Ein Thema kann nicht mit sich selbst zusammengeführt werden.".into()
        }
        Rejection::VotingUnderway => {
            "Es sind schon Punkte vergeben; die Einstellungen lassen sich nicht mehr ändern.".into()
        }
        Rejection::DotBudgetOutOfRange { min, max } => {
            format!("Die Anzahl der Punkte muss zwischen {min} und {max} liegen.")
        }
        Rejection::TimerOutOfRange { min_secs, max_secs } => {
            format!("Die Zeit muss zwischen {min_secs} und {max_secs} Sekunden liegen.")
        }
        Rejection::AdjustmentOutOfRange { max_secs } => {
            format!("Verändere die Zeit um 1 bis {max_secs} Sekunden.")
        }
        Rejection::ExtensionsOutOfRange { max } => match max {
            0 => "Ein Thema kann nicht verlängert werden.".into(),
            1 => "Ein Thema kann höchstens einmal verlängert werden.".into(),
            _ => format!("Ein Thema kann höchstens {max}-mal verlängert werden."),
        },
        Rejection::TimerNotRunning => "Der Timer läuft nicht.".into(),
        Rejection::TimerNotPaused => "Der Timer ist nicht pausiert.".into(),
        _ => return None,
    })
}

/// German text problems.
pub fn de_text_problem(problem: TextProblem) -> String {
    match problem {
        TextProblem::Empty => "darf nicht leer sein".into(),
        TextProblem::TooLong { max_chars } => {
            format!("darf höchstens {max_chars} Zeichen haben")
        }
        TextProblem::NotALink => "muss eine Webadresse sein, die mit https:// beginnt".into(),
        TextProblem::ControlCharacter => {
            "muss eine Zeile Text ohne unsichtbare Zeichen sein".into()
        }
    }
}

/// German.
pub const DE: Texts = Texts {
    app_name: "moot",
    skip_to_content: "Zum Inhalt springen",
    dismiss: "Schließen",
    back_to_start: "Zur Startseite",
    not_found_heading: "Seite nicht gefunden",
    not_found_body: "Diese Adresse ist keine moot-Seite. Prüf den Link oder fang auf der Startseite an.",

    state_connecting: "Verbinde…",
    state_live: "Online",
    state_reconnecting: "Verbinde neu…",
    state_offline: "Offline",
    waiting_to_send: |count| match count {
        1 => " · 1 Aktion wartet".to_owned(),
        _ => format!(" · {count} Aktionen warten"),
    },

    join_heading: "Beim Treffen mitmachen",
    join_intro: |code| {
        format!("Code des Treffens: {code}. Wähle den Namen, den die anderen sehen.")
    },
    join_name_label: "Dein Name",
    join_submit: "Beitreten",
    join_busy: "Trete bei…",

    code_label: "Code",
    you_are: "Du bist",
    you_marker: "(du)",
    people_heading: "Teilnehmende",
    people_count: |count, cap| match cap {
        1 => format!("{count} von 1 Platz"),
        _ => format!("{count} von {cap} Plätzen"),
    },
    loading_room: "Treffen wird geladen…",
    rename_label: "Namen ändern",
    rename_submit: "Umbenennen",
    leave: "Treffen verlassen",
    leave_confirm: "Dieses Treffen verlassen?",
    locked_badge: "Gesperrt",

    removed_heading: "Du wurdest aus diesem Treffen entfernt",
    removed_body: "Die Moderation hat dich entfernt. Du kannst an diesem Treffen nicht mehr teilnehmen.",
    left_heading: "Du hast das Treffen verlassen",
    left_body: "Du kannst zurückkommen, solange das Treffen offen ist.",
    rejoin: "Wieder beitreten",
    rejoin_refused_heading: "Du konntest noch nicht zurückkommen",
    rejoin_name_label: "Wähle einen Namen, unter dem du zurückkommst",
    try_again: "Erneut versuchen",
    unknown_code_heading: "Kein Treffen mit diesem Code",
    unknown_code_body: "Dieses Treffen gibt es nicht oder es ist beendet. Prüf den Code mit der Moderation.",
    version_heading: "Bitte neu laden",
    version_body: "Eine neuere Version von moot läuft. Lade die Seite neu, um weiterzumachen.",
    reload: "Neu laden",

    controls_heading: "Moderation",
    copied: "Link kopiert",
    remove: "Entfernen",
    // Honest about what removal does: the person's link stops working, but
    // anyone with the join code can join as someone new unless it is locked.
    joined: |name| format!("{name} ist dabei"),
    came_back: |name| format!("{name} ist zurück"),
    left: |name| format!("{name} ist gegangen"),
    was_removed: |name| format!("{name} wurde entfernt"),
    you_were_removed: "Du wurdest aus diesem Treffen entfernt",
    renamed: |old, new| format!("{old} heißt jetzt {new}"),
    now_facilitator: |name| format!("{name} moderiert jetzt"),
    you_are_facilitator: "Du moderierst jetzt",
    now_co: |name| format!("{name} moderiert jetzt mit"),
    stands_in: |by, owner| format!("{by} leitet das Treffen, solange {owner} weg ist"),
    you_stand_in: |owner| {
        format!(
            "Du leitest das Treffen, solange {owner} weg ist. Bei der Rückkehr geht es an {owner} zurück."
        )
    },
    owner_returning: |owner| format!("{owner} ist zurück und übernimmt gleich wieder"),
    you_return: "Du bist zurück: Du übernimmst das Treffen gleich wieder",
    owner_back: |owner| format!("{owner} leitet das Treffen wieder"),
    no_longer_co: |name| format!("{name} moderiert nicht mehr mit"),
    meetup_locked: "Das Treffen ist gesperrt",
    meetup_unlocked: "Das Treffen ist entsperrt",
    seat_cap_changed: |cap| match cap {
        1 => "Das Treffen hat jetzt 1 Platz".to_owned(),
        _ => format!("Das Treffen hat jetzt {cap} Plätze"),
    },
    connection_lost: "Verbindung verloren. Verbinde neu…",
    connection_back: "Wieder verbunden",

    sections_label: "Bereiche",
    section_now: "Jetzt",
    section_queue: "Redeliste",
    section_topics: "Themen",
    section_mine: "Meins",
    nav_raise_hand: "Hand heben",
    nav_lower_hand: "Hand senken",

    role_facilitator: "Moderation",
    role_co_facilitator: "Co-Moderation",
    presence_here: "da",
    presence_away: "weg",
    presence_gone: "gegangen",
    rejection_words: de_rejection,
    text_problem_words: de_text_problem,
};

/// German polls.
pub const DE_POLL: PollTexts = {
    use moot_shared::room::poll::Secrecy;
    PollTexts {
        heading: "Abstimmung",
        new_poll_heading: "Stimmungsbild einholen",
        presets_label: "Schnelle Abstimmungen",
        custom_heading: "Eigene Frage",
        question_label: "Frage",
        kind_label: "Art",
        options_label: "Antworten (nur für \u{201e}Eigene Antworten\u{201c})",
        options_hint: "Eine Antwort pro Zeile, 2 bis 8.",
        anonymous_label: "Anonym: Niemand sieht, wer was gewählt hat",
        auto_reveal_label: "Ergebnis zeigen, sobald alle Anwesenden abgestimmt haben",
        time_limit_label: "Zeitlimit in Sekunden (optional)",
        open_submit: "Abstimmung starten",
        reveal: "Ergebnis aufdecken",
        close: "Abstimmung beenden",
        reopen: "Erneut fragen",
        reason_label: "Begründung (optional)",
        roti_change_label: "Was sollten wir ändern? (optional)",
        roti_few_voters: "Weniger als 3 Personen antworten: Das Ergebnis kann zeigen, wie du abgestimmt hast.",
        reason_required_label: "Begründung (für diese Wahl nötig)",
        reason_needed: "Sag, warum, bevor du diese Wahl sendest.",
        send_with_reason: "Stimme senden",
        your_vote: |label| {
            format!("Deine Stimme: {label}. Tippe eine andere Antwort an, um sie zu ändern.")
        },
        your_final_vote: |label| format!("Deine Stimme: {label}."),
        voted_count: |voted, of| match voted {
            1 => format!("1 von {of} hat abgestimmt"),
            _ => format!("{voted} von {of} haben abgestimmt"),
        },
        waiting_for: |names| format!("Es fehlen noch: {names}"),
        everyone_voted: "Alle Anwesenden haben abgestimmt.",
        secrecy_note: |secrecy| match secrecy {
            Secrecy::Secret => "Die Stimmen bleiben verborgen, bis das Ergebnis gezeigt wird.",
            Secrecy::Open => "Die Stimmen sind sofort für alle sichtbar.",
            Secrecy::Anonymous => "Anonym: Niemand wird sehen, wer was gewählt hat.",
        },
        reasons_heading: "Begründungen",
        results_heading: "Ergebnis",
        poll_opened: |question| format!("Abstimmung gestartet: {question}"),
        poll_revealed: |reading| format!("Ergebnis: {reading}"),
        history_heading: "Frühere Abstimmungen",
        closes_in: " · endet in ",
        kind_name: |kind| moot_shared::words::kind_name(kind, moot_shared::Lang::De),
        option_labels: |kind| moot_shared::words::option_labels(kind, moot_shared::Lang::De),
        reading: |reading, labels| {
            moot_shared::words::reading_sentence(reading, labels, moot_shared::Lang::De)
        },
    }
};

/// German queue.
pub const DE_QUEUE: QueueTexts = {
    use moot_shared::room::queue::{EntryKind, RoundKind};
    QueueTexts {
        heading: "Wortmeldungen",
        raise_hand: "Hand heben",
        hand_raised_lower: "Hand oben · Senken",
        raise_as: "Oder eine andere Wortmeldung:",
        kind_name: |kind| match kind {
            EntryKind::Process => "Hinweis zum Ablauf",
            EntryKind::Clarifying => "Verständnisfrage",
            EntryKind::BuildOn => "Direkte Ergänzung",
            EntryKind::NewPoint => "Neuer Punkt",
        },
        kind_short: |kind| match kind {
            EntryKind::Process => "Zum Ablauf",
            EntryKind::Clarifying => "Rückfrage",
            EntryKind::BuildOn => "Ergänzung",
            EntryKind::NewPoint => "Neuer Punkt",
        },
        empty: "Niemand wartet auf das Wort.",
        nobody_speaking: "Niemand hat das Wort.",
        now_speaking: "Hat das Wort",
        your_turn: "Du bist dran",
        youre_next: "Du bist gleich dran",
        your_place: |place| format!("Du bist an {place}. Stelle"),
        over_limit: "Redezeit überschritten",
        done: "Fertig",
        pass: "Passen",
        your_hands: "Deine Wortmeldungen",
        type_label: "Art",
        note_label: "Notiz (optional)",
        save: "Speichern",
        withdraw: "Zurückziehen",
        next_speaker: "Nächste Wortmeldung",
        give_floor: "Drannehmen",
        move_up: "Nach oben",
        move_down: "Nach unten",
        remove_entry: "Entfernen",
        up_next: "Gleich dran",
        round_heading: |kind| match kind {
            RoundKind::CheckIn => "Ankommensrunde",
            RoundKind::CheckOut => "Abschlussrunde",
            RoundKind::Custom => "Runde",
        },
        round_left: |left| match left {
            0 => "Letzter Beitrag der Runde".to_owned(),
            1 => "Danach noch 1 Person".to_owned(),
            n => format!("Danach noch {n} Personen"),
        },
        round_waits: "Die Wortmeldungen warten, bis die Runde endet.",
        start_check_in: "Ankommensrunde starten",
        start_check_out: "Abschlussrunde starten",
        custom_prompt_label: "Impuls für die Runde",
        start_custom: "Runde starten",
        end_round: "Runde beenden",
        rounds_heading: "Runden",
        settings_heading: "Einstellungen der Wortmeldungen",
        progressive_label: "Progressive Reihenfolge: Wer weniger gesprochen hat, kommt zuerst dran",
        airtime_public_label: "Redezeit für alle sichtbar machen",
        turn_limit_label: "Redezeit pro Beitrag (Sekunden)",
        round_turn_label: "Redezeit in Runden (Sekunden)",
        save_settings: "Einstellungen speichern",
        airtime_heading: "Redezeit",
        airtime_person: "Person",
        airtime_time: "Zeit",
        airtime_turns: "Beiträge",
        airtime_share: "Anteil",
        announce_next: "Du bist gleich dran",
        announce_your_turn: "Du bist dran",
        announce_over_limit: "Deine Redezeit ist überschritten",
        announce_speaking: |name| format!("{name} hat das Wort"),
        announce_round: |kind| match kind {
            RoundKind::CheckIn => "Eine Ankommensrunde hat begonnen".to_owned(),
            RoundKind::CheckOut => "Eine Abschlussrunde hat begonnen".to_owned(),
            RoundKind::Custom => "Eine Runde hat begonnen".to_owned(),
        },
    }
};

pub static DE_GOALS: GoalTexts = GoalTexts {
    heading: "Ziele",
    none_yet: "Noch keine Ziele. Was willst du bis zu den nächsten Treffen erreichen, lernen oder weitergeben?",
    add_heading: "Ziel setzen",
    text_label: "Ziel",
    kind_label: "Art",
    kinds: ["Erreichen", "Lernen", "Lehren"],
    visibility_label: "Wer es sieht",
    visibilities: ["Die Gruppe", "Mein Tandem", "Nur ich"],
    visibility_tags: ["Gruppe", "Tandem", "Privat"],
    due_label: "Bis (freiwillig)",
    add_submit: "Ziel setzen",
    progress: ["Offen", "Voran", "Hängt", "Erreicht", "Aufgegeben"],
    note_label: "Was passiert ist (freiwillig)",
    check_in_group: |goal| format!("Stand von {goal}"),
    remove: "Entfernen",
    others_heading: "Ziele der Gruppe",
    owner_line: |name| format!("von {name}"),
    due_line: |due| format!("bis {due}"),
    buddy_label: "Tandem",
    no_buddy: "Niemand",
    speaker_goals: |name| format!("Ziele von {name}"),
    speaker_no_goals: "Noch keine Ziele mit der Gruppe geteilt.",
};

pub static DE_BOARD: BoardTexts = BoardTexts {
    heading: "Themen",
    propose_heading: "Thema vorschlagen",
    title_label: "Thema",
    details_label: "Beschreibung (optional)",
    propose_submit: "Vorschlagen",
    dots_left: |left, budget| match budget {
        1 => format!("{left} von 1 Punkt übrig"),
        _ => format!("{left} von {budget} Punkten übrig"),
    },
    voters: |count| match count {
        0 => "Noch niemand hat abgestimmt".to_owned(),
        1 => "1 Person hat abgestimmt".to_owned(),
        _ => format!("{count} Personen haben abgestimmt"),
    },
    hidden_note: "Die Stimmen bleiben verborgen, bis die Moderation sie aufdeckt.",
    voting_closed_note: "Die Abstimmung ist geschlossen.",
    place_dot: |title| format!("Punkt geben: {title}"),
    take_back_dot: |title| format!("Punkt zurücknehmen: {title}"),
    my_dots: |count| match count {
        1 => "1 Punkt".to_owned(),
        _ => format!("{count} Punkte"),
    },
    votes: |count| match count {
        1 => "1 Stimme".to_owned(),
        _ => format!("{count} Stimmen"),
    },
    to_discuss: "Zu besprechen",
    discussing: "Wird gerade besprochen",
    discussed: "Besprochen",
    parked: "Geparkt",
    nothing_yet: "Noch keine Themen. Was beschäftigt dich?",
    no_current: "Gerade wird kein Thema besprochen.",
    reveal: "Aufdecken",
    close_voting: "Abstimmung beenden",
    reopen_voting: "Wieder öffnen",
    sort: "Nach Stimmen sortieren",
    start_next: "Nächstes Thema",
    start: "Starten",
    finish: "Thema abschließen",
    park: "Parken",
    unpark: "Zurückholen",
    withdraw: "Zurückziehen",
    withdraw_confirm: "Dieses Thema zurückziehen? Die Punkte darauf gehen an alle zurück, die sie vergeben haben.",
    merge_into: "Zusammenführen mit…",
    merge_confirm: |from, into| {
        format!("\u{201e}{from}\u{201c} mit \u{201e}{into}\u{201c} zusammenführen?")
    },
    merged_from: |titles| format!("Zusammengeführt: {titles}"),
    by: |name| format!("von {name}"),
    time_spent: |millis| {
        let minutes = millis / 60_000;
        let seconds = millis / 1_000 % 60;
        format!("{minutes}:{seconds:02} besprochen")
    },
    outcomes_heading: "Ergebnisse",
    finished_heading: "Besprochene Themen",
    notes_heading: "Notizen und Erkenntnisse",
    note_label: "Notiz oder Erkenntnis",
    takeaway_label: "Erkenntnis",
    add_note: "Notiz hinzufügen",
    add_takeaway: "Erkenntnis hinzufügen",
    remove: "Entfernen",
    actions_heading: "Aufgaben",
    action_label: "Aufgabe",
    owner_label: "Wer übernimmt sie?",
    due_label: "Bis wann (optional)",
    add_action: "Aufgabe hinzufügen",
    action_line: |owner, due| match due {
        Some(due) => format!("{owner} · bis {due}"),
        None => owner.to_owned(),
    },
    my_actions_heading: "Meine Aufgaben",
    votes_revealed: "Stimmen aufgedeckt",
    now_discussing: |title| format!("Jetzt besprechen wir: {title}"),
};

pub static DE_TIMER: TimerTexts = TimerTexts {
    heading: "Timer",
    controls_heading: "Timer steuern",
    minutes_label: "Minuten",
    start: "Starten",
    pause: "Pausieren",
    resume: "Fortsetzen",
    plus_minute: "+1 Min.",
    minus_minute: "−1 Min.",
    reset: "Zurücksetzen",
    paused: "Pausiert",
    time_up: "Die Zeit ist um",
    one_minute_left: "Noch eine Minute",
    remaining: |clock| format!("Noch {clock}"),
    timebox_of: |title| format!("Zeitbox: {title}"),
    extension_of: |used, max| format!("Verlängerung {used} von {max}"),
    extended: |clock| format!("Die Gruppe macht noch {clock} weiter"),
    next_topic: |title| format!("Nächstes Thema: {title}"),
    settings_heading: "Zeitbox-Einstellungen",
    topic_minutes_label: "Minuten pro Thema",
    extension_minutes_label: "Erste Verlängerung in Minuten (jede weitere ist halb so lang)",
    max_extensions_label: "Höchstzahl der Verlängerungen per Abstimmung",
    save: "Einstellungen speichern",
    invalid_minutes: "Gib eine Anzahl Minuten ein (mindestens 10 Sekunden, höchstens 4 Stunden)",
};

pub const DE_LIFECYCLE: LifecycleTexts = LifecycleTexts {
    heading: "Ergebnisse und wie es weitergeht",
    minutes_markdown: "Protokoll herunterladen (Markdown)",
    minutes_json: "Protokoll herunterladen (JSON)",
    my_actions: "Meine Aufgaben herunterladen",
    download_failed: "Der Download hat nicht geklappt; versuch es noch einmal.",
    end: "Treffen beenden",
    end_confirm: "Das Treffen für alle beenden? Es bleibt lesbar, und das Protokoll kann weiter heruntergeladen werden.",
    ended_banner: "Dieses Treffen ist beendet. Du kannst es weiter lesen und herunterladen, was dich betrifft.",
    next_meetup_open: "Das nächste Treffen der Gruppe hat begonnen.",
    join_next_as: |name| format!("Als {name} beitreten"),
    ended_announcement: "Das Treffen ist beendet.",
    next_heading: "Nächstes Treffen dieser Reihe",
    next_title_label: "Titel des nächsten Treffens",
    next_title_default: |title| format!("{title} (Fortsetzung)"),
    next_submit: "Nächstes Treffen starten",
    delete: "Treffen jetzt löschen",
    delete_confirm: "Dieses Treffen und alles darin jetzt für alle löschen? Das lässt sich nicht rückgängig machen.",
    delete_failed: "Das Treffen konnte nicht gelöscht werden.",
    review_heading: "Rückblick auf übernommene Aufgaben",
    review_from: |from| format!("Übernommen aus {from}"),
    review_owner: |owner, due| match due {
        Some(due) => format!("{owner}, bis {due}"),
        None => owner.to_owned(),
    },
    outcome_label: |outcome| match outcome {
        Some(moot_shared::room::lifecycle::ReviewOutcome::Done) => "Erledigt",
        Some(moot_shared::room::lifecycle::ReviewOutcome::Kept) => "Bleibt offen",
        Some(moot_shared::room::lifecycle::ReviewOutcome::Dropped) => "Verworfen",
        None => "Noch nicht besprochen",
    },
    mark_done: "Erledigt",
    mark_kept: "Behalten",
    mark_dropped: "Verwerfen",
};

/// German.
pub const DE_FACILITATION: FacilitationTexts = FacilitationTexts {
    agenda_heading: "Ablauf",
    agenda_format_label: "Vorlage",
    agenda_use_format: "Plan übernehmen",
    agenda_lean_coffee: "Lean Coffee (62 Min.)",
    agenda_open_round: "Offene Runde (8 Min.)",
    agenda_one_on_one: "1:1 oder Buddy-Check-in (32 Min.)",
    agenda_reverse_mentoring: "Reverse Mentoring (58 Min.)",
    agenda_custom: "Eigener Plan (leer beginnen)",
    agenda_case_consultation: "Kollegiale Fallberatung (43 Min.)",
    agenda_peer_learning: "Peer-Learning-Treffen (2½ Std.)",
    agenda_reuse: |phases| match phases {
        1 => "Letzten Plan übernehmen (1 Phase)".to_owned(),
        _ => format!("Letzten Plan übernehmen ({phases} Phasen)"),
    },
    agenda_kinds: [
        "Runde",
        "Stille Zeit",
        "Themen sammeln",
        "Abstimmen",
        "Besprechen",
        "Offenes Gespräch",
        "Rollen",
        "Konsent-Abfrage",
        "Pause",
        "Abschluss-Feedback (ROTI)",
        "Zielrückblick",
        "Gruppenarbeit",
    ],
    agenda_troika: "Troika-Beratung (36 Min.)",
    agenda_one_two_four_all: "1-2-4-Alle (12 Min.)",
    agenda_one_two_all: "1-2-Alle (8 Min.: weniger als 8 da, also keine Vierer)",
    agenda_impromptu_networking: "Speed-Networking (15 Min.)",
    agenda_work_buddies: "Work-Buddys (43 Min.)",
    roti_trend_heading: "Die Zeit wert? Treffen für Treffen",
    roti_chart_label: "Durchschnittlicher Return on Time Invested pro Treffen, von 1 bis 5; 3 heißt: die Zeit wert",
    roti_suggestions_heading: "Änderungswünsche aus dem letzten Treffen",
    roti_votes: |votes| {
        if votes == 1 {
            "1 Stimme".into()
        } else {
            format!("{votes} Stimmen")
        }
    },
    agenda_add_heading: "Phase hinzufügen",
    agenda_kind_label: "Art der Phase",
    agenda_title_label: "Titel",
    agenda_minutes_label: "Minuten (0 = ohne Zeitlimit)",
    agenda_title_needed: "Gib der Phase einen Titel.",
    agenda_add: "Zum Plan hinzufügen",
    agenda_roles_heading: "Rollen",
    agenda_nobody: "Niemand",
    agenda_key_question_label: "Schlüsselfrage (im Wortlaut der fallgebenden Person)",
    agenda_key_question_save: "Frage speichern",
    agenda_next: |title, minutes| format!("Weiter: {title} ({minutes})"),
    agenda_back: "Zurück",
    agenda_end: "Ablauf beenden",
    agenda_ahead_heading: "Was noch kommt",
    agenda_shorter: "Eine Minute kürzer",
    agenda_longer: "Eine Minute länger",
    agenda_earlier: "Früher",
    agenda_later: "Später",
    agenda_remove: "Entfernen",
    landing_heading: "moot",
    landing_intro: "Leite ein Peer-Treffen: Alle treten per Handy bei, mit einem Code und nur einem Namen.",
    start_heading: "Treffen starten",
    start_title_label: "Titel des Treffens",
    start_name_label: "Dein Name",
    start_submit: "Treffen starten",
    start_busy: "Wird gestartet…",
    start_failed: "Das Treffen konnte nicht gestartet werden. Prüf deine Verbindung und versuch es noch einmal.",
    join_code_heading: "Mit Code beitreten",
    join_code_label: "Beitrittscode",
    join_code_hint: "8 Zeichen, zum Beispiel 7KQ2-M9XD",
    join_code_submit: "Beitreten",
    join_code_invalid: "Ein Beitrittscode hat 8 Buchstaben und Ziffern, etwa 7KQ2-M9XD.",

    lock: "Treffen sperren",
    unlock: "Treffen entsperren",
    lock_state: |locked| {
        if locked {
            "Gesperrt: Niemand Neues kann beitreten."
        } else {
            "Offen: Alle mit dem Code können beitreten."
        }
    },
    seat_cap_label: "Anzahl der Plätze",
    seat_cap_now: |cap| match cap {
        1 => "Jetzt 1 Platz.".to_owned(),
        _ => format!("Jetzt {cap} Plätze."),
    },
    seat_cap_submit: "Festlegen",
    seat_cap_invalid: "Gib eine Anzahl Plätze ein.",
    fallback_label: "Wenn dein Laptop 30 Sekunden lang die Verbindung verliert",
    fallback_mode: |mode| match mode {
        moot_shared::room::FallbackMode::Automatic => {
            "Die Co-Moderation übernimmt, sonst wer am längsten verbunden ist"
        }
        moot_shared::room::FallbackMode::CoFacilitatorsOnly => "Nur die Co-Moderation übernimmt",
        moot_shared::room::FallbackMode::Off => "Niemand übernimmt: Das Treffen wartet auf dich",
    },
    invite_heading: "Einladen",
    join_link_label: "Beitrittslink",
    copy: "Link kopieren",
    copy_failed: "Kopieren ging nicht. Markiere den Link und kopiere ihn selbst.",
    open_screen: "Geteilten Bildschirm öffnen",
    screen_heading: "Geteilter Bildschirm",
    screen_link_hint: "Öffne ihn am Beamer oder teile ihn im Videocall. Er zeigt nur den Raum: Er kann nichts steuern, und er ist nicht dein Login.",
    screen_link_stopped: "Gerade funktioniert kein Bildschirmlink. Erstelle einen, um den Raum auf einem geteilten Bildschirm zu zeigen.",
    new_screen_link: "Neuer Bildschirmlink",
    make_screen_link: "Bildschirmlink erstellen",
    stop_screen_link: "Geteilten Bildschirm beenden",
    stop_screen_confirm: "Geteilten Bildschirm beenden? Bildschirme, die den Raum zeigen, schließen sich, und der Link dazu funktioniert nicht mehr.",
    remove_confirm: |name| {
        format!(
            "{name} aus dem Treffen entfernen? Der Link dieser Person funktioniert sofort nicht mehr. \
             Damit sie nicht unter einem anderen Namen wieder beitritt, sperre das Treffen."
        )
    },
    make_co: "Co-Moderation geben",
    unmake_co: "Co-Moderation entziehen",
    hand_over: "Moderation übergeben",
    hand_over_confirm: |name| {
        format!("Die Moderation an {name} übergeben? Du nimmst dann als Teilnehmer:in teil.")
    },
    actions_for: |name| format!("Aktionen für {name}"),

    screen_join_at: "Mitmachen unter",
    screen_thanks: "Danke! Dieses Treffen ist beendet.",
    screen_outcomes: |topics, actions| {
        let topics = match topics {
            1 => "1 Thema besprochen".to_owned(),
            n => format!("{n} Themen besprochen"),
        };
        match actions {
            1 => format!("{topics} · 1 Aufgabe"),
            n => format!("{topics} · {n} Aufgaben"),
        }
    },
    screen_code_label: "Code",
    screen_qr_alt: "QR-Code des Beitrittslinks",
    screen_needs_link: "Öffne den geteilten Bildschirm mit dem Link aus der Ansicht der Moderation.",
    screen_stopped_heading: "Dieser Bildschirmlink funktioniert nicht mehr",
    menus_label: "Werkzeuge für das Treffen",
    poll_menu: "Abstimmung",
    rounds_menu: "Runden",
    settings_menu: "Einstellungen",
    primary_nothing: "Kein nächster Schritt",
    primary_reveal: "Ergebnis aufdecken",
    primary_next_speaker: "Nächste Wortmeldung",
    primary_start_topic: "Thema starten",
    primary_next_phase: "Weiter",
    primary_bring_back: "Alle zurückholen",
};

/// German.
pub const DE_AGENDA: AgendaTexts = AgendaTexts {
    phase_of: |number, of| format!("Phase {number} von {of}"),
    left: |clock| format!("noch {clock}"),
    time_up: "Zeit ist um",
    ended: "Der Ablauf ist abgeschlossen.",
    not_started: "Der Ablauf hat noch nicht begonnen.",
    done: "Ich bin fertig",
    not_done: "Doch nicht fertig",
    whole_plan: "Der ganze Ablauf",
    minutes: |minutes| format!("{minutes} Min."),
    spent: |minutes| match minutes {
        0 => "dauerte unter einer Minute".to_owned(),
        minutes => format!("dauerte {minutes} Min."),
    },
    skipped: "übersprungen",
    untimed: "ohne Zeitlimit",
    ready_count: |ready, of| format!("{ready} von {of} fertig"),
    done_count: |done, of| match of {
        1 => format!("{done} von 1 Phase erledigt"),
        _ => format!("{done} von {of} Phasen erledigt"),
    },
    role: |role| match role {
        AgendaRole::CaseGiver => "Fallgeber:in",
        AgendaRole::Moderator => "Moderator:in",
        AgendaRole::Scribe => "Protokollant:in",
    },
    your_role: |role, listening| {
        if listening {
            format!("Du: {role}. In dieser Phase hörst du zu.")
        } else {
            format!("Du: {role}")
        }
    },
    key_question: "Schlüsselfrage",
    jot_label: "Deine Notizen",
    jot_private: "Nur du siehst sie: Sie bleiben auf diesem Gerät.",
};

/// German breakouts on a phone.
pub static DE_BREAKOUT: BreakoutTexts = BreakoutTexts {
    group: "Gruppe {}",
    with: "Gruppe {} · mit {}",
    and: "und",
    round_of: "Runde {} von {}",
    troika_steps: [
        "Die Klientin, der Klient erzählt",
        "Verständnisfragen",
        "Die Beratenden beraten",
        "Was hilfreich war",
    ],
    buddy_steps: [
        "Ziele im Blick",
        "Herausforderungen und Hilfe",
        "Feedback in beide Richtungen",
        "Nächste Schritte",
    ],
    client_cues: [
        "Du bist Klient:in: Erzähl deine Herausforderung und welche Hilfe du brauchst.",
        "Du bist Klient:in: Beantworte ihre Fragen.",
        "Du bist Klient:in: Dreh dich weg und hör zu. Sprich nicht.",
        "Du bist Klient:in: Dreh dich zurück und sag, was hilfreich war.",
    ],
    consultant_cues: [
        "Du berätst: Hör der Herausforderung zu.",
        "Du berätst: Stell Verständnisfragen.",
        "Du berätst: Beratet euch zur Herausforderung, während die Klientin, der Klient zuhört.",
        "Du berätst: Hör zu, was hilfreich war.",
    ],
    mentor_cue: "Du bist Mentor:in: Zeig deine Welt.",
    mentee_cue: "Du bist Mentee: Hör zu und frag nach.",
    left: "noch {}",
    closing: "Zurück in die Runde in {}",
    alone: "Du bist allein in deiner Gruppe. Geh in eine andere oder warte hier: Wer als Nächstes kommt, kommt zu dir.",
    no_group: "Du bist in keiner Gruppe. Geh in eine:",
    waiting: "Wartet auf eine Gruppe",
    join_group: "In Gruppe {} ({})",
    call_link: "Videoraum {} betreten",
    notes_heading: "Unsere Notizen",
    notes_private: "Nur eure Gruppe sieht sie.",
    note_label: "Eine Notiz für eure Gruppe",
    add_note: "Hinzufügen",
    remove_note: "Notiz entfernen",
    done: "Wir sind fertig",
    share_heading: "Die Notizen eurer Gruppe",
    share_hint: "Nur eure Gruppe hat sie gesehen. Für die Auswertung mit allen teilen?",
    share: "Mit allen teilen",
    shared: "Mit allen geteilt.",
};

/// German breakout controls and map.
pub static DE_BREAKOUT_CONTROLS: BreakoutControlTexts = BreakoutControlTexts {
    heading: "Gruppen",
    start: "In Gruppen aufteilen",
    next_step: "Nächster Schritt",
    more_time: "+2 Min.",
    bring_back: "Alle zurückholen (30 s)",
    back_now: "Jetzt zurück",
    copy: "Gruppen kopieren",
    move_label: "{} verschieben",
    new_group: "Neue Gruppe",
    out_of_groups: "Keine Gruppe",
    link_label: "Link zum Videocall, {n} für die Nummer der Gruppe",
    link_save: "Link speichern",
    rules: [
        "Jede:r mit jeder:m: niemand trifft dieselbe Person zweimal",
        "So gewählt, dass sich möglichst wenige wieder treffen",
        "Zufällig gemischt",
        "Wie beim letzten Mal",
        "Paare zu Vierergruppen zusammengelegt",
    ],
    seed: "Startwert {}",
    done_mark: "fertig",
    shared_notes_heading: "Aus den Gruppen",
    roles: ["Klient:in", "Beratung", "Mentor:in", "Mentee"],
    kinds: [
        "Gruppenarbeit zu zweit",
        "Gruppenarbeit zu dritt",
        "Gruppenarbeit zu viert",
    ],
};
