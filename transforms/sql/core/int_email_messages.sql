-- int_email_messages: one row per distinct e-mail message (drafts and Spam left out), with
-- its sender's person, whether the owner wrote it, its thread and whether it is a reply.
-- The same message in several folders or files (same message_key) is one row.
with

copies as (select * from stg_email_messages),

-- Each copy's place in the order (sent_at, source_file, location): the earliest copy of a
-- message gives its columns below. A number is a far smaller aggregate key than the three
-- columns (file paths are long), so the aggregation fits the build's memory limit.
copy_order as (
    select
        source_file,
        location,
        row_number() over (order by sent_at, source_file, location) as copy_no
    from copies
),

ordered_copies as (
    select copies.*, copy_order.copy_no
    from copies
    inner join copy_order using (source_file, location)
),

participants as (select * from stg_email_participants),

keys as (select * from int_identity_keys where kind = 'email'),

-- One row per message_key; its flags are merged over its copies, the rest taken from the
-- earliest copy.
messages as (
    select
        message_key,
        min(sent_at) as sent_at,
        arg_min(from_addr, copy_no) as from_addr,
        arg_min(thread_key, copy_no) as thread_key,
        arg_min(parent_message_id, copy_no) as parent_message_id,
        arg_min(subject, copy_no) as subject,
        coalesce(bool_or(is_bulk), false) as is_bulk,
        coalesce(bool_or(is_sent_folder), false) as is_sent_folder,
        coalesce(bool_or(is_draft), false) as is_draft,
        coalesce(bool_or(is_spam), false) as is_spam,
        coalesce(bool_or(kind = 'chat'), false) as is_chat,
        arg_min(source_file, copy_no) as source_file,
        arg_min(location, copy_no) as location
    from ordered_copies
    group by message_key
),

-- The sender of the copy chosen above (copies of one Message-ID may disagree; a message
-- names one sender even when its From header lists several).
directed as (
    select
        messages.*,
        sender.person_id as from_person_id,
        coalesce(sender.is_owner, false)
            or coalesce(messages.is_sent_folder, false) as is_from_owner
    from messages
    left join keys as sender on sender.value = messages.from_addr
    where not messages.is_draft and not messages.is_spam
),

-- Threads without thread headers: a message with no X-GM-THRID, References or In-Reply-To
-- (old clients, some exports) joins the other such messages with the same subject (reply and
-- forward prefixes aside) and the same set of From/To/Cc addresses; a gap over 30 days starts
-- a new thread. The thread is named after its first message (which is also the root that
-- header-threaded replies point at).
header_less as (
    select
        d.message_key,
        d.sent_at,
        d.is_from_owner,
        subject_key(d.subject) as subject_key,
        p.people_key
    from directed as d
    inner join (
        select
            message_key,
            array_to_string(list_sort(list(distinct address)), ',') as people_key
        from participants
        where role in ('from', 'to', 'cc')
        group by message_key
    ) as p on p.message_key = d.message_key
    where d.thread_key = d.message_key and d.parent_message_id is null
),

subject_gaps as (
    select
        *,
        lag(sent_at) over same_subject as previous_at
    from header_less
    where subject_key <> ''
    window same_subject as (partition by subject_key, people_key order by sent_at, message_key)
),

subject_runs as (
    select
        *,
        sum(case when previous_at is null or sent_at - previous_at > interval 30 days then 1
            else 0 end) over (
            partition by subject_key, people_key order by sent_at, message_key
            rows unbounded preceding
        ) as run_no
    from subject_gaps
),

subject_threads as (
    select
        message_key,
        first_value(message_key) over same_run as thread_id,
        lag(is_from_owner) over same_run as previous_from_owner
    from subject_runs
    window same_run as (partition by subject_key, people_key, run_no order by sent_at, message_key)
),

-- A message replies to the other side when the message it answers (In-Reply-To, else the
-- last References id) was written by the other side. When that message is not in the
-- archive, an answer is taken as one to the other side. A header-less message counts as a
-- reply when its subject starts with a reply prefix and the thread's previous message came
-- from the other side.
final as (
    select
        d.* exclude (thread_key),
        coalesce(t.thread_id, d.thread_key) as thread_key,
        case
            when d.parent_message_id is not null
                then coalesce(parent.is_from_owner <> d.is_from_owner, true)
            when t.previous_from_owner is not null and has_reply_prefix(d.subject)
                then t.previous_from_owner <> d.is_from_owner
            else false
        end as is_reply
    from directed as d
    left join subject_threads as t on t.message_key = d.message_key
    left join directed as parent on parent.message_key = d.parent_message_id
)

select * from final
