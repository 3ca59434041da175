"""新規利用申込 (new usage application): screens, saving, attachments, fees, submit, read view."""
