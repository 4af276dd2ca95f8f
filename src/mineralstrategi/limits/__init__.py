"""Limits that hold across processes and servers: sliding windows of events per key, counted in
the database (`RateWindow`) that every web process, worker and server shares, never in a
process's memory (the default cache is per process without Redis). `services.take` is the one
counter: the login throttle and the password reset mails (`accounts.limits`), sign-ups, the
visitors' comments and registrations (`visitors.rate_check_and_count`), the JSON API's writes
(`apikit.throttling`) and the follow-up reports (`reports.services`) all count with it."""
