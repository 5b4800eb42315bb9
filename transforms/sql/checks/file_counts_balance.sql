-- Per file, rows in = rows loaded + rows rejected: nothing dropped silently.
select source_file
from pipeline_file_stats
where run_id = (select run_id from run_params)
    and rows_in != rows_loaded + rows_rejected
