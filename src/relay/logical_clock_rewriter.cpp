#include "relay/logical_clock_rewriter.h"

namespace binrelay::relay {

void logical_clock_rewriter::resume_file(std::uint64_t last_sequence_number) {
  counter_ = last_sequence_number;
  file_base_ = 0;
  new_run_ = true;
}

logical_clock logical_clock_rewriter::map(logical_clock upstream) {
  std::uint64_t stream_seq = ++counter_;
  bool gap = upstream.sequence_number != last_upstream_ + 1;
  if (new_run_ || gap || upstream.sequence_number == 0) {
    new_run_ = false;
    run_start_ = stream_seq;
    run_first_upstream_ = upstream.sequence_number;
  }
  last_upstream_ = upstream.sequence_number;

  std::uint64_t stream_lc = run_start_ - 1;  // everything before the run
  bool parent_in_run = upstream.last_committed >= run_first_upstream_ &&
                       upstream.last_committed < upstream.sequence_number &&
                       run_first_upstream_ != 0;
  if (parent_in_run) stream_lc = upstream.last_committed + (stream_seq - upstream.sequence_number);

  logical_clock ours;
  ours.sequence_number = stream_seq - file_base_;
  ours.last_committed = stream_lc > file_base_ ? stream_lc - file_base_ : 0;
  return ours;
}

}  // namespace binrelay::relay
