"""解約申込 (cancellation application, SPEC §2.6): an office asks to end its whole contract or one
利用者コード from a date. `sections` is its one screen, `request` starts it and decides what it may
ask for (and its 受付完了 mail), `effect` is what approval and the 解約日 do."""
