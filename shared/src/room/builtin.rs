//! The texts moot itself writes into a meetup: the titles and prompts of
//! the shipped formats' phases, the question of the automatic "continue?"
//! vote and the facilitator's quick polls. They are stored as keys beside their English text, so each phone,
//! shared screen and export shows them in its reader's language, whatever
//! language the facilitator who set the agenda reads.
//!
//! The English text is stored too: it is what a phase or poll says when its
//! key is gone (the facilitator rewrote the text, which is then their own
//! words in their own language) and what readers of older data see. A key
//! is dropped by the fold whenever the text beside it changes.

use serde::{Deserialize, Serialize};

use crate::json::{FromJson, ToJson, Variants};
use crate::lang::Lang;

/// One text moot writes into a meetup.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, FromJson, ToJson, Variants,
)]
#[serde(rename_all = "snake_case")]
pub enum BuiltinText {
    // --- Phase titles ---
    /// "Check-in".
    CheckIn,
    /// "Check-out".
    CheckOut,
    /// "Write topics".
    WriteTopics,
    /// "Pitch topics".
    PitchTopics,
    /// "Vote".
    Vote,
    /// "Discuss".
    Discuss,
    /// "Break".
    Break,
    /// "Open round".
    OpenRound,
    /// "Casting": the case consultation's roles.
    Casting,
    /// "The case".
    TheCase,
    /// "Key question".
    KeyQuestion,
    /// "Choose a method".
    ChooseMethod,
    /// "Consultation".
    Consultation,
    /// "Closing".
    Closing,
    /// "Goals revisited".
    GoalsRevisited,
    /// "Challenges and help needed".
    Challenges,
    /// "Feedback both ways".
    FeedbackBothWays,
    /// "Next steps".
    NextSteps,
    /// "Mentor's session".
    MentorSession,
    /// "Swap".
    Swap,
    /// "Was it worth our time?": the closing feedback's title.
    WorthOurTime,
    /// "Your challenge".
    YourChallenge,
    /// "Troika consulting".
    Troikas,
    /// "Debrief".
    Debrief,
    /// "Alone".
    Alone,
    /// "In pairs".
    Pairs,
    /// "In fours".
    Foursomes,
    /// "All together".
    AllTogether,
    /// "Meet someone new".
    MeetSomeoneNew,
    /// "Buddy time".
    BuddyTime,
    /// "Back together".
    BackTogether,

    // --- Phase prompts ---
    /// Lean Coffee's call for topics.
    WriteTopicsPrompt,
    /// The peer learning meetup's call for topics, with cases.
    WriteCasesPrompt,
    /// "Your topics, a sentence each."
    PitchPrompt,
    /// Where the dots go.
    VotePrompt,
    /// How the discussion runs.
    DiscussPrompt,
    /// Who takes which role in a case consultation.
    CastingPrompt,
    /// The case giver tells the case.
    TheCasePrompt,
    /// The case giver's one question.
    KeyQuestionPrompt,
    /// Which method the consultants use.
    ChooseMethodPrompt,
    /// Consultants advise, the case giver listens.
    ConsultationPrompt,
    /// What was valuable, what everyone takes away.
    ClosingPrompt,
    /// The open round's question.
    OpenRoundPrompt,
    /// A one-on-one's look at its goals.
    GoalsPrompt,
    /// What is hard and what would help.
    ChallengesPrompt,
    /// What went well between two people and what could be better.
    FeedbackPrompt,
    /// A one-on-one's next steps.
    NextStepsPrompt,
    /// A mentoring pair's look at what each learns and teaches.
    MentoringGoalsPrompt,
    /// The junior colleague shows their world.
    MentorSessionPrompt,
    /// What each learned about the other's world.
    SwapPrompt,
    /// A mentoring pair's next steps.
    MentoringNextStepsPrompt,
    /// The closing feedback's question.
    RotiPrompt,
    /// "What is your challenge, and what help do you need? Jot it down.".
    YourChallengePrompt,
    /// "In threes: each of you is the client once; the others consult.".
    TroikasPrompt,
    /// "One insight you take away.".
    DebriefPrompt,
    /// "On your own: what ideas do you have? Jot them down.".
    AlonePrompt,
    /// "In pairs: build on each other's ideas.".
    PairsPrompt,
    /// "In fours: share and develop your ideas; notice what is alike and what differs.".
    FoursomesPrompt,
    /// "What is one idea that stood out in your group?".
    AllTogetherPrompt,
    /// "What challenge do you bring to this meetup, and what can you offer?".
    MeetSomeoneNewPrompt,
    /// "With your buddy: goals, challenges, feedback, next steps.".
    BuddyTimePrompt,
    /// "One thing my buddy helped me with.".
    BackTogetherPrompt,

    // --- Poll questions ---
    /// The automatic vote when a topic's timebox runs out.
    ContinueTopic,
    /// A quick poll: go on with the topic?
    QuickContinue,
    /// A quick poll: consent.
    QuickLiveWithIt,
    /// A quick poll: how much support.
    QuickSupport,
}

impl BuiltinText {
    /// The text in a language.
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.english(),
            Lang::De => self.german(),
        }
    }

    /// The English text, which is also stored beside the key.
    pub const fn english(self) -> &'static str {
        use BuiltinText::*;
        match self {
            CheckIn => "Check-in",
            CheckOut => "Check-out",
            WriteTopics => "Write topics",
            PitchTopics => "Pitch topics",
            Vote => "Vote",
            Discuss => "Discuss",
            Break => "Break",
            OpenRound => "Open round",
            Casting => "Casting",
            TheCase => "The case",
            KeyQuestion => "Key question",
            ChooseMethod => "Choose a method",
            Consultation => "Consultation",
            Closing => "Closing",
            GoalsRevisited => "Goals revisited",
            Challenges => "Challenges and help needed",
            FeedbackBothWays => "Feedback both ways",
            NextSteps => "Next steps",
            MentorSession => "Mentor's session",
            Swap => "Swap",
            WorthOurTime => "Was it worth our time?",
            YourChallenge => "Your challenge",
            Troikas => "Troika consulting",
            Debrief => "Debrief",
            Alone => "Alone",
            Pairs => "In pairs",
            Foursomes => "In fours",
            AllTogether => "All together",
            MeetSomeoneNew => "Meet someone new",
            BuddyTime => "Buddy time",
            BackTogether => "Back together",
            WriteTopicsPrompt => "What would you like to talk about? Put each topic on the board.",
            WriteCasesPrompt => {
                "What would you like to talk about? Mark a case you want advice on."
            }
            PitchPrompt => "Your topics, a sentence each.",
            VotePrompt => "Place your dots on the topics you most want to discuss.",
            DiscussPrompt => "Top topic first: 7 minutes, then the group decides to continue.",
            CastingPrompt => {
                "Who brings a case? Pick the case giver, a moderator and a scribe; everyone else advises."
            }
            TheCasePrompt => {
                "The case giver tells the case. At the end, two or three questions to understand it."
            }
            KeyQuestionPrompt => {
                "Case giver: what is the one question you want the group's help with?"
            }
            ChooseMethodPrompt => {
                "Brainstorming, headstand, good advice or a resonance round? The moderator confirms."
            }
            ConsultationPrompt => {
                "Consultants advise, one contribution per turn. The case giver only listens."
            }
            ClosingPrompt => {
                "Case giver: what was valuable? Everyone: one sentence on what you take away."
            }
            OpenRoundPrompt => "How am I right now? One sentence, no comments. Passing is fine.",
            GoalsPrompt => "Where are we with the goals we set? What moved, what is stuck?",
            ChallengesPrompt => "What is hard right now, and what help would make a difference?",
            FeedbackPrompt => "What went well between us, and what could be better?",
            NextStepsPrompt => {
                "What actionable steps do we take after this meeting? Add them as action items."
            }
            MentoringGoalsPrompt => "What I learn, what I teach: where are we?",
            MentorSessionPrompt => {
                "The junior colleague shows their world; the senior listens and asks."
            }
            SwapPrompt => "What I learned about your world.",
            MentoringNextStepsPrompt => {
                "What do we each try before we meet again? Add them as action items."
            }
            RotiPrompt => "How much was this meetup worth the time you gave it?",
            YourChallengePrompt => {
                "What is your challenge, and what help do you need? Jot it down."
            }
            TroikasPrompt => "In threes: each of you is the client once; the others consult.",
            DebriefPrompt => "One insight you take away.",
            AlonePrompt => "On your own: what ideas do you have? Jot them down.",
            PairsPrompt => "In pairs: build on each other's ideas.",
            FoursomesPrompt => {
                "In fours: share and develop your ideas; notice what is alike and what differs."
            }
            AllTogetherPrompt => "What is one idea that stood out in your group?",
            MeetSomeoneNewPrompt => {
                "What challenge do you bring to this meetup, and what can you offer?"
            }
            BuddyTimePrompt => "With your buddy: goals, challenges, feedback, next steps.",
            BackTogetherPrompt => "One thing my buddy helped me with.",
            ContinueTopic => "Continue with this topic?",
            QuickContinue => "Continue this topic?",
            QuickLiveWithIt => "Can everyone live with this?",
            QuickSupport => "How much do we support this?",
        }
    }

    /// The German text: the words German-speaking peer groups use for these
    /// formats ("Kollegiale Beratung", "Fallgeber:in", "Schlüsselfrage").
    fn german(self) -> &'static str {
        use BuiltinText::*;
        match self {
            CheckIn => "Check-in",
            CheckOut => "Check-out",
            WriteTopics => "Themen sammeln",
            PitchTopics => "Themen vorstellen",
            Vote => "Abstimmen",
            Discuss => "Diskutieren",
            Break => "Pause",
            OpenRound => "Blitzlicht",
            Casting => "Rollen verteilen",
            TheCase => "Der Fall",
            KeyQuestion => "Schlüsselfrage",
            ChooseMethod => "Methode wählen",
            Consultation => "Beratung",
            Closing => "Abschluss",
            GoalsRevisited => "Ziele im Blick",
            Challenges => "Herausforderungen und Hilfe",
            FeedbackBothWays => "Feedback in beide Richtungen",
            NextSteps => "Nächste Schritte",
            MentorSession => "Mentoring-Session",
            Swap => "Seitenwechsel",
            WorthOurTime => "War es unsere Zeit wert?",
            YourChallenge => "Deine Herausforderung",
            Troikas => "Troika-Beratung",
            Debrief => "Auswertung",
            Alone => "Allein",
            Pairs => "Zu zweit",
            Foursomes => "Zu viert",
            AllTogether => "Alle zusammen",
            MeetSomeoneNew => "Jemand Neues treffen",
            BuddyTime => "Buddy-Zeit",
            BackTogether => "Zurück in der Runde",
            WriteTopicsPrompt => "Worüber möchtest du sprechen? Schreib jedes Thema auf das Board.",
            WriteCasesPrompt => {
                "Worüber möchtest du sprechen? Markiere einen Fall, zu dem du Rat möchtest."
            }
            PitchPrompt => "Deine Themen, je ein Satz.",
            VotePrompt => "Setz deine Punkte auf die Themen, die du am liebsten besprechen willst.",
            DiscussPrompt => {
                "Das beliebteste Thema zuerst: 7 Minuten, dann entscheidet die Gruppe, ob es weitergeht."
            }
            CastingPrompt => {
                "Wer bringt einen Fall mit? Wählt Fallgeber:in, Moderation und Protokoll; alle anderen beraten."
            }
            TheCasePrompt => {
                "Die Fallgeberin oder der Fallgeber erzählt den Fall. Am Ende zwei, drei Verständnisfragen."
            }
            KeyQuestionPrompt => {
                "Fallgeber:in: Bei welcher einen Frage soll dir die Gruppe helfen?"
            }
            ChooseMethodPrompt => {
                "Brainstorming, Kopfstand, gute Ratschläge oder Resonanzrunde? Die Moderation bestätigt."
            }
            ConsultationPrompt => {
                "Die Beratenden geben Rat, ein Beitrag pro Wortmeldung. Die Fallgeberin oder der Fallgeber hört nur zu."
            }
            ClosingPrompt => {
                "Fallgeber:in: Was war wertvoll? Alle: ein Satz dazu, was du mitnimmst."
            }
            OpenRoundPrompt => {
                "Wie geht es mir gerade? Ein Satz, keine Kommentare. Passen ist in Ordnung."
            }
            GoalsPrompt => "Wo stehen wir mit unseren Zielen? Was ging voran, was hängt?",
            ChallengesPrompt => "Was ist gerade schwer, und welche Hilfe würde etwas ändern?",
            FeedbackPrompt => "Was lief gut zwischen uns, und was könnte besser werden?",
            NextStepsPrompt => {
                "Welche konkreten Schritte gehen wir nach diesem Treffen? Trag sie als Aufgaben ein."
            }
            MentoringGoalsPrompt => "Was ich lerne, was ich lehre: Wo stehen wir?",
            MentorSessionPrompt => {
                "Die jüngere Person zeigt ihre Welt; die erfahrenere hört zu und fragt."
            }
            SwapPrompt => "Was ich über deine Welt gelernt habe.",
            MentoringNextStepsPrompt => {
                "Was probieren wir beide bis zum nächsten Treffen aus? Tragt es als Aufgaben ein."
            }
            RotiPrompt => "Wie viel war dir dieses Treffen die Zeit wert, die du gegeben hast?",
            YourChallengePrompt => {
                "Was ist deine Herausforderung, und welche Hilfe brauchst du? Notier sie dir."
            }
            TroikasPrompt => "Zu dritt: Jede und jeder ist einmal Klient:in, die anderen beraten.",
            DebriefPrompt => "Eine Erkenntnis, die du mitnimmst.",
            AlonePrompt => "Allein: Welche Ideen hast du? Notier sie dir.",
            PairsPrompt => "Zu zweit: Baut auf den Ideen des anderen auf.",
            FoursomesPrompt => {
                "Zu viert: Teilt und entwickelt eure Ideen; achtet auf Gemeinsamkeiten und Unterschiede."
            }
            AllTogetherPrompt => "Welche Idee ist in eurer Gruppe herausgestochen?",
            MeetSomeoneNewPrompt => {
                "Welche Herausforderung bringst du mit, und was kannst du anbieten?"
            }
            BuddyTimePrompt => {
                "Mit deinem Buddy: Ziele, Herausforderungen, Feedback, nächste Schritte."
            }
            BackTogetherPrompt => "Eine Sache, bei der mir mein Buddy geholfen hat.",
            ContinueTopic => "Mit diesem Thema weitermachen?",
            QuickContinue => "Bei diesem Thema bleiben?",
            QuickLiveWithIt => "Können alle damit leben?",
            QuickSupport => "Wie sehr unterstützen wir das?",
        }
    }
}

/// A stored text and the key it was written from: what a reader sees.
pub fn shown(text: &str, key: Option<BuiltinText>, lang: Lang) -> &str {
    key.map_or(text, |key| key.text(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{PhasePrompt, PhaseTitle, PollQuestion};

    fn every_text() -> impl Iterator<Item = BuiltinText> {
        <BuiltinText as Variants>::NAMES.iter().map(|name| {
            serde_json::from_value(serde_json::json!(name)).expect("a variant's own name parses")
        })
    }

    #[test]
    fn every_text_is_a_valid_title_prompt_or_question_in_every_language() {
        for key in every_text() {
            for lang in Lang::ALL {
                let text = key.text(lang);
                assert!(PhasePrompt::parse(text).is_ok(), "{key:?} in {lang:?}");
                assert!(PollQuestion::parse(text).is_ok(), "{key:?} in {lang:?}");
            }
        }
        for key in [
            BuiltinText::CheckIn,
            BuiltinText::WorthOurTime,
            BuiltinText::Casting,
        ] {
            for lang in Lang::ALL {
                assert!(PhaseTitle::parse(key.text(lang)).is_ok(), "{key:?}");
            }
        }
    }

    #[test]
    fn german_is_german_except_where_german_speakers_say_it_in_english() {
        let same_in_both = [BuiltinText::CheckIn, BuiltinText::CheckOut];
        for key in every_text() {
            if !same_in_both.contains(&key) {
                assert_ne!(key.text(Lang::De), key.english(), "{key:?}");
            }
        }
    }

    #[test]
    fn a_key_shows_in_the_readers_language_and_plain_text_as_it_was_written() {
        assert_eq!(
            shown("Vote", Some(BuiltinText::Vote), Lang::De),
            "Abstimmen"
        );
        assert_eq!(shown("Vote", Some(BuiltinText::Vote), Lang::En), "Vote");
        assert_eq!(shown("Unser Thema", None, Lang::En), "Unser Thema");
    }
}
