-- Macros the models share: each rule written once. Created as temporary macros at the start
-- of every build (the warehouse file keeps none of them).

-- interaction_id: the stable key of an interaction (its channel, event and person).
create or replace temp macro interaction_id(channel, event_key, person_id) as
    substr(md5(concat_ws('|', channel, event_key, person_id)), 1, 16);

-- name_key: a display name as a join key (NFC, lower case, whitespace collapsed and trimmed).
create or replace temp macro name_key(name) as
    lower(nfc_normalize(regexp_replace(trim(name), '\s+', ' ', 'g')));

-- subject_key: a subject without its reply and forward prefixes, repeated or numbered
-- (`Re: Fwd: AW[2]: x` -> `x`), in several languages, whitespace collapsed, lower case.
create or replace temp macro subject_key(subject) as
    lower(trim(regexp_replace(
        regexp_replace(
            coalesce(subject, ''),
            '^(\s*(re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|r)\s*(\[\d+\])?\s*:\s*)+', '', 'i'
        ),
        '\s+', ' ', 'g'
    )));

-- has_reply_prefix: the subject starts with a reply prefix (`Re:`, `AW:`, `SV:`, `VS:`,
-- `Antw:`, `R:`); forwards are not replies.
create or replace temp macro has_reply_prefix(subject) as
    regexp_matches(coalesce(subject, ''), '^\s*(re|aw|sv|vs|antw|r)\s*:', 'i');
