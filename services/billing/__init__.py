"""請求内容参照 and its reference data: fee schedules with a start month (schedule), usage records
and their import (usage_import), and an office's monthly charges (charges)."""
