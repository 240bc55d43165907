"""What follows a recorded submission change: the receiver that queues the review run,
the emails, and the scheduled jobs. The run itself is review.services."""
