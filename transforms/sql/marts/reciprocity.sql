-- reciprocity: one row per person (the owner excluded). Is the relationship a two-way
-- street? Messages (email, chat, LinkedIn) the owner sent to the person against messages
-- received from them, all time up to the as-of date. Bulk mail never counts.
-- balance = (sent - received) / (sent + received): +1 only I write, -1 only they write.
with

params as (select * from run_params),

contacts as (select * from people where not is_owner),

messages as (
    select *
    from interactions
    where not is_bulk
        and channel in ('email', 'email_chat', 'linkedin_message')
        and occurred_at < (select as_of_end from params)
),

counts as (
    select
        person_id,
        count(*) filter (where direction = 'sent') as sent_count,
        count(*) filter (where direction = 'received') as received_count,
        count(distinct thread_id) as n_threads
    from messages
    group by person_id
),

final as (
    select
        contacts.person_id,
        contacts.display_name,
        coalesce(counts.sent_count, 0) as sent_count,
        coalesce(counts.received_count, 0) as received_count,
        coalesce(counts.sent_count, 0) + coalesce(counts.received_count, 0) as total_count,
        coalesce(counts.n_threads, 0) as n_threads,
        case
            when coalesce(counts.sent_count, 0) + coalesce(counts.received_count, 0) = 0 then null
            else (counts.sent_count - counts.received_count)::double
                / (counts.sent_count + counts.received_count)
        end as balance,
        params.as_of
    from contacts
    cross join params
    left join counts on counts.person_id = contacts.person_id
)

select * from final
order by person_id
