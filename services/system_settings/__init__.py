"""システム設定の申込 (SPEC §2.4): the settings each 利用者コード needs before NACCS can be used."""
